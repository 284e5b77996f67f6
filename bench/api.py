"""Content API throughput against the HTML story page, in the same run, through the same Django test client.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom .venv/bin/python bench/api.py [--requests 300]

Runs in a throwaway test database (test_<name>) with 40 published stories, each with two authors,
tags, a lead photo with renditions and a correction. Measures requests per second (in rounds, so
every path sees the same machine load) for: the HTML story page rendered (page cache off: built
from the database, like every API answer — the baseline), the HTML story page as anonymous readers
get it (whole-page cache on, pagecache/), the API story detail, the API story list (a page of 20)
and the ninjs document. Ratios are printed against both HTML figures. Never asserted.
"""

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from _setup import setup_django, throwaway_storages  # noqa: E402  (bench/ is on sys.path when run as a script)

setup_django()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

STORIES = 40
RENDERED = "HTML story page, rendered (baseline)"
CACHED = "HTML story page, page cache (readers)"


def rate(client, urls, requests):
    """Requests per second over `requests` GETs cycling through `urls`, and queries per request."""
    start = time.perf_counter()
    for i in range(requests):
        response = client.get(urls[i % len(urls)])
        assert response.status_code == 200, (urls[i % len(urls)], response.status_code)
    elapsed = time.perf_counter() - start
    with CaptureQueriesContext(connection) as captured:
        client.get(urls[0])
    return requests / elapsed, len(captured)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300, help="per path and round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    media = Path(tempfile.mkdtemp(prefix="bench-api-"))
    storages = throwaway_storages(media)
    try:
        with override_settings(
            DEBUG=False, ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False, STORAGES=storages,
            MEDIA_ROOT=media / "m", NEWSROOM_PHOTO_AVIF=False, NEWSROOM_API_ANON_RATE="100000000/m",
        ):
            from tests.api_helpers import full_story

            stories = [full_story() for _ in range(STORIES)]
            pages = [s.get_absolute_url() for s in stories]
            no_page_cache = {"NEWSROOM_PAGE_CACHE_SECONDS": 0}
            paths = {  # name -> (URLs, settings for that path)
                RENDERED: (pages, no_page_cache),
                CACHED: (pages, {}),
                "API story detail": ([f"/api/v1/stories/{s.pk}" for s in stories], {}),
                "API story list (20 a page)": (["/api/v1/stories?page_size=20"], {}),
                "API story ninjs": ([f"/api/v1/stories/{s.pk}.ninjs" for s in stories], {}),
            }
            client = Client()
            for urls, overrides in paths.values():  # warm caches, templates and connections
                with override_settings(**overrides):
                    rate(client, urls, 20)
            results = {name: [] for name in paths}
            queries = {}
            for _ in range(args.rounds):
                for name, (urls, overrides) in paths.items():
                    with override_settings(**overrides):
                        per_second, queries[name] = rate(client, urls, args.requests)
                    results[name].append(per_second)
        rendered, cached = max(results[RENDERED]), max(results[CACHED])
        print(f"{args.rounds} rounds of {args.requests} requests per path, {STORIES} stories (best round)")
        print(f"  {'':38s}  {'req/s':>7s}  queries  vs rendered page  vs cached page")
        for name, rates in results.items():
            best = max(rates)
            print(f"  {name:38s}: {best:7.1f}  {queries[name]:7d}  {best / rendered:15.2f}x  {best / cached:13.2f}x")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
