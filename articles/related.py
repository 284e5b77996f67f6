"""'More on this' (stories sharing the most tags, newest first among equals) and 'More from
<section>' (the section's latest), fetched together in one query. A story listed under "more on
this" is not repeated under "more from <section>": the section part fetches twice the limit, so
enough remain after the overlap is dropped, without a second query.

Neither may scan the archive: "more on this" looks at the RELATED_WINDOW newest stories of each of
the story's tags (an index-only scan of taggit's (tag_id, content_type_id, object_id)) and reads
only the RELATED_POOL best of those from the story table; the section list walks the
(section, published_at) index. Story ids grow with time, so the newest ids are the newest stories.
On databases without LATERAL joins (the SQLite quick start) two plain ORM queries do the same.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, router
from django.db.models import Count
from django.utils import timezone

from .models import PUBLISHED_SQL, Article, story_paths

RELATED_WINDOW = 200
# Candidates looked up in the story table: the best by shared tags, newest (highest id) first among
# equals. Joining every candidate (up to five tags x RELATED_WINDOW) cost a heap visit each.
RELATED_POOL = 40
LINK_FIELDS = ("headline", "slug", "published_at", "created_at")



def story_links_sql(tag_ids, pk, section):
    """The links of one story as SQL, from SQL expressions for its tag ids (an int[]), id and
    section: parameters here, the story's own columns where its page reads them in the same query
    (articles.story_page). Rows: id, headline, slug, published_at, link_kind, position in its kind."""
    return f"""
WITH candidates AS MATERIALIZED (
    SELECT ti.object_id AS id, count(*) AS shared
    FROM unnest({tag_ids}) AS t(tag_id)
    CROSS JOIN LATERAL (
        SELECT object_id FROM taggit_taggeditem
        WHERE tag_id = t.tag_id AND content_type_id = %(content_type)s AND object_id <> {pk}
        ORDER BY object_id DESC LIMIT {RELATED_WINDOW}
    ) ti
    GROUP BY ti.object_id
    ORDER BY count(*) DESC, ti.object_id DESC
    LIMIT {RELATED_POOL}
)
(SELECT a.id, a.headline, a.slug, a.published_at, 'related' AS link_kind,
        row_number() OVER (ORDER BY c.shared DESC, a.published_at DESC, a.id DESC) AS position
 FROM candidates c JOIN articles_article a ON a.id = c.id
 WHERE {PUBLISHED_SQL}
 ORDER BY c.shared DESC, a.published_at DESC, a.id DESC LIMIT %(limit)s)
UNION ALL
(SELECT a.id, a.headline, a.slug, a.published_at, 'section' AS link_kind,
        row_number() OVER (ORDER BY a.published_at DESC, a.id DESC) AS position
 FROM articles_article a
 WHERE a.section_id = {section} AND a.id <> {pk} AND {PUBLISHED_SQL}
 ORDER BY a.published_at DESC, a.id DESC LIMIT %(section_limit)s)
"""


STORY_LINKS_SQL = story_links_sql("%(tag_ids)s::int[]", "%(pk)s", "%(section)s") + "ORDER BY link_kind, position"


@dataclass(frozen=True)
class Link:
    """A story as a link under another story: no model, so a page's fifteen cost no ORM work."""

    pk: int
    headline: str
    url: str


def story_links(article, limit=5, tag_ids=None):
    """(more from the section, more on this): Links to published stories, in one query (tags
    prefetched, or `tag_ids` given), no story in both. `article` needs only its pk and section_id."""
    if tag_ids is None:
        tag_ids = [tag.pk for tag in article.tags.all()]
    if connection.vendor != "postgresql":
        related = [as_link(story) for story in tag_related(article, tag_ids, limit)]
        section = [as_link(story) for story in section_latest(article, 2 * limit)]
        return without(section, related, limit), related
    params = {"tag_ids": tag_ids, "pk": article.pk, "section": article.section_id, **link_params(limit)}
    with connections[router.db_for_read(Article) or "default"].cursor() as cursor:
        cursor.execute(STORY_LINKS_SQL, params)
        return from_rows(cursor.fetchall(), limit)


def link_params(limit=5, now=None):
    """The parameters story_links_sql() takes besides the story's own."""
    return {
        "content_type": ContentType.objects.get_for_model(Article).pk,
        "now": now or timezone.now(),
        "limit": limit,
        "section_limit": 2 * limit,
    }


def from_rows(rows, limit=5):
    """(more from the section, more on this) from story_links_sql()'s rows in kind and position order."""
    rows = list(rows)
    paths = story_paths((slug, published_at) for _, _, slug, published_at, *_ in rows)
    links = {"related": [], "section": []}
    for (pk, headline, _, _, kind, *_), path in zip(rows, paths, strict=True):
        links[kind].append(Link(pk, headline, path))
    return without(links["section"], links["related"], limit), links["related"]


def as_link(story):
    return Link(story.pk, story.headline, story.get_absolute_url())


def without(stories, shown, limit):
    """The first `limit` of `stories` that are not among `shown`."""
    shown_ids = {story.pk for story in shown}
    return [story for story in stories if story.pk not in shown_ids][:limit]


def related_articles(article, limit=5):
    """Published stories sharing tags with `article`, in one query (tags must be prefetched)."""
    return story_links(article, limit)[1]


def section_latest(article, limit):
    stories = Article.objects.published().filter(section_id=article.section_id).exclude(pk=article.pk)
    return list(stories.only(*LINK_FIELDS).newest_first()[:limit])


def tag_related(article, tag_ids, limit):
    if not tag_ids:
        return []
    return list(
        Article.objects.published()
        .exclude(pk=article.pk)
        .filter(tags__in=tag_ids)
        .annotate(shared_tags=Count("pk"))
        .only(*LINK_FIELDS)
        .order_by("-shared_tags", "-published_at", "-pk")[:limit]
    )
