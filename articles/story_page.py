"""The story page on PostgreSQL: stored whole with the story, its live parts filled on each request.

What a story's page shows of its own rows -- its head, title, article, scripts -- changes only when
those rows do. So the whole page is rendered from its template once per change and stored with the
story's fragment (articles.fragments: the same triggers blank it in the writer's transaction, the
same format check retires it when code, templates or settings change). The template marks with
{% live %} what other stories and the clock change, and the stored page leaves those parts open:

- "nav" and "sidebar": the section navigation and the Top 10 with the eNewsletter sign-up (kept per
  content generation by articles.chrome);
- "links": "more on this" and "more from the section", read per request (articles.related);
- "year": the footer's copyright year.

A reader's request then runs one statement: the story with its stored page (the published rule in
SQL: a killed, embargoed or scheduled story has no page, whatever is stored), its links and, when
the request has not read it yet, the content generation its caches and ETag use -- all from one
snapshot, no model of the story, no template. Previews, and databases without stored fragments
(the SQLite quick start), render the template per request; both ways give the same bytes
(tests/test_story_page.py).
"""

import json
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, router
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString

from newsroom.links import site_url
from pagecache.generation import GENERATION_COLUMN_COUNT, GENERATION_COLUMNS, use_generation, wants_generation_read
from pagecache.generation import from_columns as generation_from_columns

from . import chrome
from .models import PUBLISHED_SQL, Article
from .related import from_rows, link_params, story_links, story_links_sql

PAGE_TEMPLATE = "articles/article_detail.html"
# The context flag under which {% live %} leaves its part open (articles/templatetags/reader.py).
LEAVE_OPEN = "leave_live_parts_open"
# Around an open part's name: a control character, which a story's text never holds (they are stripped
# on save: articles/control_characters.py; PostgreSQL's text refuses a NUL). Only the names below
# open a part, so even a stray mark could not make a page fail.
MARK = "\x1f"
LIVE_PARTS = ("nav", "sidebar", "links", "year")
OPEN_PART = re.compile(f"{MARK}({'|'.join(LIVE_PARTS)}){MARK}")

# The story, its stored page and its links (articles.related), in one round trip; and, when the
# request has not read it yet, the content generation (pagecache.generation) from the same snapshot.
LINKS_IN_ORDER = "ORDER BY l.link_kind, l.position"
STORY_FROM = f"""
FROM (
    SELECT a.id, a.slug, a.published_at, a.created_at, a.section_id, s.name,
           f.html, f.format, f.valid_until, f.tag_ids, f.keys
    FROM articles_article a
    JOIN articles_section s ON s.id = a.section_id
    LEFT JOIN articles_storyfragment f ON f.article_id = a.id
    WHERE a.slug = %(slug)s AND {PUBLISHED_SQL}
) story
CROSS JOIN LATERAL (
    SELECT array_agg(l.id {LINKS_IN_ORDER}), array_agg(l.headline {LINKS_IN_ORDER}),
           array_agg(l.slug {LINKS_IN_ORDER}), array_agg(l.published_at {LINKS_IN_ORDER}),
           array_agg(l.link_kind {LINKS_IN_ORDER})
    FROM ({story_links_sql(
        "ARRAY(SELECT jsonb_array_elements_text(story.tag_ids)::int)", "story.id", "story.section_id"
    )}) l
) links
"""
STORY_SQL = f"SELECT story.*, links.* {STORY_FROM}"
STORY_AND_GENERATION_SQL = f"SELECT story.*, links.*, {GENERATION_COLUMNS} {STORY_FROM}"


@dataclass(frozen=True)
class StoryPage:
    article: Article  # only id, slug, published_at, created_at and section_id are loaded
    section_name: str
    html: str | None  # the page with its live parts open; None when it must be rendered (read())
    tag_ids: list
    keys: list  # the page's surrogate keys
    links: tuple = None  # (more from the section, more on this) when read with the page


def marker(name):
    return f"{MARK}{name}{MARK}"


def render_open(article, fragment):
    """The page of `article` (loaded with everything its page shows) around its Fragment, live parts open."""
    return render_to_string(PAGE_TEMPLATE, {
        "article": article, "object": article, "story_html": fragment.html, "story_head": fragment.head,
        "site_name": settings.NEWSROOM_SITE_NAME, "site_url": site_url(), LEAVE_OPEN: True,
    })


def read(slug, fmt, now=None):
    """The StoryPage of the published story `slug`, its html None unless stored and current in
    format `fmt`; None if no such story is published."""
    now, read_at = now or timezone.now(), time.time()
    alias = router.db_for_read(Article) or "default"
    with_generation = wants_generation_read()
    with connections[alias].cursor() as cursor:
        sql = STORY_AND_GENERATION_SQL if with_generation else STORY_SQL
        cursor.execute(sql, {"slug": slug, **link_params(now=now)})
        row = cursor.fetchone()
    if row is None:
        return None
    if with_generation:
        use_generation(generation_from_columns(row[-GENERATION_COLUMN_COUNT:], read_at))
    pk, slug, published_at, created_at, section_id, section_name, html, format_, valid_until, tag_ids, keys = row[:11]
    article = Article(pk=pk, slug=slug, published_at=published_at, created_at=created_at, section_id=section_id)
    current = html is not None and format_ == fmt and (valid_until is None or now < valid_until)
    if not current:
        return StoryPage(article, section_name, None, [], [])
    links = from_rows(zip(*(column or () for column in row[11:16]), strict=True))
    # A plain cursor gets JSON columns as text (Django decodes JSONField itself).
    return StoryPage(article, section_name, html, json.loads(tag_ids), json.loads(keys), links)


def fill(page):
    """The bytes of `page` (a StoryPage) for this request: its open parts filled."""
    parts = OPEN_PART.split(page.html)
    live = {
        "nav": chrome.section_nav_html,
        "sidebar": chrome.sidebar_html,
        "links": lambda: links_html(page),
        "year": lambda: str(timezone.localtime().year),  # as {% now "Y" %}
    }
    parts[1::2] = [live[name]() for name in parts[1::2]]
    return SafeString("".join(parts))


def links_html(page):
    more_from_section, related = page.links or story_links(page.article, tag_ids=page.tag_ids)
    return render_links(related, more_from_section, page.section_name)


def render_links(related, more_from_section, section_name):
    """"More on this" and "More from <section>" under a story, on every story page and preview.

    Built here rather than in a template: fifteen links through the template engine cost a story
    page more than its whole stored part."""
    parts = []
    if related:
        parts.append(link_list("related", "More on this", related))
    if more_from_section:
        parts.append(link_list("more", f"More from {section_name}", more_from_section))
    return SafeString("".join(parts))


def link_list(kind, title, links):
    css = "more related" if kind == "related" else "more"
    items = "".join(f'<li><a href="{escape(link.url)}">{escape(link.headline)}</a></li>' for link in links)
    return (f'<section class="{css}" aria-labelledby="{kind}-title">\n  <h2 id="{kind}-title">{escape(title)}</h2>\n'
            f"  <ul>{items}</ul>\n</section>\n")
