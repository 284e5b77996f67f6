"""The ingest log: one row per wire version received for a story (what the agency sent, and when), and
the agency updates waiting for an editor."""
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
    # The story fields as this version gave them (wire.agency.agency_state): the "agency before" of
    # the next version's three-way merge. Empty for versions logged before it was kept.
    fields = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-ingested_at", "-pk"]
        verbose_name = "wire version"
        verbose_name_plural = "wire ingest log"

    def __str__(self):
        return f"{self.guid} v{self.version}" if self.version else self.guid


class PendingUpdate(models.Model):
    """An agency update (or withdrawal) waiting for an editor: the story stays as readers see it
    until someone applies, merges or dismisses it, field by field (wire.pending)."""

    class Kind(models.TextChoices):
        UPDATE = "update", "Update"
        WITHDRAWAL = "withdrawal", "Withdrawal"

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for an editor"
        APPLIED = "applied", "Applied"
        DISMISSED = "dismissed", "Dismissed"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="pending_updates")
    wire_version = models.ForeignKey(WireVersion, on_delete=models.CASCADE, related_name="pending_updates")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.UPDATE)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    reason = models.CharField(max_length=300, help_text="Why it was not applied at once.")
    # {field: {"before": agency's previous text or null, "now": agency's new text}}, JSON-ready.
    fields = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.TextField(blank=True, help_text="What the editor chose, field by field.")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "pending agency update"

    def __str__(self):
        return f"{self.get_kind_display()} {self.wire_version} for “{self.article}”"

    def side(self, which):
        """The agency's fields as they were "before" or are "now", JSON-ready (wire.agency.from_json)."""
        return {name: sides.get(which) for name, sides in self.fields.items()}
