"""Renditions of photos that no reader may see any more are removed, so their URLs stop answering.

Renditions are public files with a one-year immutable cache (nginx serves them straight from disk).
Issue #11 found a killed story's photos still reachable at their addresses. So:
- renditions are named by a random per-photo key (images.rendition_prefix), not the file's SHA-256,
  so a photo never published cannot be found by anyone holding the same agency file;
- when a story stops being public, each of its photos that no other published or scheduled story
  carries loses its rendition files and rows, and gets a new key; if it is used again, renditions
  are made afresh under new addresses, so no cache anywhere can serve the old ones back to a page;
- the scheduler's `withdraw_expired_photos` task (every 5 minutes; by hand: `manage.py
  withdraw_renditions`) does the same for photos whose licence has ended (readers' pages stop
  showing them at the expiry time regardless, see rights.py) and, with --legacy, for photos from
  before rendition keys that no live story shows. The renditions sweep never remakes an expired
  photo's set (renditions.photos_missing_renditions), and an admin thumbnail alone is left alone.
A CDN in front keeps copies of withdrawn files until they are purged or expire: see docs/photos.md.
"""

from django.db import transaction
from django.utils import timezone

from pipeline.queue import background_task

from .models import Article, Photo, Rendition, new_rendition_key


def not_on_public_stories(photos, *, except_article=None):
    public = Article.objects.filter(status=Article.Status.PUBLISHED)
    if except_article is not None:
        public = public.exclude(pk=except_article.pk)
    return photos.exclude(captions__article__in=public).distinct()


def withdraw_story_photos(article):
    """Withdraw the photos of `article` that no other live or scheduled story shows."""
    for photo in not_on_public_stories(Photo.objects.filter(captions__article=article), except_article=article):
        withdraw_photo(photo)


def withdraw_photo(photo):
    """Delete the photo's rendition files and rows, and give it a new rendition key."""
    from .images import delete_rendition_files

    with transaction.atomic():
        names = list(Rendition.objects.filter(photo=photo).values_list("file", flat=True))
        Rendition.objects.filter(photo=photo).delete()
        old = Photo(pk=photo.pk, sha256=photo.sha256, rendition_key=photo.rendition_key)
        photo.rendition_key = new_rendition_key()
        Photo.objects.filter(pk=photo.pk).update(rendition_key=photo.rendition_key)
    storage = Rendition._meta.get_field("file").storage
    for name in names:
        storage.delete(name)
    delete_rendition_files(old)  # files that outlived their rows


def withdraw_expired(now=None):
    """Withdraw every photo whose licence has ended and still has reader renditions; returns how many.

    The admin's thumbnail (made again whenever an editor opens the photo) does not count, so a
    photo is withdrawn once, not every time the desk looks at it.
    """
    now = now or timezone.now()
    readers = Rendition.objects.exclude(spec="thumb")
    photos = Photo.objects.filter(expires_at__lte=now, renditions__in=readers).distinct()
    count = 0
    for photo in photos:
        withdraw_photo(photo)
        count += 1
    return count


@background_task(retries=0, queue_name="media")
def withdraw_expired_photos():
    """The scheduler's sweep (every 5 minutes): files of photos whose licence has ended."""
    return withdraw_expired()


def withdraw_legacy():
    """Withdraw photos named the old way (by SHA-256) that no live or scheduled story shows."""
    count = 0
    for photo in not_on_public_stories(Photo.objects.filter(rendition_key="")):
        withdraw_photo(photo)
        count += 1
    return count
