"""The ingest log: one row per wire version received for a story (what the agency sent, and when), and
the agency updates waiting for an editor."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .subjects import normalized_rule_value


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


class Intake(models.Model):
    """Where one agency delivers continuously: a drop folder, or an HTTP(S) feed polled on a schedule."""

    class Kind(models.TextChoices):
        FOLDER = "folder", "Drop folder"
        FEED = "feed", "HTTP(S) feed"

    source = models.ForeignKey("articles.Source", on_delete=models.CASCADE, related_name="intakes",
                               help_text="The agency every item of this intake is credited to.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    location = models.CharField(max_length=500, help_text="Folder path on the workers' file system, or the feed URL.")
    enabled = models.BooleanField(default=True)
    interval_seconds = models.PositiveIntegerField(default=60, help_text="Seconds between polls when all is well.")
    # Poll state, kept by wire/intake.py.
    etag = models.CharField(max_length=255, blank=True, editable=False)
    last_modified = models.CharField(max_length=64, blank=True, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_poll_at = models.DateTimeField(null=True, blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    last_error = models.CharField(max_length=500, blank=True, editable=False)

    class Meta:
        ordering = ["source__name", "pk"]

    def __str__(self):
        return f"{self.source} {self.get_kind_display().lower()}: {self.location}"


class IntakeFailure(models.Model):
    """A file or item an intake could not ingest, with the reason (pipeline health lists them)."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="failures")
    item = models.CharField(max_length=500, blank=True, help_text="File name, GUID or URL.")
    reason = models.TextField()
    failed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-failed_at", "-pk"]

    def __str__(self):
        return f"{self.item}: {self.reason[:80]}"


class SectionRule(models.Model):
    """Where wire copy is filed: an agency subject code or keyword and the section it goes to.

    Ingest (every intake path) tries the rules in priority order and files the item in the first
    that matches (wire/sections.py); a "default" rule catches every item no earlier rule took.
    """

    class Kind(models.TextChoices):
        SUBJECT = "subject", "Subject code (IPTC media topic)"
        KEYWORD = "keyword", "Subject name or keyword"
        DEFAULT = "default", "Default for all other wire copy"

    priority = models.PositiveIntegerField(
        default=100, help_text="Rules are tried from the lowest number up; the first that matches files the story."
    )
    kind = models.CharField("match on", max_length=10, choices=Kind.choices, default=Kind.SUBJECT)
    value = models.CharField(
        max_length=200,
        blank=True,
        help_text='A subject code such as "medtop:04000000" (economy, business and finance) or its mediatopic '
        'address; or a word the agency uses as a subject name or keyword, such as "exports". '
        "Leave empty for the default rule.",
    )
    section = models.ForeignKey("articles.Section", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["priority", "pk"]
        verbose_name = "wire section rule"
        verbose_name_plural = "wire section rules"

    def __str__(self):
        if self.kind == self.Kind.DEFAULT:
            return f"All other wire copy → {self.section}"
        return f"{self.value} → {self.section}"

    def clean(self):
        try:
            self.value = normalized_rule_value(self.kind, self.value)
        except ValueError as error:
            raise ValidationError({"value": str(error)}) from error
