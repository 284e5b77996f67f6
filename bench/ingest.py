"""Wire ingest throughput: items per second, without and with a photo each, against in-run baselines.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom .venv/bin/python bench/ingest.py [--items N] [--photos N]

Runs in a throwaway test database (test_<name>) and a temporary media folder; nothing real is touched.
Figures are printed, never asserted: compare the ratios, which hold across machines better than rates.
"""
import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _setup import setup_django  # noqa: E402  (bench/ is on sys.path when run as a script)

setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from PIL import Image  # noqa: E402

TARGET_PER_SECOND = 300
WORDS = "harbour council budget ferry school election rail market storm festival bridge river".split()


def ninjs_item(n, *, photo=None):
    rng = random.Random(n)
    item = {
        "uri": f"urn:bench:ninjs:{n}",
        "version": "1",
        "type": "text",
        "versioncreated": "2026-03-02T08:00:00Z",
        "headlines": [{"role": "main", "value": f"{' '.join(rng.sample(WORDS, 5)).capitalize()} {n}"}],
        "bodies": [{"role": "main", "contenttype": "text/html",
                    "value": "".join(f"<p>{' '.join(rng.choices(WORDS, k=40))}.</p>" for _ in range(8))}],
        "by": f"By Reporter {n % 20}",
        "located": "Busan",
        "copyrightholder": "Bench Wire",
        "subjects": [{"name": w} for w in rng.sample(WORDS, 3)],
    }
    if photo:
        item["associations"] = [{"name": "featureimage", "type": "picture",
                                 "descriptions": [{"role": "caption", "value": f"Picture {n}."}],
                                 "renditions": [{"name": "original", "href": photo}]}]
    return json.dumps(item)


def newsml_item(n):
    rng = random.Random(n)
    paragraphs = "".join(f"<p>{' '.join(rng.choices(WORDS, k=40))}.</p>" for _ in range(8))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:bench:g2:{n}" version="1" standard="NewsML-G2">
  <rightsInfo><copyrightHolder><name>Bench Wire</name></copyrightHolder></rightsInfo>
  <itemMeta><itemClass qcode="ninat:text"/><provider><name>Bench Wire</name></provider>
    <versionCreated>2026-03-02T08:00:00Z</versionCreated></itemMeta>
  <contentMeta><located><name>Seoul</name></located><creator><name>Reporter {n % 20}</name></creator>
    <subject qcode="medtop:04000000"><name>economy</name></subject><keyword>{rng.choice(WORDS)}</keyword>
    <headline>{' '.join(rng.sample(WORDS, 5)).capitalize()} {n}</headline></contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml">
    <html xmlns="http://www.w3.org/1999/xhtml"><body>{paragraphs}</body></html></inlineXML></contentSet>
</newsItem>"""


def write_items(folder, count, *, photos=False, offset=0):
    folder.mkdir(parents=True)
    for n in range(offset, offset + count):
        if photos:
            image = Image.new("RGB", (1200, 800), (n * 7 % 256, n * 13 % 256, n * 29 % 256))
            image.putpixel((n % 1200, 0), (255, 255, 255))  # distinct bytes: no SHA-256 reuse
            image.save(folder / f"p{n}.jpg", quality=85)
            (folder / f"{n:05d}.json").write_text(ninjs_item(n, photo=f"p{n}.jpg"))
        elif n % 2:
            (folder / f"{n:05d}.xml").write_text(newsml_item(n))
        else:
            (folder / f"{n:05d}.json").write_text(ninjs_item(n))


def exit_on_failures(label, results):
    """Stop the bench when an item failed: a rate over failed items means nothing."""
    failed = [r for r in results or [] if r.status == "failed"]
    if failed:
        sys.exit(f"{label}: {len(failed)} items failed, e.g. {failed[0].error}")


def timed(label, count, run):
    """Run once; print wall-clock rate and this process's CPU per item (the rest is waiting on PostgreSQL)."""
    start, cpu = time.perf_counter(), time.process_time()
    results = run()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    exit_on_failures(label, results)
    rate = count / elapsed
    print(f"{label:<48} {count:>5} items {elapsed:7.2f} s {rate:8.1f} items/s "
          f"{1000 * cpu / count:6.2f} ms CPU/item")
    return rate


def interleaved(label_a, run_a, label_b, run_b, count, rounds=3):
    """A and B in alternating slices, so a machine busy with other work slows both alike.

    Prints the overall rate and the median slice's; returns the medians (steadier on a shared machine).
    """
    times = {label_a: [], label_b: []}
    cpu = {label_a: 0.0, label_b: 0.0}
    per_round = count // rounds
    for r in range(rounds):
        for label, run in ((label_a, run_a), (label_b, run_b)):
            start, cpu_start = time.perf_counter(), time.process_time()
            results = run(r, per_round)
            times[label].append(time.perf_counter() - start)
            cpu[label] += time.process_time() - cpu_start
            exit_on_failures(label, results)
    medians = []
    for label, slices in times.items():
        n = per_round * rounds
        median = per_round / statistics.median(slices)
        medians.append(median)
        print(f"{label:<48} {n:>5} items {sum(slices):7.2f} s {n / sum(slices):8.1f} items/s "
              f"{1000 * cpu[label] / n:6.2f} ms CPU/item  (median slice {median:.1f}/s)")
    return medians


def direct_orm(count, offset):
    """Baseline: the same stories written straight through the ORM (no parsing, no versions, no revisions)."""
    from articles.models import Article, ArticleAuthor, Author, Section
    from articles.slugs import unique_slug

    section = Section.objects.get_or_create(slug="bench", defaults={"name": "Bench"})[0]
    author = Author.objects.get_or_create(slug="bench-reporter", defaults={"name": "Bench reporter"})[0]
    for n in range(offset, offset + count):
        with transaction.atomic():
            headline = f"Direct story {n}"
            article = Article.objects.create(
                headline=headline, slug=unique_slug(Article, headline), section=section,
                body="".join(f"<p>{' '.join(WORDS)}.</p>" for _ in range(8)), status=Article.Status.READY,
            )
            ArticleAuthor.objects.create(article=article, author=author)
            article.tags.add("economy", "harbour", "ferry")
    return []


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=600, help="items without photos (default 600)")
    parser.add_argument("--photos", type=int, default=30, help="items with one photo each (default 30)")
    args = parser.parse_args()

    from wire.ingest import IngestOptions, ingest_paths

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with tempfile.TemporaryDirectory() as tmp, override_settings(
            MEDIA_ROOT=Path(tmp) / "media",
            STORAGES={
                **settings.STORAGES,
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                            "OPTIONS": {"location": Path(tmp) / "media"}},
                "originals": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                              "OPTIONS": {"location": Path(tmp) / "private", "base_url": None}},
            },
        ):
            rounds = 3
            per_round = args.items // rounds
            slices = []
            for r in range(rounds):
                write_items(Path(tmp) / f"plain{r}", per_round, offset=r * per_round)
                slices.append(Path(tmp) / f"plain{r}")
            pictures = Path(tmp) / "pictures"
            write_items(pictures, args.photos, photos=True, offset=10**6)
            synced = Path(tmp) / "synced"
            write_items(synced, args.items, offset=10**5)
            print(f"PostgreSQL {connection.pg_version}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
                  f"load average {os.getloadavg()[0]:.1f}")
            direct_orm(20, 10**7)  # warm up connections, content types and caches
            baseline, first = interleaved(
                "baseline: same stories via the ORM directly", lambda r, n: direct_orm(n, r * n),
                "ingest, no photos (half ninjs, half NewsML-G2)",
                lambda r, n: ingest_paths([slices[r]], options=IngestOptions()),
                args.items, rounds,
            )
            lanes = Path(tmp) / "lanes"
            write_items(lanes, args.items, offset=3 * 10**5)
            two = timed("ingest, no photos, 2 worker threads", args.items,
                        lambda: ingest_paths([lanes], options=IngestOptions(workers=2)))
            recorded = Path(tmp) / "recorded"
            write_items(recorded, args.items, offset=2 * 10**5)
            with override_settings(NEWSROOM_INGEST_IMPORT_REVISION=True):
                with_revision = timed("ingest, with a revision of each import", args.items,
                                      lambda: ingest_paths([recorded], options=IngestOptions()))
            with override_settings(NEWSROOM_INGEST_ASYNC_COMMIT=True):
                relaxed = timed("ingest, not waiting for each commit's disk flush (opt-in)", args.items,
                                lambda: ingest_paths([synced], options=IngestOptions()))
            again = timed("ingest again, same versions (unchanged)", args.items,
                          lambda: ingest_paths(slices, options=IngestOptions()))
            photos = timed("ingest, one new photo each (with renditions)", args.photos,
                           lambda: ingest_paths([pictures], options=IngestOptions()))
            print()
            print(f"ingest / direct ORM (medians):  {first / baseline:5.2f}x")
            print(f"2 workers / 1 worker:           {two / first:5.2f}x")
            print(f"async commit (opt-in) / default: {relaxed / first:5.2f}x")
            print(f"import revision / without:      {with_revision / first:5.2f}x")
            print(f"repeat (no-op) / first ingest:  {again / first:5.2f}x")
            print(f"with photo / without photo:     {photos / first:5.3f}x")
            for label, rate in (("1 worker", first), ("2 workers", two)):
                verdict = "met" if rate >= TARGET_PER_SECOND else "NOT met"
                print(f"target {TARGET_PER_SECOND} items/s without photos, {label}: {verdict} ({rate:.0f} items/s)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
