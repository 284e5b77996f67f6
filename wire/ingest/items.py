"""The neutral shape every wire format is parsed into before it touches the database."""
from dataclasses import dataclass, field
from datetime import datetime

# Picture files a wire item may name or ship beside itself, in the order they are tried.
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


class IngestError(Exception):
    """A wire item cannot be imported; the message says why, in words an editor understands."""


@dataclass
class WirePicture:
    """A picture that goes with a story: where its file is and what the agency says about it."""

    href: str = ""
    # File names to try beside the item when there is no href (the first that exists is used).
    beside: list[str] = field(default_factory=list)
    guid: str = ""
    caption: str = ""
    credit: str = ""
    headline: str = ""
    byline: str = ""
    copyright: str = ""
    # The agency's licence terms for the picture (articles/rights.py acts on them).
    usage_terms: str = ""
    web_statement: str = ""
    expires_at: datetime | None = None
    # The folder (or uploaded-file set) the href is resolved against; see resolvers.py.
    resolver: object = None


@dataclass
class WireItem:
    """One wire story (or stand-alone picture) in a format-neutral form."""

    guid: str
    version: str = ""
    kind: str = "text"  # "text" or "picture"
    headline: str = ""
    dek: str = ""
    body_html: str = ""
    byline: list[str] = field(default_factory=list)
    dateline: str = ""
    source_name: str = ""
    copyright_holder: str = ""
    copyright_notice: str = ""
    subjects: list[str] = field(default_factory=list)
    # The subjects' codes as the agency wrote them ("medtop:04000000", a mediatopic address): wire/sections.py.
    subject_codes: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    version_created: datetime | None = None
    embargo_until: datetime | None = None
    pub_status: str = "usable"  # usable, withheld or canceled
    pictures: list[WirePicture] = field(default_factory=list)
    # GUIDs of pictures this item points at (NewsML-G2 links and packages), resolved within the batch.
    picture_refs: list[str] = field(default_factory=list)
    filename: str = ""
    raw: str = ""  # the item as received, kept in the ingest log
    slug: str = ""  # worked out once per batch (stories.base_slug)

    @property
    def tags(self):
        """Subjects then keywords, without repeats (case-insensitive), in wire order."""
        seen, tags = set(), []
        for name in [*self.subjects, *self.keywords]:
            name = " ".join(name.split())[:100]
            if name and name.lower() not in seen:
                seen.add(name.lower())
                tags.append(name)
        return tags


@dataclass
class WirePackage:
    """A NewsML-G2 packageItem: it groups a text item with the pictures that go with it."""

    guid: str
    version: str = ""
    item_refs: list[str] = field(default_factory=list)
    filename: str = ""
