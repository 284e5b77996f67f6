"""Renditions off the request path: a task makes a photo's standard set; pages use what exists.

With a real queue the upload returns once the original is stored and checked, and the `media`
queue's workers make the renditions. Until they exist `{% picture %}` serves the sizes that are
ready, or one small JPEG made on the spot (images.picture_renditions), never a broken image. With
the immediate backend (make run, tests) everything is made at once, as before.
"""

from django.core.cache import cache

from pipeline.queue import background_task, enqueue, enqueue_after_commit, runs_in_process

from . import images
from .models import Photo

# The photo's renditions are complete once this spec exists: every photo's standard set includes
# it (WebP is always offered, 320 is the narrowest width), and the on-the-spot fallback is a JPEG.
COMPLETE_MARKER_SPEC = "w320.webp"
REQUEUE_AFTER = 600  # seconds before a page may ask again for the same photo's renditions


@background_task(retries=3, backoff=30, queue_name="media")
def make_renditions(photo_id):
    """Make every missing standard rendition of one photo; safe to run any number of times."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:  # deleted since it was queued
        return 0
    return len(images.ensure_renditions(photo))


def made_in_process():
    return runs_in_process(make_renditions)


def request_renditions(photo, image=None):
    """Have the standard set made: now (the immediate backend, from `image` if decoded) or by a worker."""
    if made_in_process():
        images.ensure_renditions(photo, image=image)
    else:
        enqueue_after_commit(make_renditions, photo.pk)


def nudge(photo):
    """A page met a photo without its renditions: queue them, at most once per REQUEUE_AFTER."""
    try:
        first = cache.add(f"renditions-requested:{photo.pk}", 1, REQUEUE_AFTER)
    except Exception:  # noqa: BLE001 - a cache outage must not break the page; the task is idempotent
        first = True
    if first:
        enqueue(make_renditions, photo.pk)


def photos_missing_renditions():
    return Photo.objects.exclude(renditions__spec=COMPLETE_MARKER_SPEC)


@background_task(retries=0, queue_name="media")
def queue_missing_renditions(limit=200):
    """The scheduler's sweep: queue photos still without their renditions (a lost task, a restore)."""
    photo_ids = list(photos_missing_renditions().order_by("pk").values_list("pk", flat=True)[:limit])
    for photo_id in photo_ids:
        enqueue(make_renditions, photo_id)
    return len(photo_ids)
