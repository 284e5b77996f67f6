"""What the pushed generation costs a write (pagecache/push.py): a write's time with serving processes
holding leases (each must acknowledge before the write returns) against the same write with no
lease holder (push off on the servers), in the same run.

    .venv/bin/python bench/push.py            # uses bench/pages.py's 10,000-story corpus

Two gunicorn servers (2 workers each, Redis cache under a prefix of this run's own) on 127.0.0.1
from --port-base (BENCH_PORT_BASE, default 8530), stopped by PID at the end. The write is an
autocommit UPDATE of one story to the values it already has: the trigger still moves the
generation, so it is published (and pushed) exactly as an editor's save is, and the corpus is
unchanged. Figures are printed, never asserted.
"""

import argparse
import os
import statistics
import sys
import time
import urllib.request
import uuid
from contextlib import ExitStack
from pathlib import Path

from _setup import setup_django
from pages import WORK, django_env, ensure_corpus, gunicorn, wait_for

ROOT = Path(__file__).resolve().parent.parent


def timed_writes(count):
    from articles.models import Article

    story = Article.objects.published().order_by("-pk").first()
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        Article.objects.filter(pk=story.pk).update(headline=story.headline)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(0.95 * (len(timings) - 1))]


def lease_holders():
    from django.core.cache import cache

    from pagecache.generation import LEASES_KEY

    return cache.client.get_client(write=True).zcard(cache.make_key(LEASES_KEY))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    parser.add_argument("--port-base", type=int, default=int(os.environ.get("BENCH_PORT_BASE", "8530")))
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    db, info = ensure_corpus(10_000)
    prefix = f"bench-push-{uuid.uuid4().hex[:8]}"
    # This process writes like any Django process: its writes publish to the same Redis and prefix.
    for name, value in django_env(db, REDIS_URL=args.redis_url, CACHE_KEY_PREFIX=prefix).items():
        os.environ[name] = value
    setup_django()
    print(f"bench/push.py: {args.writes} autocommit writes each way, load average "
          f"{' '.join(f'{n:.1f}' for n in os.getloadavg())} (2 cores)")
    results = {}
    for label, lease in (("no lease holder (push off)", "0"), ("lease holders (push on)", "2")):
        env = django_env(db, REDIS_URL=args.redis_url, CACHE_KEY_PREFIX=prefix, NEWSROOM_GENERATION_LEASE_SECONDS=lease)
        with ExitStack() as stack:
            ports = (args.port_base, args.port_base + 1)
            for n, port in enumerate(ports):
                stack.enter_context(gunicorn(f"push-{lease}-{n}", port, env))
            for port in ports:
                wait_for(port)
                for _ in range(3):  # each worker's first hot-hit check starts its listener
                    for _ in range(4):
                        urllib.request.urlopen(f"http://127.0.0.1:{port}{info['story']}", timeout=30).read()
            time.sleep(1)
            holders = lease_holders()
            median, p95 = timed_writes(args.writes)
            results[label] = median
            print(f"  {label:<28} leases held {holders}   median {median:6.2f} ms   p95 {p95:6.2f} ms")
    off, on = results.values()
    print(f"  a write with the push ÷ without: {on / off:.2f}× (median)")


if __name__ == "__main__":
    sys.exit(main())
