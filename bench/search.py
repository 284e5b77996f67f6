"""Search and the desk's story list on a growing archive: p95 latency next to a baseline of the same run.

    .venv/bin/python bench/search.py                     # 10,000 and 100,000 stories
    .venv/bin/python bench/search.py --sizes 10000       # one size
    .venv/bin/python bench/search.py --rebuild           # drop and rebuild the corpora

Corpora are PostgreSQL databases named newsroom_search_bench_<N> on DATABASE_URL's server, built
once through bench/corpus.py's bulk path (8 sections, ~600-word bodies, Korean sentences in a fifth
of the paragraphs) and migrated on every run, then reused. Each size is measured in its own
process, in-process through Django's test client (DEBUG off, one request at a time), with the
whole-page cache off so every search runs its SQL, and the search rate limit off.

- Search: two-word queries, English and Korean (the issue's target: p95 < 100 ms at 100,000), and
  one-word Korean substrings. Baseline: the same search page without a query (middleware,
  navigation, template: what every search pays anyway). Printed: p50, p95 and p95 ÷ baseline p95.
- Admin story list, signed in as a superuser (target < 300 ms): the default list, a search and a
  status filter. Baseline: the admin index page (the same sign-in, middleware and admin templates).
- The query plan of a Korean search (the GIN index must be in it) and the time to rebuild the
  "did you mean" vocabulary.

Figures are printed, never asserted; compare ratios (the machine is shared).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _setup import corpus_database, server_env  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
WORK = Path("/tmp/newsroom_search_bench")
ENGLISH = ["harbour budget", "council rail", "ferry market", "kamitan rosel", "court river", "energy bridge"]
KOREAN = ["평양 회담", "서울시 예산안", "부산항 물동량", "정부 대책", "평양 summit", "예산안 council"]
KOREAN_WORDS = ["평양", "예산", "부산항", "대책"]
ADMIN = {"default list": {}, "search": {"q": "harbour budget"}, "status filter": {"state": "live"}}


def bench_env(db):
    return server_env(db, WORK, NEWSROOM_PAGE_CACHE_SECONDS="0", NEWSROOM_SEARCH_CACHE_SECONDS="0")


def ensure_corpus(stories, rebuild):
    db = f"newsroom_search_bench_{stories}"
    env = bench_env(db)
    created = corpus_database(db, rebuild)
    if created:
        print(f"building {stories:,} stories in {db} (once) ...", file=sys.stderr, flush=True)
    started = time.monotonic()
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    migrated = time.monotonic() - started
    if created:
        subprocess.run([PY, "bench/corpus.py", "build", "--stories", str(stories)], cwd=ROOT, env=env, check=True)
    return db, migrated


def percentiles(timings):
    timings = sorted(timings)
    return {"p50": statistics.median(timings), "p95": timings[int(0.95 * (len(timings) - 1))]}


def timed(client, path, params, repeat):
    for _ in range(2):  # warm connections and the navigation cache
        assert client.get(path, params).status_code == 200
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path, params)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, params, response.status_code)
    return timings


def measure(repeat):
    """Run inside one corpus's environment; prints JSON."""
    sys.path.insert(0, str(ROOT / "bench"))
    from _setup import setup_django

    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from articles.models import Article
    from articles.search import matching
    from articles.suggestions import rebuild_search_terms

    settings.NEWSROOM_SEARCH_RATE = "1000000/s"
    settings.NEWSROOM_2FA_REQUIRED_ROLES = []  # signed in with force_login; 2FA is not what this measures
    started = time.perf_counter()
    rebuild_search_terms()
    rebuilt_ms = (time.perf_counter() - started) * 1000
    reader, staff = Client(), Client()
    staff.force_login(get_user_model().objects.get(username="bench"))

    def over(queries):
        timings = []
        for query in queries:
            timings += timed(reader, "/search/", {"q": query}, repeat)
        return percentiles(timings)

    figures = {
        "stories": Article.objects.count(),
        "vocabulary_rebuild_ms": rebuilt_ms,
        "search": {
            "baseline": percentiles(timed(reader, "/search/", {}, repeat * 3)),
            "English, two words": over(ENGLISH),
            "Korean, two words": over(KOREAN),
            "Korean, one word": over(KOREAN_WORDS),
        },
        "admin": {"baseline": percentiles(timed(staff, "/admin/", {}, repeat))},
    }
    for name, params in ADMIN.items():
        figures["admin"][name] = percentiles(timed(staff, "/admin/articles/article/", params, repeat))
    sql, params = matching(Article.objects.published(), "평양 회담").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        figures["korean_plan"] = [row[0] for row in cursor.fetchall()]
    print(json.dumps(figures))


def report(size, migrated, figures):
    print(f"\n{figures['stories']:,} stories (migrate took {migrated:.1f} s; "
          f"did-you-mean vocabulary rebuilt in {figures['vocabulary_rebuild_ms']:.0f} ms)")
    print(f"{'search (unloaded)':<28}{'p50 ms':>9}{'p95 ms':>9}{'÷ base':>8}")
    base = figures["search"]["baseline"]["p95"]
    for name, row in figures["search"].items():
        verdict = ""
        if "two words" in name and size >= 100_000:
            verdict = f"   target p95 < 100 ms: {'met' if row['p95'] < 100 else 'NOT met'}"
        ratio = "" if name == "baseline" else f"{row['p95'] / base:8.1f}"
        print(f"  {name:<26}{row['p50']:>9.1f}{row['p95']:>9.1f}{ratio:>8}{verdict}")
    print(f"{'admin story list':<28}{'p50 ms':>9}{'p95 ms':>9}{'÷ base':>8}")
    base = figures["admin"]["baseline"]["p95"]
    for name, row in figures["admin"].items():
        verdict = "" if name == "baseline" else f"   target < 300 ms: {'met' if row['p95'] < 300 else 'NOT met'}"
        ratio = "" if name == "baseline" else f"{row['p95'] / base:8.1f}"
        label = "baseline (admin index)" if name == "baseline" else name
        print(f"  {label:<26}{row['p50']:>9.1f}{row['p95']:>9.1f}{ratio:>8}{verdict}")
    index = [line.strip() for line in figures["korean_plan"] if "Index" in line]
    print("  plan of a Korean search: " + ("; ".join(index) if index else "NO INDEX: " + figures["korean_plan"][0]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated corpus sizes")
    parser.add_argument("--repeat", type=int, default=20, help="requests per query")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure(args.repeat)
    WORK.mkdir(parents=True, exist_ok=True)
    # DEBUG off serves hashed static names: collected as production does (only changed files copied).
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=bench_env("postgres"),
                   check=True)
    load = os.getloadavg()
    print(f"bench/search.py: in-process, one request at a time, {args.repeat} requests per query; "
          f"load average before: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} (2 cores)")
    for size in (int(s) for s in args.sizes.split(",")):
        db, migrated = ensure_corpus(size, args.rebuild)
        out = subprocess.run([PY, "bench/search.py", "--measure", "--repeat", str(args.repeat)], cwd=ROOT,
                             env=bench_env(db), check=True, stdout=subprocess.PIPE, text=True).stdout
        report(size, migrated, json.loads(out.strip().splitlines()[-1]))
    load = os.getloadavg()
    print(f"\nload average after: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    return None


if __name__ == "__main__":
    main()
