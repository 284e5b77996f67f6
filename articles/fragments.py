"""A story's own HTML, rendered once per change and stored with the story (StoryFragment).

Two parts of the reader pages are stored here: the story's whole page with its live parts left
open (articles.story_page: everything but the navigation, the sidebar, the links to other stories
and the footer's year; from templates/articles/article_detail.html around story_main.html and
seo.html), and on list pages each card's picture and a lead story's (their srcsets of renditions,
the bulk of a card's cost). What other stories change (more on this, more from the section, the
Top 10, which stories a list shows) is read per request.

Why a stored fragment is never stale:
- the story page finds it in the story's own query (the published rule: a killed, embargoed or
  scheduled story has no page, whatever is stored);
- on PostgreSQL, triggers on every table the fragment shows (migration 0013) blank the row in the
  writer's transaction; a reader storing one first locks that row, so either it waits for the
  writer and reads what the writer committed, or the writer waits and then blanks what it stored;
- `format` names the templates, code, settings and static files that rendered it (render_format), and
  `valid_until` the next photo embargo lift or licence end among the story's photos.
Elsewhere (SQLite: the quick start) fragments are rendered per request and never stored.
"""

import functools
import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import DatabaseError, connections, transaction
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from newsroom.links import site_url
from pagecache.keys import article_keys

from . import story_page
from .cards import story_card
from .models import Article, Caption, Section, StoryFragment, card_photos, story_paths
from .pictures import card_picture, lead_picture
from .public_cache import nav_sections
from .renditions import CARD_PICTURE, FIGURE_PICTURE, prefetch_picture_renditions, story_renditions

logger = logging.getLogger(__name__)

MAIN_TEMPLATE = "articles/includes/story_main.html"
HEAD_TEMPLATE = "articles/includes/seo.html"
# Settings the stored HTML depends on (every URL, date and name in it).
RENDERING_SETTINGS = (
    "NEWSROOM_SITE_NAME", "NEWSROOM_SITE_URL", "MEDIA_URL", "STATIC_URL", "TIME_ZONE", "LANGUAGE_CODE",
)
APP = Path(__file__).resolve().parent
TEMPLATES = APP.parent / "templates"  # the story page extends base.html and includes reader/ templates
# Where a reader storing a fragment gives up waiting for a writer's transaction (then renders without storing).
LOCK_TIMEOUT = "2s"


@dataclass(frozen=True)
class Fragment:
    html: SafeString
    head: SafeString
    tag_ids: list
    keys: list  # the page's surrogate keys


def stores():
    """Are fragments stored? (PostgreSQL, where the triggers are, unless NEWSROOM_STORY_FRAGMENTS is off.)"""
    return settings.NEWSROOM_STORY_FRAGMENTS and connections["default"].vendor == "postgresql"


@functools.cache
def code_format():
    """A digest of what renders a fragment: the articles app's code and templates, and the settings."""
    digest = hashlib.sha1(usedforsecurity=False)
    sources = sorted(p for p in APP.rglob("*.py") if "migrations" not in p.parts) + sorted(TEMPLATES.rglob("*.html"))
    for path in sources:
        digest.update(path.read_bytes())
    for name in RENDERING_SETTINGS:
        digest.update(repr(getattr(settings, name)).encode())
    # The static files' hashed names a stored page links (none without a manifest: DEBUG, tests).
    digest.update(getattr(staticfiles_storage, "manifest_hash", "").encode())
    return digest


def render_format():
    """The format for this request's site address (absolute links when NEWSROOM_SITE_URL is empty)."""
    return format_for(site_url())


@functools.cache
def format_for(address):
    digest = code_format().copy()
    digest.update(address.encode())
    return digest.hexdigest()


def published_page(slug):
    """The StoryPage (articles.story_page) of the published story `slug`, stored or rendered and
    stored now; None if no such story is published. Only where fragments are stored (stores())."""
    fmt = render_format()
    page = story_page.read(slug, fmt)
    if page is None or page.html is not None:
        return page
    try:
        return render_and_store(page, fmt)
    except DatabaseError:
        # A writer held the row past LOCK_TIMEOUT, or a deadlock: this reader renders without storing.
        logger.warning("story %s: page not stored", page.article.pk, exc_info=True)
        return open_page(published_story(page.article.pk))


def open_page(article):
    """The StoryPage of `article` (loaded with everything its page shows), rendered now; None for None."""
    fragment = render(article)
    if fragment is None:
        return None
    html = story_page.render_open(article, fragment)
    return story_page.StoryPage(article, article.section.name, html, fragment.tag_ids, fragment.keys)


def published_story(pk, using=None):
    """Story `pk` with everything its page shows, if it is published (None if not)."""
    stories = Article.objects.using(using) if using else Article.objects
    return stories.published().with_related(story_renditions()).filter(pk=pk).first()


# A list page's card as values() reads it where pictures are stored (list_cards, as_cards).
CARD_COLUMNS = ("pk", "headline", "slug", "dek", "published_at", "created_at", "section_id",
                "fragment__card_image", "fragment__format", "fragment__valid_until")


@dataclass(frozen=True)
class StoredCardPicture:
    """What stored_part() reads of a card's fragment row (values(): no StoryFragment model)."""

    card_image: str | None
    format: str | None
    valid_until: datetime | None
    lead_image: str | None = None  # read only where a lead may be among the cards (the home page)


@dataclass(eq=False)
class Card:
    """A story as a list page's card shows it (templatetags.reader.card): read without a model,
    which with its section and fragment cost three instances and their signals per card."""

    pk: int
    headline: str
    url: str
    dek: str
    published_at: datetime
    section: Section
    fragment: StoredCardPicture
    card_html: SafeString | None = None  # set by attach_pictures()
    lead_picture: SafeString | None = None  # set by attach_pictures(…, "lead_picture")

    def get_absolute_url(self):
        return self.url


def list_cards(queryset, leads=False):
    """`queryset` (published stories, ordered) as a page reads its cards: CARD_COLUMNS where
    pictures are stored (turn the rows into Cards with as_cards), else whole rows for per-request
    pictures. `leads`: also the stored lead picture, for a page whose lead is among the cards."""
    if not stores():
        return queryset.with_card_rows()
    return queryset.values(*CARD_COLUMNS, *(["fragment__lead_image"] if leads else []))


def as_cards(rows):
    """Cards of list_cards() rows (dicts; model instances where nothing is stored pass through),
    each with its Section from the navigation's cached list."""
    rows = list(rows)
    values = [row for row in rows if isinstance(row, dict)]
    sections = sections_by_id({row["section_id"] for row in values})
    paths = dict(zip(
        (row["pk"] for row in values),
        story_paths((row["slug"], row["published_at"] or row["created_at"]) for row in values),
        strict=True,
    ))
    return [
        Card(row["pk"], row["headline"], paths[row["pk"]], row["dek"], row["published_at"], sections[row["section_id"]],
             StoredCardPicture(row["fragment__card_image"], row["fragment__format"], row["fragment__valid_until"],
                               row.get("fragment__lead_image")))
        if isinstance(row, dict) else row
        for row in rows
    ]


def sections_by_id(ids):
    """{id: Section} of `ids`, from the navigation's list (kept per generation); a section made since
    that list was read is fetched."""
    sections = {section.pk: section for section in nav_sections() if section.pk in ids}
    if len(sections) < len(ids):
        sections |= Section.objects.in_bulk(ids - sections.keys())
    return sections


def is_current(fragment, fmt, now=None):
    """Was `fragment` rendered by this code and settings, and is it before its clock moment?"""
    return fragment.format == fmt and (fragment.valid_until is None or (now or timezone.now()) < fragment.valid_until)


def stored_part(fragment, column, fmt, now=None):
    """`fragment`'s `column` (html, card_image…) if it is stored and current, else None."""
    value = getattr(fragment, column) if fragment is not None else None
    return value if value is not None and is_current(fragment, fmt, now) else None


def lock_rows(cursor, ids):
    """Create or lock the fragment rows of `ids`, in id order; waits while a writer's transaction holds one."""
    cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    cursor.execute(
        "INSERT INTO articles_storyfragment (article_id, format, tag_ids, keys) "
        "SELECT id, '', '[]', '[]' FROM unnest(%s::bigint[]) AS ids(id) ORDER BY id "
        "ON CONFLICT (article_id) DO UPDATE SET format = articles_storyfragment.format",
        [sorted(ids)],
    )


def save_rendered(rows, fmt, values):
    """Store on `rows` (StoryFragments read under lock_rows()) their `values`, {pk: {field: value}};
    a row that other code or settings rendered loses its other parts (none of them is current)."""
    names = {"format", *(name for fields in values.values() for name in fields)}
    for row in rows:
        if row.format != fmt:
            row.format, row.html, row.head, row.card_image, row.lead_image = fmt, None, None, None, None
            names |= {"html", "head", "card_image", "lead_image"}
        for name, value in values[row.pk].items():
            setattr(row, name, value)
    StoryFragment.objects.using("default").bulk_update(rows, sorted(names))


def render_and_store(read, fmt):
    """Lock the story's fragment row, render its page from the primary, store it (see the module's
    docstring). `read`: the StoryPage as story_page.read() found it, not rendered; the StoryPage,
    None if the story is no longer published."""
    pk = read.article.pk
    with transaction.atomic(using="default"), connections["default"].cursor() as cursor:
        lock_rows(cursor, [pk])
        stored = StoryFragment.objects.using("default").get(pk=pk)
        if stored_part(stored, "html", fmt) is not None:  # another reader stored it while this one waited
            return replace(read, html=stored.html, tag_ids=stored.tag_ids, keys=stored.keys)
        article = published_story(pk, using="default")
        if article is None:
            return None
        page = open_page(article)
        save_rendered([stored], fmt, {pk: {
            "html": page.html, "tag_ids": page.tag_ids, "keys": page.keys,
            "valid_until": next_photo_moments([pk]).get(pk),
        }})
        return page


def render(article, **preview):
    """The Fragment of `article` (loaded with with_related(story_renditions())); None for None.

    `preview`: is_preview and preview_state, for the desk's previews (never stored).
    """
    if article is None:
        return None
    context = {"article": article, "site_name": settings.NEWSROOM_SITE_NAME, "site_url": site_url(), **preview}
    return Fragment(
        SafeString(render_to_string(MAIN_TEMPLATE, context)),
        SafeString(render_to_string(HEAD_TEMPLATE, context)),
        [tag.pk for tag in article.tags.all()],
        article_keys(article),
    )


# --- pictures on list pages ------------------------------------------------------------------------

@dataclass(frozen=True)
class Picture:
    column: str  # where StoryFragment keeps it
    spec: str  # the picture's rendition family (articles/renditions.py)
    draw: object  # article with its photos prefetched -> SafeString


# The attribute attach_pictures() sets on a story -> the picture.
PICTURES = {
    # The whole card, its heading level left open (articles.cards).
    "card_html": Picture("card_image", CARD_PICTURE, lambda story: story_card(story, card_picture(story))),
    "lead_picture": Picture("lead_image", FIGURE_PICTURE, lead_picture),
}


def render_pictures(stories, name):
    """Set `name` (a PICTURES key) on each of `stories`, prefetching all their photos and renditions at once."""
    kind = PICTURES[name]
    prefetch_related_objects(stories, card_photos(renditions=False))
    prefetch_picture_renditions([(story.lead_caption.photo, kind.spec) for story in stories if story.lead_caption])
    for story in stories:
        setattr(story, name, kind.draw(story))


def attach_pictures(stories, name="card_html"):
    """Set `name` (a PICTURES key) on each of `stories` (Cards, or models where nothing is stored): the
    stored picture where it is current, else drawn now (one prefetch for all of those) and stored."""
    column = PICTURES[name].column
    if not stores():
        render_pictures(stories, name)
        return
    fmt, now = render_format(), timezone.now()
    missing = []
    for story in stories:
        picture = stored_part(getattr(story, "fragment", None), column, fmt, now)
        if picture is None:
            missing.append(story)
        else:
            setattr(story, name, SafeString(picture))
    if not missing:
        return
    try:
        pictures = render_and_store_pictures([story.pk for story in missing], name, fmt)
    except DatabaseError:
        logger.warning("pictures of stories %s not stored", [s.pk for s in missing], exc_info=True)
        # Drawn on models of their own: a Card has no photos to prefetch.
        drawn = {story.pk: story for story in Article.objects.filter(pk__in=[s.pk for s in missing])}
        render_pictures(list(drawn.values()), name)
        for story in missing:
            setattr(story, name, getattr(drawn.get(story.pk), name, SafeString("")))
        return
    for story in missing:
        setattr(story, name, pictures.get(story.pk, SafeString("")))


def render_and_store_pictures(ids, name, fmt):
    """{id: picture} for `ids`, each drawn from the primary under its locked row and stored."""
    column = PICTURES[name].column
    with transaction.atomic(using="default"), connections["default"].cursor() as cursor:
        lock_rows(cursor, ids)
        rows = list(StoryFragment.objects.using("default").filter(pk__in=ids).defer("html", "head"))
        stored = {row.pk: stored_part(row, column, fmt) for row in rows}
        pictures = {pk: SafeString(picture) for pk, picture in stored.items() if picture is not None}
        stale = [row for row in rows if row.pk not in pictures]
        if not stale:
            return pictures
        # The story rows again, read after the lock: what changed meanwhile is in the card.
        stories = list(Article.objects.using("default").filter(pk__in=[row.pk for row in stale])
                       .only("id", "slug", "published_at", "created_at", "headline", "dek"))
        render_pictures(stories, name)
        drawn = {story.pk: getattr(story, name) for story in stories}
        ends = next_photo_moments(drawn)
        save_rendered([row for row in stale if row.pk in drawn], fmt, {
            pk: {column: str(picture), "valid_until": ends.get(pk)} for pk, picture in drawn.items()
        })
        return {**pictures, **drawn}


def next_photo_moments(ids, now=None):
    """{story id: the next moment one of its photos becomes visible or stops being} (a fragment's end)."""
    now = now or timezone.now()
    upcoming = defaultdict(list)
    rows = Caption.objects.using("default").filter(article_id__in=list(ids)).values_list(
        "article_id", "photo__usable_from", "photo__expires_at")
    for article_id, *moments in rows:
        upcoming[article_id] += [moment for moment in moments if moment is not None and moment > now]
    return {article_id: min(moments) for article_id, moments in upcoming.items() if moments}
