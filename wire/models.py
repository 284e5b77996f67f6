"""The ingest log: one row per wire version applied to a story (what the agency sent, and when)."""
from django.conf import settings
from django.db import models
from django.utils import timezone


class WireVersion(models.Model):
    """A version of an agency item that created or updated a story; its rights and timing live here."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="wire_versions")
    guid = models.CharField("wire GUID", max_length=255, db_index=True)
    version = models.CharField(max_length=50, blank=True)
    version_created = models.DateTimeField(
        "version time", null=True, blank=True, help_text="When the agency issued this version."
    )
    embargo_until = models.DateTimeField(null=True, blank=True)
    copyright_holder = models.CharField(max_length=255, blank=True)
    copyright_notice = models.TextField(blank=True)
    payload = models.TextField(blank=True, help_text="The item exactly as the agency sent it.")
    filename = models.CharField("file", max_length=255, blank=True)
    ingested_at = models.DateTimeField(default=timezone.now)
    ingested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-ingested_at", "-pk"]
        verbose_name = "wire version"
        verbose_name_plural = "wire ingest log"

    def __str__(self):
        return f"{self.guid} v{self.version}" if self.version else self.guid
