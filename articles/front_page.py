"""Which stories the home page shows: the home slots (the lead and the top stories), then each
section's lead and latest few; and each section page's lead.

The desk pins stories to slots (frontpage.models: the live layout). A pinned story shows only
while `Article.objects.published(now)` admits it and its slot has not expired; otherwise the slot
falls back to the newest story not shown elsewhere on the front. No story appears twice.

Bounded work whatever the size of the archive or the number of pins: one query reads the live
pins together with the newest stories the empty home slots may need; on PostgreSQL a LATERAL join
then walks the (section, published_at) index of each section for a few rows (elsewhere, the SQLite
quick start, a window function ranks the published stories).
"""

from dataclasses import dataclass, field

from django.db import connections, router
from django.db.models import F, IntegerField, Q, Subquery, Value, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from frontpage.models import HOME_SLOTS, LIVE_LAYOUT_SQL, FrontLayout, FrontSlot

from .models import PUBLISHED_SQL, Article
from .public_cache import cached_public

STORIES_PER_SECTION = 4

SECTION_LATEST_SQL = f"""
SELECT latest.id FROM articles_section s
CROSS JOIN LATERAL (
    SELECT a.id FROM articles_article a
    WHERE a.section_id = s.id AND a.id <> ALL(%(shown)s) AND {PUBLISHED_SQL}
    ORDER BY a.published_at DESC, a.id DESC LIMIT %(per_section)s
) latest
"""

# visible_pins(now, layout) and, after them, enough of the newest other stories to fill every home
# slot: the rows of front_page_ids() in one query. Raw SQL because building the same UNION with the
# ORM cost about 1.25 ms of CPU a home page, half the function. `{layout}`: LIVE_LAYOUT_SQL, or
# %(layout)s for the desk's preview.
# visible_pins() in SQL: the slots `f` of layout {layout} readers may see, with their stories `a`.
VISIBLE_PINS_SQL = f"""
    frontpage_frontslot f JOIN articles_article a ON a.id = f.article_id
    WHERE f.layout_id = {{layout}} AND (f.expires_at IS NULL OR f.expires_at > %(now)s)
      AND (f.section_id IS NULL OR f.section_id = a.section_id) AND {PUBLISHED_SQL}"""
FRONT_ROWS_SQL = f"""
WITH pins AS (
    SELECT f.article_id, f.section_id, f.position, a.published_at FROM {VISIBLE_PINS_SQL}
)
(SELECT * FROM pins ORDER BY section_id, position)
UNION ALL
(SELECT a.id, NULL, 0, a.published_at FROM articles_article a
 WHERE {PUBLISHED_SQL} AND a.id NOT IN (SELECT article_id FROM pins)
 ORDER BY a.published_at DESC, a.id DESC LIMIT %(slots)s)
"""
FRONT_ROWS_SQL_LIVE = FRONT_ROWS_SQL.format(layout=LIVE_LAYOUT_SQL)
# visible_pins(now).filter(section=...): a section's lead, if readers may see it.
SECTION_LEAD_SQL = (
    f"SELECT f.article_id FROM {VISIBLE_PINS_SQL.format(layout=LIVE_LAYOUT_SQL)} "
    "AND f.section_id = %(section)s ORDER BY f.position"
)
FRONT_ROWS_SQL_PREVIEW = FRONT_ROWS_SQL.format(layout="%(layout)s")


@dataclass
class FrontPageIds:
    """Story ids of the front: home slots in order (lead first), pinned ones, section leads."""

    home: list = field(default_factory=list)
    pinned: set = field(default_factory=set)
    section_leads: dict = field(default_factory=dict)  # section id -> story id
    under_sections: list = field(default_factory=list)  # the latest stories under each section heading

    @property
    def lead(self):
        return self.home[0] if self.home else None

    def all_ids(self):
        return [*self.home, *self.section_leads.values(), *self.under_sections]


def visible_pins(now, layout=None):
    """The live layout's pinned stories readers may see at `now` (or `layout`'s, for a preview)."""
    layout_ids = [layout.pk] if layout is not None else Subquery(FrontLayout.objects.live_at(now).values("pk"))
    return FrontSlot.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        Q(section__isnull=True) | Q(section_id=F("article__section_id")),
        layout__in=layout_ids,
        article__in=Article.objects.published(now).values("pk"),
    )


def front_page_ids(now=None, layout=None):
    """The front at `now`, as arranged by the live layout (or by `layout`, for the desk's preview)."""
    now = now or timezone.now()
    front = FrontPageIds()
    home = [None] * HOME_SLOTS
    fallback = []
    for article_id, section_id, position, published_at in front_rows(now, layout):
        if position == 0:
            fallback.append((published_at, article_id))
        elif section_id is None:
            home[position - 1] = article_id
            front.pinned.add(article_id)
        else:
            front.section_leads[section_id] = article_id
            front.pinned.add(article_id)
    fallback = [pk for _, pk in sorted(fallback)]  # oldest first: pop() takes the newest
    front.home = [pk for pk in (slot or (fallback.pop() if fallback else None) for slot in home) if pk]
    front.under_sections = latest_by_section([*front.home, *front.section_leads.values()], now)
    return front


def reading_connection():
    """Where the ORM would read stories for this request (the replica for anonymous readers, when there is one)."""
    return connections[router.db_for_read(Article) or "default"]


def front_rows(now, layout):
    """(story id, section id, position, publish time) of each visible pin, then (id, None, 0, time)
    of the newest other stories, enough to fill every home slot."""
    connection = reading_connection()
    if connection.vendor == "postgresql":
        sql = FRONT_ROWS_SQL_LIVE if layout is None else FRONT_ROWS_SQL_PREVIEW
        params = {"now": now, "slots": HOME_SLOTS, "layout": layout.pk if layout is not None else None}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    # SQLite (the quick start): the same with the ORM, in two queries (it cannot order a part of a UNION).
    pins = visible_pins(now, layout)
    newest = (
        Article.objects.published(now)
        .exclude(pk__in=pins.values("article_id"))
        .newest_first()
        .values_list(
            "pk", Value(None, output_field=IntegerField()), Value(0, output_field=IntegerField()), "published_at"
        )
    )
    return [*pins.values_list("article_id", "section_id", "position", "article__published_at"), *newest[:HOME_SLOTS]]


def latest_by_section(shown, now):
    """Ids of each section's newest few stories, leaving out those already on the front."""
    connection = reading_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(SECTION_LATEST_SQL, {"now": now, "shown": shown, "per_section": STORIES_PER_SECTION})
            return [row[0] for row in cursor.fetchall()]
    ranked = (
        Article.objects.published(now)
        .exclude(pk__in=shown)
        .annotate(rank=Window(RowNumber(), partition_by=F("section_id"), order_by=F("published_at").desc()))
        .filter(rank__lte=STORIES_PER_SECTION)
        .values_list("pk", flat=True)
    )
    return list(ranked)


def section_lead_ids(section):
    """Ids of the story pinned as `section`'s lead in the live layout, if readers may see it.

    Kept per content generation (public_cache): a pin, a layout or a story changing is a new one, and
    so is a layout going live, a slot expiring or the story's embargo lifting (the generation's clock).
    On PostgreSQL one raw query: as an ORM subquery of the section's list and of the lead's own
    query, building visible_pins() twice cost about 1.7 ms of CPU a section page.
    """
    return cached_public(f"section-lead:{section.pk}", lambda: live_section_lead_ids(section, timezone.now()))


def live_section_lead_ids(section, now):
    connection = reading_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(SECTION_LEAD_SQL, {"now": now, "section": section.pk})
            return [row[0] for row in cursor.fetchall()]
    return list(visible_pins(now).filter(section=section).order_by("position").values_list("article_id", flat=True))
