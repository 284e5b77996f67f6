"""The content generation: one value that changes whenever what readers may see changes.

Every cache of public output (the navigation, the Top 10, feeds, sitemaps and whole anonymous
pages) is checked against this value, so nothing has to be deleted on a change: the next request
in any process sees a new generation and misses the old entries.

Why the database owns it: changes come from the admin, `manage.py ingest`, the shell, workers and
plain ``QuerySet.update()`` calls. A trigger on every watched table
(pagecache/migrations/0001_initial.py) bumps a counter in the same transaction as the change, so
the new generation becomes visible exactly when the change does, whoever made it.

The clock matters too: a scheduled story, an embargo lift, a photo licence ending or a photo
embargo lifting (articles/rights.py), a front page layout scheduled to go live or a pinned story's
slot expiring (frontpage/models.py) changes the site with no write at all. So the generation also
holds the latest such moment of each kind that has passed, and the read also returns the next such
moment to come (``valid_until``): until then, only a write can change the generation. All of it
comes from one query of index probes.

Where a request reads it (pagecache/middleware.py):

* **Per-process cache** (no Redis): from the database, once per request. Exact, one query.
* **Shared cache** (Redis): from the cache, in the same round trip as the page itself
  (``SHARED_KEY``, next to the page's entry). No query on a cache hit. It stays exact because
  every process that writes publishes the new generation *before its write returns*:
  ``note_writes`` (installed on every database connection by apps.py) sees each INSERT, UPDATE,
  DELETE or TRUNCATE, and once the transaction commits (at once in autocommit) reads the
  generation from the database and publishes it (``publish``). So when a kill or an edit has
  returned to the editor, every process's next request sees the new generation. Publishing only
  moves forward (a compare-and-set on the counter and the read time in Redis), so a slow reader
  can never put back an older value. A request that misses reads the database again (the page is
  built from what it read) and publishes what it read if that is newer. The published copy lives
  NEWSROOM_GENERATION_RECHECK_SECONDS and expires by the clock at ``valid_until``; so a write the
  hook cannot see (psql, another program, a writable CTE) shows within that many seconds, and a
  Redis restart costs one query. A process with uncommitted writes of its own reads the database
  (it sees rows nobody else sees yet).
"""

import math
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router, transaction

from .models import GenerationSlot

# The generation's columns: also read by a page in its own first query (articles/story_page.py).
GENERATION_COLUMNS = """
       (SELECT coalesce(sum(value), 0) FROM pagecache_generation),
       (SELECT max(published_at) FROM articles_article WHERE status = 'published' AND published_at <= %(now)s),
       (SELECT max(embargo_until) FROM articles_article WHERE status = 'published' AND embargo_until <= %(now)s),
       (SELECT max(expires_at) FROM articles_photo WHERE expires_at <= %(now)s),
       (SELECT max(usable_from) FROM articles_photo WHERE usable_from <= %(now)s),
       (SELECT max(live_from) FROM frontpage_frontlayout WHERE kind = 'published' AND live_from <= %(now)s),
       (SELECT max(expires_at) FROM frontpage_frontslot WHERE expires_at <= %(now)s AND layout_id = (
            SELECT id FROM frontpage_frontlayout WHERE kind = 'published' AND live_from <= %(now)s
            ORDER BY live_from DESC, id DESC LIMIT 1)),
       (SELECT min(published_at) FROM articles_article WHERE status = 'published' AND published_at > %(now)s),
       (SELECT min(embargo_until) FROM articles_article WHERE status = 'published' AND embargo_until > %(now)s),
       (SELECT min(expires_at) FROM articles_photo WHERE expires_at > %(now)s),
       (SELECT min(usable_from) FROM articles_photo WHERE usable_from > %(now)s),
       (SELECT min(live_from) FROM frontpage_frontlayout WHERE kind = 'published' AND live_from > %(now)s),
       (SELECT min(expires_at) FROM frontpage_frontslot WHERE expires_at > %(now)s AND layout_id = (
            SELECT id FROM frontpage_frontlayout WHERE kind = 'published' AND live_from <= %(now)s
            ORDER BY live_from DESC, id DESC LIMIT 1))
"""
GENERATION_SQL = f"SELECT {GENERATION_COLUMNS}"
GENERATION_COLUMN_COUNT = 13
PAST_MOMENTS = 6  # the first six moments of GENERATION_SQL have passed; the rest are to come
SHARED_KEY = "pagecache:generation"
_ORDER_KEY = "pagecache:generation:order"
# The push to serving processes (pagecache/push.py): a channel, their leases, one ack list per publish.
CHANNEL_KEY = "pagecache:generation:push"
LEASES_KEY = "pagecache:generation:leases"
ACKS_KEY = "pagecache:generation:acks:{}"
TOKEN_LENGTH = 32  # a publish's token (uuid4().hex); a pushed message is the token, then the generation
ACK_POLL_SECONDS = 0.1  # each wait for an ack, well inside CACHE_SOCKET_TIMEOUT
# KEYS: the generation, its order, the lease set, the channel; ARGV: counter, read time, encoded
# generation, lifetime in ms, the publish's token. Sets both unless the stored one is newer (a higher
# counter, or the same counter read later), and either way pushes what is now stored to every
# listener; returns {stored?, Redis's time in ms, the live leases with their ends}.
_PUBLISH_SCRIPT = """
local stored = redis.call('GET', KEYS[2])
local accepted = 1
if stored then
    local counter, read_at = string.match(stored, '^([^:]+):(.+)$')
    counter, read_at = tonumber(counter), tonumber(read_at)
    local new_counter, new_read_at = tonumber(ARGV[1]), tonumber(ARGV[2])
    if counter > new_counter or (counter == new_counter and read_at > new_read_at) then
        accepted = 0
    end
end
local message = ARGV[5] .. ARGV[3]
if accepted == 1 then
    redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
    redis.call('SET', KEYS[2], ARGV[1] .. ':' .. ARGV[2], 'PX', ARGV[4])
else
    local current = redis.call('GET', KEYS[1])
    if current then message = ARGV[5] .. current end
end
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now_ms)
local leases = redis.call('ZRANGEBYSCORE', KEYS[3], now_ms, '+inf', 'WITHSCORES')
redis.call('PUBLISH', KEYS[4], message)
return {accepted, now_ms, leases}
"""
WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "MERGE")
# The tables whose triggers bump the generation (whatever migration added them), read once per process.
WATCHED_TABLES_SQL = "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s"
TRIGGER_NAME = "pagecache_bump_trg"
_UNCOMMITTED = "_pagecache_uncommitted_block"
_watched = {"tables": None, "migrating": False}

_request_generation = ContextVar("pagecache_request_generation", default=None)


@dataclass(frozen=True)
class Generation:
    value: str  # what caches compare
    counter: int  # the triggers' counter (only grows)
    read_at: float  # time.time() of the read
    valid_until: float  # the next moment the clock alone changes the value (inf: none pending)

    def is_current(self, now=None):
        return (now or time.time()) < self.valid_until


def _stamp(value):
    if value is None:
        return "0"
    if isinstance(value, str):  # SQLite returns timestamps as text
        return value.replace(" ", "T")
    return f"{value.timestamp():.6f}"


def _epoch(value):
    if value is None:
        return math.inf
    if isinstance(value, str):  # SQLite
        from django.utils.dateparse import parse_datetime

        value = parse_datetime(value)
    return value.timestamp()


def read_generation(now=None, *, alias=None):
    """The generation as the database `alias` (default: where public reads go) sees it at `now` (one query)."""
    read_at = time.time()
    from django.utils import timezone

    now = now or timezone.now()
    alias = alias or router.db_for_read(GenerationSlot) or "default"
    with connections[alias].cursor() as cursor:
        cursor.execute(GENERATION_SQL, {"now": now})
        return from_columns(cursor.fetchone(), read_at)


def from_columns(row, read_at):
    """The Generation of GENERATION_COLUMNS' values `row`, read at `read_at` (time.time())."""
    counter, *moments = row
    past, upcoming = moments[:PAST_MOMENTS], moments[PAST_MOMENTS:]
    return Generation(
        value=".".join([str(counter), *map(_stamp, past)]),
        counter=int(counter),
        read_at=read_at,
        valid_until=min(map(_epoch, upcoming)),
    )


# --- the shared copy -------------------------------------------------------------------------------


def shares_cache():
    """True when the default cache is one Redis for every process (else each process has its own)."""
    return settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"


def has_uncommitted_writes(alias="default"):
    connection = connections[alias]
    block = getattr(connection, _UNCOMMITTED, None)
    return block is not None and bool(connection.atomic_blocks) and connection.atomic_blocks[0] is block


def shared_generation(value):
    """The published generation if `value` (what the cache returned for SHARED_KEY) is usable now."""
    if isinstance(value, Generation) and value.is_current() and not has_uncommitted_writes():
        return value
    return None


def fetch_shared_generation():
    """shared_generation(cache.get(SHARED_KEY)) in one plain GET: what every hot hit waits on.

    Without django-redis's per-call wrapping (its retries over several servers, its key objects);
    like every cache call it fails open: a Redis error reads as no shared generation.
    """
    from redis.exceptions import RedisError

    client = cache.client
    try:
        raw = client.get_client(write=False).get(cache.make_key(SHARED_KEY))
    except (RedisError, OSError):
        return None
    return shared_generation(None if raw is None else client.decode(raw))


def publish(generation, *, wait=False):
    """Make `generation` the shared one unless a newer one is already there (no-op without Redis).

    Pushed to every serving process either way; with `wait` (a write's publish), returns once each
    process holding a lease has applied what is now shared, or its lease has ended (pagecache/push.py).
    """
    if not shares_cache():
        return
    from redis.exceptions import RedisError

    lifetime = settings.NEWSROOM_GENERATION_RECHECK_SECONDS
    if generation.valid_until != math.inf:
        lifetime = min(lifetime, generation.valid_until - time.time())
    lifetime_ms = int(lifetime * 1000)
    if lifetime_ms <= 0:
        return
    client = cache.client
    token = uuid.uuid4().hex
    try:
        redis = client.get_client(write=True)
        _accepted, now_ms, leases = redis.eval(
            _PUBLISH_SCRIPT, 4, cache.make_key(SHARED_KEY), cache.make_key(_ORDER_KEY),
            cache.make_key(LEASES_KEY), cache.make_key(CHANNEL_KEY),
            generation.counter, repr(generation.read_at), client.encode(generation), lifetime_ms, token,
        )
        if wait:
            wait_for_acks(redis, token, now_ms, leases)
    except (RedisError, OSError):  # fail open, like every cache call: readers fall back to the database
        pass


def wait_for_acks(redis, token, now_ms, leases):
    """Until every lease holder has acked the publish `token`, or its lease (on Redis's clock) has ended."""
    pending = {leases[n].decode(): float(leases[n + 1]) for n in range(0, len(leases), 2)}
    if not pending:
        return
    ack_key = cache.make_key(ACKS_KEY.format(token))
    started = time.monotonic()
    # Until the last lease among those still to answer has ended (not the longest of all of them:
    # a live holder's ack must not leave the write waiting on its lease for a dead one's sake).
    while pending and (remaining := started + (max(pending.values()) - now_ms) / 1000 - time.monotonic()) > 0:
        acked = redis.blpop([ack_key], timeout=min(remaining, ACK_POLL_SECONDS))
        if acked:
            pending.pop(acked[1].decode(), None)


def publish_from_database(alias="default"):
    """After a write commits: publish what the database now says, and wait until it has reached every process."""
    publish(read_generation(alias=alias), wait=True)


def watched_tables(connection):
    if connection.vendor != "postgresql":
        return None  # every write counts
    if _watched["tables"] is None:
        with connection.cursor() as cursor:
            cursor.execute(WATCHED_TABLES_SQL, [TRIGGER_NAME])
            _watched["tables"] = tuple(row[0] for row in cursor.fetchall())
    return _watched["tables"]


def changes_generation(sql, connection):
    """Could this statement bump the generation? (A write naming a table with the trigger.)"""
    if _watched["migrating"] or not isinstance(sql, str) or not sql[:10].lstrip().upper().startswith(WRITE_VERBS):
        return False
    tables = watched_tables(connection)
    return tables is None or any(table in sql for table in tables)


def migration_started(**kwargs):
    """pre_migrate: tables and triggers may change; publish nothing until migrate is done."""
    _watched.update(tables=None, migrating=True)


def migration_finished(**kwargs):
    _watched.update(tables=None, migrating=False)


def note_writes(execute, sql, params, many, context):
    """Execute wrapper (every connection, apps.py): after a write commits, publish the generation."""
    result = execute(sql, params, many, context)
    connection = context["connection"]
    if shares_cache() and changes_generation(sql, connection):
        if connection.in_atomic_block:
            setattr(connection, _UNCOMMITTED, connection.atomic_blocks[0])
            callback = _commit_callback(connection)
            # Once per transaction; again if a rolled-back savepoint took the first one with it.
            if not any(entry[1] is callback for entry in connection.run_on_commit):
                transaction.on_commit(callback, using=connection.alias)
        elif connection.get_autocommit():
            publish_from_database(connection.alias)
    return result


def _commit_callback(connection):
    callback = getattr(connection, "_pagecache_after_commit", None)
    if callback is None:
        alias = connection.alias

        def callback():
            setattr(connections[alias], _UNCOMMITTED, None)
            publish_from_database(alias)

        connection._pagecache_after_commit = callback
    return callback


def install_write_hook(sender, connection, **kwargs):
    """connection_created receiver: note_writes wraps every query of `connection` (once)."""
    if note_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(note_writes)


# --- once per request --------------------------------------------------------------------------------


def request_generation_read():
    """The Generation for this request: read once per request, afresh on every call outside one."""
    memo = _request_generation.get()
    if memo is None:
        return read_generation()
    if memo[0] is None:
        memo[0] = read_generation()
    return memo[0]


def current_generation():
    """The generation value this request's caches use."""
    return request_generation_read().value


def wants_generation_read():
    """Inside a request whose generation is not read yet: a first query may read it too (use_generation)."""
    memo = _request_generation.get()
    return memo is not None and memo[0] is None


def use_generation(generation):
    """Within request_generation(): the request's caches use `generation` (already read)."""
    memo = _request_generation.get()
    if memo is not None:
        memo[0] = generation


def clock_moment_is_near(valid_until, now=None):
    """Would a shared cache, keeping an answer its full lifetimes, still hold it at `valid_until`?"""
    longest = max(
        settings.NEWSROOM_SHARED_CACHE_SECONDS + settings.NEWSROOM_STALE_WHILE_REVALIDATE_SECONDS,
        settings.NEWSROOM_PROXY_CACHE_SECONDS,
    )
    return valid_until - (now or time.time()) < longest


def shared_lifetimes(valid_until, now=None):
    """(s-maxage, stale-while-revalidate, nginx's X-Accel-Expires) for a public answer now.

    What nginx or a CDN keeps is dropped by a purge when something is written, but nothing is
    written when a scheduled story, an embargo lift or a photo's licence end comes due. So no shared
    cache may keep an answer, stale copies included, past the generation's next clock moment.
    """
    s_maxage = settings.NEWSROOM_SHARED_CACHE_SECONDS
    stale = settings.NEWSROOM_STALE_WHILE_REVALIDATE_SECONDS
    proxy = settings.NEWSROOM_PROXY_CACHE_SECONDS
    if not clock_moment_is_near(valid_until, now):
        return s_maxage, stale, proxy
    budget = max(0, math.floor(valid_until - (now or time.time())))
    s_maxage = min(s_maxage, budget)
    return s_maxage, min(stale, budget - s_maxage), min(proxy, budget)


@contextmanager
def request_generation():
    """Within this block (one request), the generation is read at most once, on first use."""
    token = _request_generation.set([None])
    try:
        yield
    finally:
        _request_generation.reset(token)
