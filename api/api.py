"""The public content API, /api/v1/ (django-ninja): stories, ninjs, sections, tags, sources, authors, photos.

Every story comes from content.visible_stories(), which is Article.objects.published() for everyone
(plus the cleared-but-not-yet-public stories for keys with embargo access).
"""
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

import ninja.errors
import pydantic
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import AuthorizationError, HttpError
from ninja.pagination import CursorPagination, paginate
from ninja.responses import Status
from pydantic import field_validator

from articles.models import Article, Author, Section, Source
from articles.search import clean_query, matching
from pagecache.keys import add_keys

from . import content
from .http import finish_response, set_last_modified, tag_stories
from .keys import ApiKeyAuth, caller
from .models import ApiKey
from .ninjs import story_ninjs, withdrawal_ninjs
from .schemas import (
    AuthorOut,
    ErrorOut,
    FrontOut,
    PhotoOut,
    SectionOut,
    SourceOut,
    StoryOut,
    StorySummaryOut,
    TagOut,
    ValidationErrorOut,
)
from .throttling import CallerRateThrottle


class ContentAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The document says what is true: the key is optional (no key means the anonymous rate limit)."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                if operation.get("security"):
                    operation["security"] = [*operation["security"], {}]
        return schema

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        return finish_response(request, response)


api = ContentAPI(
    title="Newsroom content API",
    version="1",
    description=(
        "Read-only access to published stories, their photos and the site's sections, tags, sources and "
        "authors, plus every story as an IPTC ninjs 2.0 document. Anonymous callers are rate limited per "
        "address; partners send an `X-API-Key` header. See docs/api.md."
    ),
    urls_namespace="api",
    auth=ApiKeyAuth(),
    throttle=[CallerRateThrottle()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut}


def require_scope(request, scope):
    if not caller(request).has_scope(scope):
        raise AuthorizationError(message=f"This API key does not have the {scope!r} scope.")


@dataclass
class Listing:
    """What a list view hands the paginator: the rows, how to present one, and the response for Last-Modified."""

    queryset: object
    present: object
    response: HttpResponse | None = None


class Page(CursorPagination):
    """Cursor pagination (django-ninja's): the cursor holds the last position seen, so a page never shifts
    when new stories arrive; no COUNT query, so its cost does not grow with the archive."""

    def __init__(self, ordering=("-published_at", "-pk"), **kwargs):
        super().__init__(
            ordering=ordering,
            page_size=settings.NEWSROOM_API_PAGE_SIZE,
            max_page_size=settings.NEWSROOM_API_MAX_PAGE_SIZE,
            **kwargs,
        )

    def paginate_queryset(self, listing, pagination, request, **params):
        try:
            page = super().paginate_queryset(listing.queryset, pagination, request, **params)
        except (ninja.errors.ValidationError, pydantic.ValidationError, DjangoValidationError) as error:
            # As Django REST framework does: a cursor we did not hand out points at no page.
            raise HttpError(404, "Invalid cursor.") from error
        rows = page["results"]
        if listing.response is not None and rows:
            set_last_modified(listing.response, max(row.modified_at for row in rows))
            tag_stories(listing.response, rows, is_list=True)
        page["results"] = [listing.present(row) for row in rows]
        return page


SLUG = r"^[-a-zA-Z0-9_]+$"
# A database id: positive and within PostgreSQL's bigint.
ObjectId = Annotated[int, Path(ge=1, le=2**63 - 1)]


class StoryFilters(Schema):
    section: str | None = Field(None, max_length=100, pattern=SLUG, description="Section slug.")
    tag: str | None = Field(None, max_length=100, pattern=SLUG, description="Tag slug.")
    source: str | None = Field(None, max_length=100, pattern=SLUG, description="Source slug, e.g. yonhap.")
    author: str | None = Field(None, max_length=150, pattern=SLUG, description="Author slug.")
    published_after: datetime | None = Field(None, description="Published at or after this time (ISO 8601).")
    published_before: datetime | None = Field(None, description="Published before this time.")
    updated_since: datetime | None = Field(None, description="Changed in any way at or after this time.")
    q: str | None = Field(None, max_length=200, description="Full-text search (the site's search); newest first.")

    @field_validator("published_after", "published_before", "updated_since")
    @classmethod
    def in_utc(cls, value):
        """Any offset is accepted and turned into UTC (PostgreSQL refuses offsets beyond ±15:59); naive is UTC."""
        if value is None:
            return None
        try:
            return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        except OverflowError as error:
            raise ValueError("The time is out of range.") from error

    def apply(self, stories):
        if self.section:
            stories = stories.filter(section__slug=self.section)
        if self.tag:
            stories = stories.filter(tags__slug=self.tag)
        if self.source:
            stories = stories.filter(source__slug=self.source)
        if self.author:
            stories = stories.filter(authors__slug=self.author)
        if self.published_after:
            stories = stories.filter(published_at__gte=self.published_after)
        if self.published_before:
            stories = stories.filter(published_at__lt=self.published_before)
        if self.updated_since:
            stories = stories.filter(modified_at__gte=self.updated_since)
        if self.q is not None:
            # The site's matching rule over the caller's stories; newest first, so no ranking window.
            stories = matching(stories, clean_query(self.q))
        return stories.distinct() if self.tag or self.author else stories


@api.get("/stories", response={200: list[StorySummaryOut], **ERRORS}, url_name="stories", tags=["stories"])
@paginate(Page)
def list_stories(request, response: HttpResponse, filters: Query[StoryFilters]):
    """Stories, newest first, each with its lead photo; narrowed by the filters."""
    require_scope(request, ApiKey.Scope.CONTENT)
    now = timezone.now()
    stories = content.with_summary_related(filters.apply(content.visible_stories(caller(request), now)))
    return Listing(stories, lambda article: content.story_summary(article, now), response)


def find_story(request, story_id, now):
    return content.visible_stories(caller(request), now).with_related().filter(pk=story_id).first()


def killed_story(story_id):
    """A story that was public and has been killed: it answers 410 Gone rather than 404."""
    return Article.objects.filter(pk=story_id, status=Article.Status.KILLED, first_published_at__isnull=False).first()


@api.get(
    "/stories/{int:story_id}",
    response={200: StoryOut, 410: None, **ERRORS},
    url_name="story",
    tags=["stories"],
)
def get_story(request, response: HttpResponse, story_id: ObjectId):
    """One story with everything its page shows. A killed story answers 410 Gone with no content."""
    require_scope(request, ApiKey.Scope.CONTENT)
    now = timezone.now()
    article = find_story(request, story_id, now)
    if article is not None:
        set_last_modified(response, article.modified_at)
        tag_stories(response, [article])
        return content.story_detail(article, now)
    if killed_story(story_id):
        return gone(request)
    raise HttpError(404, "No such story.")


def gone(request):
    return finish_response(request, HttpResponse(status=410))


@api.get(
    "/stories/{int:story_id}.ninjs",
    response={200: dict, 410: dict, **ERRORS},
    url_name="story-ninjs",
    tags=["stories"],
    summary="Get a story as ninjs 2.0",
)
def get_story_ninjs(request, response: HttpResponse, story_id: ObjectId):
    """The story as an IPTC ninjs 2.0 document. A killed story answers 410 with a `canceled` notice only."""
    require_scope(request, ApiKey.Scope.NINJS)
    now = timezone.now()
    article = find_story(request, story_id, now)
    if article is not None:
        set_last_modified(response, article.modified_at)
        tag_stories(response, [article])
        return story_ninjs(article)
    killed = killed_story(story_id)
    if killed is not None:
        return Status(410, withdrawal_ninjs(killed))
    raise HttpError(404, "No such story.")


@api.get("/front", response={200: FrontOut, **ERRORS}, url_name="front", tags=["stories"])
def get_front(request, response: HttpResponse):
    """The home page as readers see it now: the lead and top stories (pinned by the desk or the newest),
    then each section's lead. Never a story readers may not see, whatever the key."""
    require_scope(request, ApiKey.Scope.CONTENT)
    now = timezone.now()
    home, sections = content.front_page(now)
    tag_stories(response, [story for _, _, story in [*home, *sections]], is_list=True)
    add_keys(response, "home")

    def slot(name, pinned, story):
        return {"slot": name, "pinned": pinned, "story": content.story_summary(story, now)}

    return {"home": [slot(*row) for row in home], "sections": [slot(*row) for row in sections]}


@api.get("/sections", response={200: list[SectionOut], **ERRORS}, url_name="sections", tags=["reference"])
@paginate(Page, ordering=("position", "pk"))
def list_sections(request):
    """Every section, in navigation order."""
    require_scope(request, ApiKey.Scope.CONTENT)
    return Listing(Section.objects.all(), content.section_data)


@api.get("/sources", response={200: list[SourceOut], **ERRORS}, url_name="sources", tags=["reference"])
@paginate(Page, ordering=("pk",))
def list_sources(request):
    """Every source: agencies, staff and partners."""
    require_scope(request, ApiKey.Scope.CONTENT)
    return Listing(Source.objects.all(), content.source_data)


@api.get("/authors", response={200: list[AuthorOut], **ERRORS}, url_name="authors", tags=["reference"])
@paginate(Page, ordering=("pk",))
def list_authors(request):
    """Every author with a byline page."""
    require_scope(request, ApiKey.Scope.CONTENT)
    return Listing(Author.objects.all(), content.author_data)


@api.get("/tags", response={200: list[TagOut], **ERRORS}, url_name="tags", tags=["reference"])
@paginate(Page, ordering=("pk",))
def list_tags(request):
    """The tags of stories the caller may read (a tag used only on unpublished stories is not listed)."""
    require_scope(request, ApiKey.Scope.CONTENT)
    return Listing(content.visible_tags(caller(request)), content.tag_data)


@api.get("/photos", response={200: list[PhotoOut], **ERRORS}, url_name="photos", tags=["photos"])
@paginate(Page, ordering=("-pk",))
def list_photos(request):
    """Photos that appear with stories the caller may read, newest first, with their renditions."""
    require_scope(request, ApiKey.Scope.CONTENT)
    photos = content.visible_photos(caller(request)).prefetch_related("renditions")
    return Listing(photos, content.photo_data)


@api.get("/photos/{int:photo_id}", response={200: PhotoOut, **ERRORS}, url_name="photo", tags=["photos"])
def get_photo(request, photo_id: ObjectId):
    """One photo with its renditions (widths and formats), if it appears with a story the caller may read."""
    require_scope(request, ApiKey.Scope.CONTENT)
    photo = content.visible_photos(caller(request)).prefetch_related("renditions").filter(pk=photo_id).first()
    if photo is None:
        raise HttpError(404, "No such photo.")
    return content.photo_data(photo)
