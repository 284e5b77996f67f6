"""What a batch is asked to do (IngestOptions) and what became of each item (IngestResult)."""
from dataclasses import asdict, dataclass, field

from django.conf import settings

from articles.models import Section

from ..models import SectionRule
from ..sections import rule_for

IMPORTED, UPDATED, UNCHANGED, IGNORED, FAILED = "imported", "updated", "unchanged", "ignored", "failed"
STATUSES = (IMPORTED, UPDATED, UNCHANGED, IGNORED, FAILED)
WIRE_SUFFIXES = {".json", ".xml"}


def count_statuses(results):
    """How many results ended in each status, for the command's summary line and the admin's."""
    return {status: sum(r.status == status for r in results) for status in STATUSES}


@dataclass
class IngestResult:
    """What happened to one item; the command's --json line and the admin's result row."""

    file: str
    guid: str = ""
    version: str = ""
    status: str = FAILED
    article_id: int | None = None
    url: str = ""
    error: str = ""
    photo_ids: list[int] = field(default_factory=list)
    message: str = ""

    def as_dict(self):
        return asdict(self)


@dataclass
class IngestOptions:
    """What the caller asks of a batch: where stories are filed, who is ingesting, whether to publish."""

    publish: bool = False
    by: object = None
    section: Section | None = None
    source_name: str = ""
    # Threads ingesting at once (each with its own connection); 1 = in the calling thread.
    workers: int = 1


@dataclass
class IngestBatch:
    """What one batch has learned as it runs, so each item does not ask the database again.

    Made afresh for every batch (ingest_parsed); a worker lane gets its own copy of the caches.
    """

    options: IngestOptions = field(default_factory=IngestOptions)
    sections: list | None = None
    section_rules: list | None = None  # the desk's SectionRules, in priority order
    # Sources and authors seen in committed items of this batch; an item's own finds wait in
    # `pending` until its transaction commits, so a rolled-back row is never reused.
    known: dict = field(default_factory=dict)
    pending: dict = field(default_factory=dict)
    # GUIDs that may already have a story (looked up for the whole batch at once); None: ask per item.
    stored_guids: set | None = None
    # Slugs known to be taken (looked up for the batch's headlines at once); None: ask per item.
    taken_slugs: set | None = None

    def remember(self, key, value):
        self.pending[key] = value
        return value

    def recall(self, key):
        return self.known.get(key) or self.pending.get(key)

    def load_sections(self):
        """The desk's sections, read once per batch (created here only if there are none at all)."""
        if self.sections is None:
            self.sections = list(Section.objects.all())
            if not self.sections:
                self.sections = [Section.objects.get_or_create(slug="news", defaults={"name": "News"})[0]]
        if self.section_rules is None:
            self.section_rules = list(SectionRule.objects.select_related("section"))
        return self.sections

    def section_for(self, item):
        """--section if given; else the first wire section rule that matches (wire/sections.py: subject
        codes, keywords, the default rule); else a section named like one of the item's subjects or
        keywords ("Economy" for the subject "economy"); else NEWSROOM_INGEST_SECTION; else the first section."""
        if self.options.section is not None:
            return self.options.section
        sections = self.load_sections()
        rule = rule_for(item, self.section_rules)
        if rule is not None:
            return rule.section
        by_name = {key: s for s in sections for key in (s.name.lower(), s.slug)}
        for tag in item.tags:
            if tag.lower() in by_name:
                return by_name[tag.lower()]
        default = settings.NEWSROOM_INGEST_SECTION
        return by_name.get(default) or sections[0]
