"""Counting story reads without a database write per hit.

A beacon hit usually costs two cache operations (Redis in production, local memory otherwise):

* ``reads:seen:<client>:<article>`` (``cache.add``) drops repeat hits from one client;
* ``reads:b:<bucket>:a:<article>`` is the story's counter for that time bucket (``incr``);
* the first hit of a story in a bucket also appends the story id to the bucket's journal
  (``reads:b:<bucket>:n`` plus ``reads:b:<bucket>:<slot>``), so the flush knows which counters exist.

``flush_reads()`` runs at most once per bucket (triggered by a beacon hit, or by the
``flush_reads`` command from cron), folds every closed bucket of the last day into ``ReadCount`` rows with one
upsert, and deletes the keys. Only ``cache.add`` and ``cache.incr`` are relied on to be atomic.
"""

import hashlib
import logging
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from articles.models import Article

from .models import ReadCount

logger = logging.getLogger(__name__)

KEY_TTL = 2 * 24 * 3600  # long enough to survive any gap between flushes
FLUSH_LOCK_KEY = "reads:flush-lock"
FLUSH_DUE_KEY = "reads:flush-due"
MAX_BACKLOG_BUCKETS = 24 * 60
WRITE_BATCH = 5000


@lru_cache(maxsize=4096)  # the same few hundred User-Agent strings make most hits
def is_bot(user_agent):
    """Crawlers, preview fetchers and clients without a User-Agent are not readers."""
    if not user_agent or not user_agent.strip():
        return True
    return CrawlerDetect().isCrawler(user_agent[:1000])


def client_key(ip):
    """An anonymous key for one client address (no address is stored).

    The address alone, not the User-Agent too: a client that changes its User-Agent per request is
    still one reader (300 hits with fresh User-Agents once made a story #1).
    """
    raw = f"{settings.SECRET_KEY}|{ip}".encode()
    return hashlib.blake2b(raw, digest_size=12).hexdigest()


def is_public_story(article_id):
    """Whether readers may see `article_id`, cached a minute: keeps drafts and unknown ids out of the
    counters without a query per hit. (Not keyed by the content generation, which costs a query to
    read: flush_reads keeps only stories that are public at flush time, so a killed story's reads
    are never stored either.)"""
    key = f"readership:public-story:{article_id}"
    public = cache.get(key)
    if public is None:
        public = Article.objects.published().filter(pk=article_id).exists()
        cache.set(key, public, 60)
    return public


def _counter_key(bucket, article_id):
    return f"reads:b:{bucket}:a:{article_id}"


def _incr(key):
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.add(key, 0, KEY_TTL)
        return cache.incr(key)


def record_read(article_id, client, now=None):
    """Count one read of `article_id` by `client`; False when it repeats a recent read by that client."""
    now = time.time() if now is None else now
    if not cache.add(f"reads:seen:{client}:{article_id}", 1, settings.NEWSROOM_READS_REPEAT_SECONDS):
        return False
    bucket = int(now // settings.NEWSROOM_READS_BUCKET_SECONDS)
    counter = _counter_key(bucket, article_id)
    try:
        cache.incr(counter)  # the hot path: the story already has a counter in this bucket
    except ValueError:
        if cache.add(counter, 1, KEY_TTL):
            journal = f"reads:b:{bucket}:n"
            cache.add(journal, 0, KEY_TTL)
            cache.set(f"reads:b:{bucket}:{_incr(journal)}", article_id, KEY_TTL)
        else:  # another request created it in between
            _incr(counter)
    return True


def _closed_bucket(now):
    """The newest bucket that has closed (plus grace) at `now`."""
    return int((now - settings.NEWSROOM_READS_FLUSH_GRACE_SECONDS) // settings.NEWSROOM_READS_BUCKET_SECONDS) - 1


_next_flush_check = 0.0


def maybe_flush(now=None):
    """Flush from a request at most once per bucket across all processes; cheap no-op otherwise.

    Each process asks the cache at most twice per bucket, so a beacon hit usually costs no cache
    operation here at all.
    """
    global _next_flush_check
    clock = time.monotonic()
    if clock < _next_flush_check:
        return 0
    _next_flush_check = clock + settings.NEWSROOM_READS_BUCKET_SECONDS / 2
    if cache.add(FLUSH_DUE_KEY, 1, settings.NEWSROOM_READS_BUCKET_SECONDS):
        return flush_reads(now=now)
    return 0


def _collect(buckets):
    """{(article_id, bucket): reads} for closed buckets, and the keys to delete afterwards."""
    journals = cache.get_many([f"reads:b:{bucket}:n" for bucket in buckets])
    stale = list(journals)
    slot_keys = {}
    for journal, slots in journals.items():
        bucket = int(journal.split(":")[2])
        for slot in range(1, int(slots) + 1):
            slot_keys[f"reads:b:{bucket}:{slot}"] = bucket
    stale += list(slot_keys)
    counter_keys = {}
    for key, article_id in cache.get_many(list(slot_keys)).items():
        if isinstance(article_id, int):
            counter_keys[_counter_key(slot_keys[key], article_id)] = (article_id, slot_keys[key])
    stale += list(counter_keys)
    counts = {counter_keys[key]: int(value) for key, value in cache.get_many(list(counter_keys)).items()}
    return counts, stale


def flush_reads(now=None):
    """Move the counts of every closed bucket into ReadCount; returns how many reads were written."""
    now = time.time() if now is None else now
    if not cache.add(FLUSH_LOCK_KEY, 1, 120):
        return 0  # another process is flushing
    try:
        last_closed = _closed_bucket(now)
        # Every closed bucket of the backlog is looked at (one get_many); flushed buckets have no keys
        # left, so looking again costs nothing, and a late hit in an old bucket is still picked up.
        first = last_closed - MAX_BACKLOG_BUCKETS
        size = settings.NEWSROOM_READS_BUCKET_SECONDS
        counts, stale_keys = _collect(range(first, last_closed + 1))
        totals = Counter()
        for (article_id, bucket), reads in counts.items():
            hour = datetime.fromtimestamp(bucket * size, tz=UTC).replace(minute=0, second=0, microsecond=0)
            totals[(article_id, hour)] += reads
        written = write_counts(totals)
        cache.delete_many(stale_keys)
        return written
    finally:
        cache.delete(FLUSH_LOCK_KEY)


def write_counts(totals):
    """Add {(article_id, hour): reads} to ReadCount in one statement; stories not public now are dropped."""
    if not totals:
        return 0
    known = set(Article.objects.published().filter(pk__in={aid for aid, _ in totals}).values_list("pk", flat=True))
    rows = [(aid, hour, reads) for (aid, hour), reads in totals.items() if aid in known and reads > 0]
    if not rows:
        return 0
    table = connection.ops.quote_name(ReadCount._meta.db_table)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(rows), WRITE_BATCH):
            batch = rows[start : start + WRITE_BATCH]
            placeholders = ", ".join(["(%s, %s, %s)"] * len(batch))
            params = [
                v for aid, hour, reads in batch for v in (aid, connection.ops.adapt_datetimefield_value(hour), reads)
            ]
            # New hours are inserted, existing ones incremented: one statement per batch of stories.
            cursor.execute(
                f"INSERT INTO {table} (article_id, hour, reads) VALUES {placeholders} "
                f"ON CONFLICT (article_id, hour) DO UPDATE SET reads = {table}.reads + excluded.reads",
                params,
            )
    total = sum(reads for _, _, reads in rows)
    logger.info("Flushed %d reads for %d stories", total, len({aid for aid, _, _ in rows}))
    return total


def prune_read_counts(keep_days=None, now=None):
    """Delete hourly counts older than `keep_days` (NEWSROOM_READS_KEEP_DAYS, default 90)."""
    keep_days = keep_days or settings.NEWSROOM_READS_KEEP_DAYS
    now = now or datetime.now(tz=UTC)
    deleted, _ = ReadCount.objects.filter(hour__lt=now - timedelta(days=keep_days)).delete()
    return deleted
