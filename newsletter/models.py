"""eNewsletter subscribers (double opt-in), editions and per-recipient deliveries."""

from datetime import timedelta

from django.db import models
from django.utils import timezone


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Subscriber.Status.CONFIRMED)


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    email = models.EmailField(unique=True, help_text="Stored in lower case.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.email

    def confirm(self, now=None):
        self.status = self.Status.CONFIRMED
        self.confirmed_at = now or timezone.now()
        self.unsubscribed_at = None

    def unsubscribe(self, now=None):
        self.status = self.Status.UNSUBSCRIBED
        self.unsubscribed_at = now or timezone.now()


class Edition(models.Model):
    """One day's brief. Its stories are fixed when it is first sent, so a rerun sends the same issue."""

    key = models.CharField(max_length=50, unique=True, help_text="Usually the date, e.g. 2026-11-29.")
    subject = models.CharField(max_length=200)
    article_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.key


class Delivery(models.Model):
    """A recipient claimed for an edition (before sending) and when the mail left (after)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "subscriber"], name="delivery_once_per_edition")]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.edition} → {self.subscriber}"


class SignupMailQuerySet(models.QuerySet):
    def due(self, now, max_attempts, *, ignore_backoff=False):
        """Unsent mails with attempts left whose retry time has come (or all of them, `ignore_backoff`)."""
        unsent = self.filter(sent_at__isnull=True, attempts__lt=max_attempts)
        return unsent if ignore_backoff else unsent.filter(next_attempt_at__lte=now)


class SignupMail(models.Model):
    """A sign-up mail in the outbox: queued in the sign-up's transaction, marked sent once SMTP took it.

    The row is the queue's memory: a mail that could not be sent (SMTP down, the task queue down)
    stays here with its next attempt time until the retries or the `send_signup_mails` sweep send it.
    The message itself is composed at send time, so its signed link is fresh.
    """

    class Kind(models.TextChoices):
        CONFIRM = "confirm", "Confirmation link"
        ALREADY_SUBSCRIBED = "already_subscribed", "Already subscribed"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="signup_mails")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    objects = SignupMailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=models.Q(sent_at__isnull=True), name="signup_mail_unsent"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.subscriber}"

    def record_attempt(self, now, error=None, retry_seconds=60):
        """One delivery attempt: sent, or failed with the next try `retry_seconds` × 2^(attempts-1) later."""
        self.attempts += 1
        if error is None:
            self.sent_at = now
            self.last_error = ""
        else:
            self.last_error = f"{type(error).__name__}: {error}"[:500]
            self.next_attempt_at = now + timedelta(seconds=min(retry_seconds * 2 ** (self.attempts - 1), 3600))
