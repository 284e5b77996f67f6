"""Background pipeline figures, each next to a baseline measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom BENCH_QUEUE_URL=redis://127.0.0.1:6379/6 \
        .venv/bin/python bench/pipeline.py [--uploads 3] [--photos 6] [--mails 400] [--items 200]

1. Upload latency of a 24 MP JPEG: renditions made in the request (the immediate backend, as every
   upload was before) against the queued path (checked, stored, one task queued): ms and ratio.
2. Renditions per second made by 1 and by 2 `manage.py worker` processes (real RQ on
   BENCH_QUEUE_URL) for the same photos (12 MP): ratio 2 workers / 1 worker.
3. Newsletter mails per second to a local SMTP sink (aiosmtpd on 127.0.0.1:BENCH_SMTP_PORT, 8627) through the
   batch task (claims, pacing off), against plain Django send_mail calls over one connection.
4. Wire intake items per second from a drop folder (claim, ingest, move aside) against ingest_paths
   on the same files (the batch the command runs).

Uses a throwaway test database and media folder and only keys of its own in the queue's Redis
database (which it empties of `rq:` keys before and after). Figures are printed, never asserted.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_tmp = tempfile.mkdtemp(prefix="bench-pipeline-")
os.environ["MEDIA_ROOT"] = f"{_tmp}/media"
os.environ["PRIVATE_MEDIA_ROOT"] = f"{_tmp}/private"
QUEUE_URL = os.environ.setdefault("BENCH_QUEUE_URL", "redis://127.0.0.1:6379/6")
SMTP_PORT = int(os.environ.get("BENCH_SMTP_PORT", "8627"))  # another engineer's range: set yours
ROOT = Path(__file__).resolve().parent.parent

from _setup import setup_django  # noqa: E402  (bench/ is on sys.path when run as a script)

setup_django()

import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from PIL import Image  # noqa: E402
from renditions import make_jpeg  # noqa: E402

RQ = {
    "TASKS_BACKEND": "rq",
    "TASKS_REDIS_URL": QUEUE_URL,
    "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "media", "mail"]}},
    "RQ_QUEUES": {n: {"URL": QUEUE_URL, "DEFAULT_TIMEOUT": 600} for n in ["default", "media", "mail"]},
}


def clear_queue():
    conn = redis.Redis.from_url(QUEUE_URL)
    for key in conn.scan_iter("rq:*", count=500):
        conn.delete(key)


def variant(data, n):
    """The same picture with one different pixel: a new file to the pipeline (its SHA-256 differs)."""
    with Image.open(io.BytesIO(data)) as im:
        im = im.copy()
    im.putpixel((n, n), (n % 256, 0, 0))
    out = io.BytesIO()
    im.save(out, "JPEG", quality=90)
    return out.getvalue()


def bench_upload(uploads):
    from articles.photos import import_photo

    data = make_jpeg()
    files = [variant(data, n) for n in range(2 * uploads)]
    timings = {"in request": [], "queued": []}
    for n in range(uploads):
        for label, overrides in (("in request", {}), ("queued", RQ)):
            body = files.pop()
            with override_settings(**overrides):
                start = time.perf_counter()
                import_photo(ContentFile(body, name=f"bench-{n}.jpg"))
                timings[label].append(time.perf_counter() - start)
    before, after = min(timings["in request"]), min(timings["queued"])
    print(f"1. upload of a 24 MP JPEG (best of {uploads}): renditions in the request {before * 1000:.0f} ms, "
          f"queued {after * 1000:.0f} ms -> {before / after:.1f}x faster to answer")
    clear_queue()


def worker_env():
    db = connection.settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "TASKS_BACKEND": "rq", "TASKS_REDIS_URL": QUEUE_URL, "DEBUG": "1",
            "LOG_LEVEL": "WARNING"}


def bench_renditions(count):
    from articles.models import Photo, Rendition
    from articles.photos import import_photo
    from articles.renditions import make_renditions
    from pipeline.queue import enqueue

    picture = Image.open(io.BytesIO(make_jpeg())).resize((4240, 2830))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    data = out.getvalue()
    with override_settings(**RQ):
        photos = [import_photo(ContentFile(variant(data, 100 + n), name=f"r{n}.jpg"))[0] for n in range(count)]
    clear_queue()
    rates = {}
    for workers in (1, 2):
        for rendition in Rendition.objects.filter(photo__in=photos):
            rendition.file.delete(save=False)
        Rendition.objects.filter(photo__in=photos).delete()
        with override_settings(**RQ):
            for photo in photos:
                enqueue(make_renditions, photo.pk)
        start = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "manage.py", "worker", "media", "--burst"], cwd=ROOT,
                                  env=worker_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for _ in range(workers)]
        for proc in procs:
            proc.wait(timeout=600)
        elapsed = time.perf_counter() - start
        made = Rendition.objects.filter(photo__in=photos).count()
        rates[workers] = made / elapsed
        print(f"2. renditions with {workers} worker{'s' if workers > 1 else ''}: {made} in {elapsed:.1f} s "
              f"-> {rates[workers]:.1f} renditions/s ({count} photos of 12 MP)")
    print(f"   2 workers / 1 worker: {rates[2] / rates[1]:.2f}x (this machine has {os.cpu_count()} cores)")
    Photo.objects.filter(pk__in=[p.pk for p in photos]).delete()
    clear_queue()


def bench_newsletter(count):
    from django.core.mail import get_connection, send_mail

    from newsletter.editions import send_edition_batch
    from newsletter.models import Subscriber
    from newsletter.sending import get_or_create_edition
    from pipeline.queue import enqueue
    from tests.factories import ArticleFactory
    from tests.smtp_sink import SmtpSink

    ArticleFactory(headline="Bench story")
    Subscriber.objects.bulk_create(Subscriber(email=f"bench{n}@example.com", status="confirmed") for n in range(count))
    smtp = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": SMTP_PORT}
    with SmtpSink(SMTP_PORT) as sink, override_settings(**smtp, NEWSLETTER_BATCH_SIZE=count,
                                                         NEWSLETTER_MAILS_PER_SECOND=0):
        start = time.perf_counter()
        with get_connection() as conn:
            for n in range(count):
                send_mail("Plain", "Body", "bench@localhost", [f"plain{n}@example.com"], connection=conn)
        plain = count / (time.perf_counter() - start)
        edition = get_or_create_edition("bench")
        start = time.perf_counter()
        enqueue(send_edition_batch, edition.pk)
        ours = count / (time.perf_counter() - start)
        assert len(sink.recipients()) == 2 * count
    print(f"3. newsletter to a local SMTP sink: {ours:.0f} mails/s through the batch task, plain send_mail "
          f"{plain:.0f} mails/s -> {ours / plain:.2f} of plain (claims, rendering, unsubscribe links)")


def bench_intake(items):
    from articles.models import Article, Source
    from pipeline.queue import enqueue
    from wire.ingest import IngestOptions, ingest_paths
    from wire.intake import poll_intake
    from wire.models import Intake

    def write(folder, prefix):
        folder.mkdir(parents=True)
        then = time.time() - 60
        for n in range(items):
            path = folder / f"{prefix}-{n}.json"
            path.write_text(json.dumps({
                "uri": f"urn:bench:{prefix}:{n}", "version": "1", "type": "text",
                "versioncreated": "2026-03-02T08:00:00Z",
                "headlines": [{"role": "main", "value": f"Bench {prefix} story {n}"}],
                "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>Text of the story.</p>"}],
            }))
            os.utime(path, (then, then))

    base = Path(_tmp) / "wire"
    write(base / "batch", "batch")
    write(base / "drop", "drop")
    start = time.perf_counter()
    ingest_paths([str(base / "batch")], options=IngestOptions(source_name="Bench Wire"))
    batch = items / (time.perf_counter() - start)
    intake = Intake.objects.create(source=Source.objects.get(name="Bench Wire"), kind=Intake.Kind.FOLDER,
                                   location=str(base / "drop"))
    start = time.perf_counter()
    enqueue(poll_intake, intake.pk)
    ours = items / (time.perf_counter() - start)
    assert Article.objects.filter(headline__startswith="Bench drop").count() == items
    print(f"4. wire intake from a drop folder: {ours:.0f} items/s, ingest_paths on the same files {batch:.0f} "
          f"items/s -> {ours / batch:.2f} of the batch (claim, move aside per file)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uploads", type=int, default=3)
    parser.add_argument("--photos", type=int, default=6)
    parser.add_argument("--mails", type=int, default=400)
    parser.add_argument("--items", type=int, default=200)
    args = parser.parse_args()
    clear_queue()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"AVIF renditions: {'on' if settings.NEWSROOM_PHOTO_AVIF else 'off'}")
        bench_upload(args.uploads)
        bench_renditions(args.photos)
        bench_newsletter(args.mails)
        bench_intake(args.items)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        clear_queue()


if __name__ == "__main__":
    main()
