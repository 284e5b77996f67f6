"""Read-beacon throughput and database writes per hit: our cache-aggregated counter against a naive
write-per-hit counter, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom .venv/bin/python bench/beacon.py [--hits 5000]

Runs in a throwaway test database (test_<name>). The cache is whatever settings give: Redis when
REDIS_URL is set, local memory otherwise (printed). Both paths see the same hits (many readers,
200 stories, 10% bots) through the beacon view called with RequestFactory, so middleware cost is
left out of both. "ours" includes every flush, the final one too. Figures are printed, never
asserted: compare the ratios.
"""

import argparse
import random
import time

from _setup import setup_django  # noqa: E402  (bench/ is on sys.path when run as a script)

setup_django()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def naive_beacon(request):
    """The baseline: same checks, then one upsert per counted hit."""
    from readership.counting import client_key, is_bot
    from readership.models import ReadCount

    article_id = int(request.POST["article"])
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    if not is_bot(user_agent) and cache.add(
        f"naive:seen:{client_key(request.META['REMOTE_ADDR'])}:{article_id}", 1, 1800
    ):
        hour = timezone.now().replace(minute=0, second=0, microsecond=0)
        table = ReadCount._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (article_id, hour, reads) VALUES (%s, %s, 1) "
                f"ON CONFLICT (article_id, hour) DO UPDATE SET reads = {table}.reads + 1",
                [article_id, hour],
            )
    return HttpResponse(status=204)


def make_hits(n, article_ids, seed=5):
    rng = random.Random(seed)
    hits = []
    for i in range(n):
        ua = BOT if rng.random() < 0.1 else BROWSER
        hits.append((rng.choice(article_ids), f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}", ua))
    return hits


def run(view, hits, factory):
    writes = 0
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        for article_id, ip, ua in hits:
            request = factory.post("/readership/read/", {"article": article_id}, REMOTE_ADDR=ip, HTTP_USER_AGENT=ua)
            view(request)
        if view is not naive_beacon:
            from readership.counting import flush_reads

            flush_reads(now=time.time() + 3600)  # the last open bucket, as cron would
        elapsed = time.perf_counter() - started
    for query in queries.captured_queries:
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes += 1
    return len(hits) / elapsed, writes, len(queries.captured_queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hits", type=int, default=5000)
    args = parser.parse_args()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from articles.models import Article, Section
        from readership.models import ReadCount
        from readership.views import beacon

        section = Section.objects.create(name="Bench", slug="bench")
        now = timezone.now()
        articles = Article.objects.bulk_create(
            Article(
                headline=f"Bench story {n}", slug=f"bench-{n}", section=section, status="published", published_at=now
            )
            for n in range(200)
        )
        hits = make_hits(args.hits, [a.pk for a in articles])
        factory = RequestFactory()
        backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        print(f"{args.hits} beacon hits over 200 stories, 10% bots; cache backend: {backend}")

        cache.clear()
        naive_rate, naive_writes, naive_queries = run(naive_beacon, hits, factory)
        naive_total = sum(ReadCount.objects.values_list("reads", flat=True))
        ReadCount.objects.all().delete()

        cache.clear()
        ours_rate, ours_writes, ours_queries = run(beacon, hits, factory)
        ours_total = sum(ReadCount.objects.values_list("reads", flat=True))

        print(
            f"  naive (upsert per hit): {naive_rate:8.0f} hits/s   {naive_writes / len(hits):.4f} DB writes/hit   "
            f"{naive_queries} queries   {naive_total} reads counted"
        )
        print(
            f"  ours (cache + flush):   {ours_rate:8.0f} hits/s   {ours_writes / len(hits):.4f} DB writes/hit   "
            f"{ours_queries} queries   {ours_total} reads counted"
        )
        print(
            f"  ratio: {ours_rate / naive_rate:.2f}x the hits/s; "
            f"{(naive_writes / max(ours_writes, 1)):.0f}x fewer DB writes"
        )
    finally:
        cache.clear()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
