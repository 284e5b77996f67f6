"""Partners' API keys, and the webhooks that tell partners and front ends when a story changes."""
import hashlib
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

RATE_PATTERN = re.compile(r"^\d+/(s|sec|m|min|h|hour|d|day)$")


def validate_rate(value):
    if not RATE_PATTERN.match(value or ""):
        raise ValidationError('Write the limit as requests per period, for example "600/m", "10000/h" or "50000/d".')


def hash_key(raw_key):
    """Keys are 256 random bits, so one SHA-256 is enough to store them safely (no slow hash needed)."""
    return hashlib.sha256(raw_key.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    class Scope(models.TextChoices):
        CONTENT = "content", "Content API (JSON)"
        NINJS = "ninjs", "ninjs syndication"
        EMBARGO = "embargo", "Embargoed and scheduled stories, before release"

    name = models.CharField(max_length=100, help_text="Who the key is for, e.g. the partner's name and app.")
    contact = models.EmailField(blank=True, help_text="Whom to tell when the key is revoked or the API changes.")
    prefix = models.CharField(max_length=16, unique=True, editable=False, help_text="The key's first characters.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(default=list, blank=True)
    rate_limit = models.CharField(
        max_length=20,
        validators=[validate_rate],
        help_text='Requests allowed per period, e.g. "600/m". Leave empty for the default for keys.',
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "API key"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def generate(cls, **fields):
        """A new, unsaved key and its raw value: (ApiKey, "nr_…")."""
        key = cls(**fields)
        return key, key.assign_secret()

    def assign_secret(self):
        """Give the key a fresh random value and return it: it is shown once, only its hash is stored."""
        raw = f"nr_{secrets.token_urlsafe(32)}"
        self.prefix, self.key_hash = raw[:11], hash_key(raw)
        return raw

    def has_scope(self, scope):
        return scope in self.scopes

    @property
    def has_embargo_access(self):
        return self.has_scope(self.Scope.EMBARGO)

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def revoke(self):
        self.revoked_at = self.revoked_at or timezone.now()

    @property
    def effective_rate(self):
        return self.rate_limit or settings.NEWSROOM_API_KEY_RATE


class WebhookEvent(models.TextChoices):
    PUBLISH = "story.published", "Story published"
    UPDATE = "story.updated", "Story updated"
    CORRECTION = "story.corrected", "Correction added"
    KILL = "story.killed", "Story killed"


class Webhook(models.Model):
    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500, help_text="Where events are POSTed (HTTPS in production).")
    secret = models.CharField(
        max_length=100, editable=False, help_text="Signs every delivery (HMAC-SHA256); give it to the receiver."
    )
    events = models.JSONField(default=list, blank=True, help_text="The events sent; none ticked means all.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.secret:
            self.secret = f"whsec_{secrets.token_urlsafe(32)}"
        super().save(*args, **kwargs)

    def wants(self, event):
        return not self.events or event in self.events


class WebhookDelivery(models.Model):
    """One event for one webhook: its payload, every attempt's outcome, and when to try again."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Gave up"
        SKIPPED = "skipped", "Not sent (story no longer public)"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=30, choices=WebhookEvent.choices)
    article = models.ForeignKey("articles.Article", null=True, on_delete=models.SET_NULL, related_name="+")
    article_version = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    payload = models.JSONField(default=dict, blank=True, help_text="The body of the last attempt.")
    attempts = models.PositiveIntegerField(default=0)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    send_after = models.DateTimeField(default=timezone.now, help_text="Not sent before this time.")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx")]

    def __str__(self):
        return f"{self.event} → {self.webhook}"
