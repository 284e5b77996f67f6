"""The HTML sanitizer on hostile input: time to deal with a deeply nested body, bounded
(sanitize_html refuses it after one linear scan) against nh3 run on it unbounded, next to an
ordinary story body as the baseline, all in the same run.

    .venv/bin/python bench/sanitizer.py [--depth 26000]

No database is used. Figures are printed, never asserted: compare the ratios.
"""

import argparse
import time

from _setup import setup_django  # noqa: E402  (bench/ is on sys.path when run as a script)

setup_django()

from django.conf import settings  # noqa: E402

from articles.html import MarkupRejected, _cleaner, sanitize_html  # noqa: E402


def timed(fn, *args):
    started = time.perf_counter()
    try:
        fn(*args)
    except MarkupRejected:
        pass
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--depth", type=int, default=26_000, help="nested <div>s (26000 ≈ the 293 KB item)")
    args = parser.parse_args()
    ordinary = "<p>The council voted on <b>Monday</b> to approve the <a href='https://x.test'>plan</a>.</p>" * 600
    nested = "<div>" * args.depth + "deep" + "</div>" * args.depth
    baseline = timed(sanitize_html, ordinary)
    bounded = timed(sanitize_html, nested)
    print(f"ordinary story body ({len(ordinary) // 1024} KB), sanitized: {baseline * 1000:8.1f} ms   (baseline)")
    print(f"nested body ({len(nested) // 1024} KB, depth {args.depth}), refused:  {bounded * 1000:8.1f} ms"
          f"   ({bounded / baseline:.2f}x baseline)")
    depth, limit = settings.NEWSROOM_BODY_MAX_DEPTH, settings.NEWSROOM_BODY_MAX_KB * 1024
    block = "<div>" * depth + "x" + "</div>" * depth
    worst = block * (limit // len(block))  # the most nesting and size still accepted
    accepted = timed(sanitize_html, worst)
    print(f"worst accepted body ({len(worst) // 1024} KB, depth {depth}), sanitized: {accepted * 1000:8.1f} ms"
          f"   ({accepted / baseline:.0f}x baseline)")
    unbounded = timed(_cleaner.clean, nested)
    print(f"same nested body through nh3 unbounded: {unbounded * 1000:10.1f} ms"
          f"   ({unbounded / baseline:.0f}x baseline)")


if __name__ == "__main__":
    main()
