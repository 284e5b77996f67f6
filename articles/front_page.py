"""Which stories the home page shows: the lead (the latest story) and each section's latest few.

Bounded work whatever the size of the archive: on PostgreSQL a LATERAL join walks the
(section, published_at) index of each section for a few rows; elsewhere (the SQLite quick start)
a window function ranks the published stories.
"""

from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from .models import Article

STORIES_PER_SECTION = 4

SECTION_LATEST_SQL = """
SELECT latest.id FROM articles_section s
CROSS JOIN LATERAL (
    SELECT a.id FROM articles_article a
    WHERE a.section_id = s.id AND a.id <> %(lead)s AND a.status = 'published' AND a.published_at <= %(now)s
      AND (a.embargo_until IS NULL OR a.embargo_until <= %(now)s)
    ORDER BY a.published_at DESC, a.id DESC LIMIT %(per_section)s
) latest
"""


def front_page_ids(now=None):
    """(lead story id or None, ids of the stories under each section heading)."""
    now = now or timezone.now()
    published = Article.objects.published(now)
    lead_pk = published.newest_first().values_list("pk", flat=True).first()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(SECTION_LATEST_SQL, {"now": now, "lead": lead_pk or 0, "per_section": STORIES_PER_SECTION})
            return lead_pk, [row[0] for row in cursor.fetchall()]
    ranked = (
        published.exclude(pk=lead_pk)
        .annotate(rank=Window(RowNumber(), partition_by=F("section_id"), order_by=F("published_at").desc()))
        .filter(rank__lte=STORIES_PER_SECTION)
        .values_list("pk", flat=True)
    )
    return lead_pk, list(ranked)

