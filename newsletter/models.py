"""eNewsletter subscribers (double opt-in), editions and per-recipient deliveries."""

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
