"""The shapes the content API answers with; they are also its OpenAPI document."""
from datetime import datetime

from ninja import Field, Schema


class SectionOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    url: str = Field(description="The section's page on the public site.")


class SourceOut(Schema):
    id: int
    name: str
    slug: str
    kind: str = Field(description="agency, staff or partner")
    attribution: str = Field(description='Printed after a story\'s body, e.g. "(Yonhap)"; empty for none.')
    url: str


class AuthorOut(Schema):
    id: int
    name: str
    slug: str
    role: str
    url: str


class TagOut(Schema):
    name: str
    slug: str
    url: str


class RenditionOut(Schema):
    url: str
    width: int
    height: int
    format: str = Field(description="jpeg, webp or avif")
    content_type: str
    crop: str = Field(description='"" for the whole picture, else the aspect ratio ("16x9", "1x1")')


class PhotoOut(Schema):
    id: int
    role: str = Field(description="lead or inline (on a story); empty on /photos")
    caption: str
    credit: str
    photographer: str
    copyright: str
    alt_text: str
    usage_terms: str = Field(description='The licence terms, e.g. "Editorial use only."')
    expires_at: datetime | None = Field(description="Licence end: the photo disappears from the API then.")
    digital_source_type: str = Field(
        description="IPTC digital source type URI (camera, composite, AI-generated...); empty when unknown"
    )
    provenance_label: str = Field(
        description='The label readers see under the figure ("AI-generated image"), or empty when none'
    )
    width: int
    height: int
    renditions: list[RenditionOut]


class NoteOut(Schema):
    kind: str = Field(description="correction, clarification or update")
    text: str
    created_at: datetime


class EmbargoOut(Schema):
    under_embargo: bool = Field(description="True while the story may not be published by anyone.")
    embargoed_until: datetime | None = Field(description="The embargo time set on the story, if any.")
    release_at: datetime | None = Field(description="When the story goes (or went) public on our site.")
    is_released: bool = Field(description="False only for keys with embargo access, on stories not yet public.")


class StorySummaryOut(Schema):
    id: int
    headline: str
    standfirst: str
    url: str = Field(description="The canonical address of the story page.")
    api_url: str
    ninjs_url: str
    section: SectionOut
    source: SourceOut | None
    byline: str = Field(description='As the page prints it: "By A, B and C", else the source\'s name.')
    published_at: datetime | None
    updated_at: datetime | None = Field(description='The "Updated" time the page shows; null if it shows none.')
    modified_at: datetime = Field(description="Last change of any kind; what updated_since filters on.")
    version: int
    embargo: EmbargoOut
    lead_photo: PhotoOut | None


class StoryOut(StorySummaryOut):
    body_html: str = Field(description="Sanitized HTML (the same allow-list the editor uses).")
    dateline: str
    attribution: str = Field(description='The source line printed after the body, e.g. "(Yonhap)".')
    authors: list[AuthorOut]
    tags: list[TagOut]
    photos: list[PhotoOut] = Field(description="Lead photo first, then inline photos in order.")
    corrections: list[NoteOut] = Field(description="Corrections, clarifications and updates, oldest first.")


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: list[dict] = Field(description="What was wrong with each parameter.")


class FrontSlotOut(Schema):
    slot: str = Field(description='"Home lead", "Top story 1" to "Top story 4", or "<Section> lead".')
    pinned: bool = Field(description="An editor pinned the story here; false when the newest story fills the slot.")
    story: StorySummaryOut


class FrontOut(Schema):
    home: list[FrontSlotOut] = Field(description="The home page's lead, then its top stories, in order.")
    sections: list[FrontSlotOut] = Field(description="Each section's lead, in navigation order.")
