"""The content generation: one value that changes whenever what readers may see changes.

Every cache of public output (the navigation, the Top 10, feeds, sitemaps and whole anonymous
pages) keys its entries by this value, so nothing has to be deleted on a change: the next
request in any process reads a new generation and misses the old entries.

Why the database owns it: the embedded default cache is per process (LocMem), and changes come
from the admin, `manage.py ingest`, the shell, workers and plain ``QuerySet.update()`` calls. A
trigger on every watched table (pagecache/migrations/0001_initial.py) bumps a counter in the same
transaction as the change, so the new generation becomes visible exactly when the change does,
whoever made it and whatever the cache backend. A counter in the cache could only be bumped by
Python code that remembered to, and would be per process without Redis.

The clock matters too: a scheduled story, an embargo lift, a photo licence ending or a photo
embargo lifting (articles/rights.py), a front page layout scheduled to go live or a pinned story's
slot expiring (frontpage/models.py) changes the site with no write at all. So the generation also
holds the latest such moment of each kind that has passed; each moves the moment such a time is
reached. (A time on a photo no live story shows moves it too: a harmless extra miss.) All of it
comes from one query of index probes (well under a millisecond), made once per request.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections, router
from django.utils import timezone

from .models import GenerationSlot

GENERATION_SQL = """
SELECT (SELECT coalesce(sum(value), 0) FROM pagecache_generation),
       (SELECT max(published_at) FROM articles_article WHERE status = 'published' AND published_at <= %s),
       (SELECT max(embargo_until) FROM articles_article WHERE status = 'published' AND embargo_until <= %s),
       (SELECT max(expires_at) FROM articles_photo WHERE expires_at <= %s),
       (SELECT max(usable_from) FROM articles_photo WHERE usable_from <= %s),
       (SELECT max(live_from) FROM frontpage_frontlayout WHERE kind = 'published' AND live_from <= %s),
       (SELECT max(expires_at) FROM frontpage_frontslot WHERE expires_at <= %s AND layout_id = (
            SELECT id FROM frontpage_frontlayout WHERE kind = 'published' AND live_from <= %s
            ORDER BY live_from DESC, id DESC LIMIT 1))
"""

_request_generation = ContextVar("pagecache_request_generation", default=None)


def _stamp(value):
    if value is None:
        return "0"
    if isinstance(value, str):  # SQLite returns timestamps as text
        return value.replace(" ", "T")
    return f"{value.timestamp():.6f}"


def read_generation(now=None):
    """The generation as the database sees it now (one query)."""
    now = now or timezone.now()
    alias = router.db_for_read(GenerationSlot)
    with connections[alias or "default"].cursor() as cursor:
        cursor.execute(GENERATION_SQL, [now] * 7)
        counter, *moments = cursor.fetchone()
    return ".".join([str(counter), *map(_stamp, moments)])


def current_generation():
    """The generation for this request: read once per request, afresh on every call outside one."""
    memo = _request_generation.get()
    if memo is not None:
        if memo[0] is None:
            memo[0] = read_generation()
        return memo[0]
    return read_generation()


@contextmanager
def request_generation():
    """Within this block (one request), the generation is read at most once, on first use."""
    token = _request_generation.set([None])
    try:
        yield
    finally:
        _request_generation.reset(token)
