"""Renditions of photos that no reader may see any more are removed, so their URLs stop answering.

Renditions are public files with a one-year immutable cache (nginx serves them straight from disk);
a killed story's photos must not stay reachable at their addresses (issue #11). When a story stops
being public, each of its photos that no other published or scheduled story carries loses its
rendition files and rows; if the photo is used again, renditions are made afresh on first view.
A CDN in front keeps its copies until purged: see docs/photos.md.
"""

from .models import Article, Photo, Rendition


def withdraw_story_photos(article):
    """Delete the renditions of `article`'s photos that no other live or scheduled story shows."""
    still_public = Article.objects.filter(status=Article.Status.PUBLISHED).exclude(pk=article.pk)
    photos = Photo.objects.filter(captions__article=article).exclude(captions__article__in=still_public).distinct()
    for photo in photos:
        withdraw_photo(photo)


def withdraw_photo(photo):
    from .images import delete_rendition_files

    for rendition in Rendition.objects.filter(photo=photo):
        rendition.file.storage.delete(rendition.file.name)
    Rendition.objects.filter(photo=photo).delete()
    delete_rendition_files(photo)
