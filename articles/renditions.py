"""Renditions off the request path: a task makes a photo's standard set; pages use what exists.

With a real queue the upload returns once the original is stored and checked, and the `media`
queue's workers make the renditions. Until they exist `{% picture %}` serves the sizes that are
ready, or one small JPEG made on the spot (picture_renditions below), never a broken image. With
the immediate backend (make run, tests) everything is made at once, as before.
"""

from django.core.cache import cache
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from pipeline.queue import background_task, enqueue, enqueue_after_commit, runs_in_process

from . import images
from .images import (
    SPECS,
    STRUCTURED_DATA_SPECS,
    ensure_renditions,
    family_names,
    family_specs,
    focal_key_for,
    get_rendition,
    prefetched_renditions,
)
from .models import Article, Photo, Rendition
from .withdrawal import withdraw_photo

# The photo's renditions are complete once this spec exists: every photo's standard set includes
# it (WebP is always offered, 320 is the narrowest width), and the on-the-spot fallback is a JPEG.
COMPLETE_MARKER_SPEC = "w320.webp"
REQUEUE_AFTER = 600  # seconds before a page may ask again for the same photo's renditions

# The {% picture %} specs of the reader templates: a card (card.html) and a figure (figure.html,
# the home page's lead). Pages prefetch only the renditions these can use, not a photo's whole set
# (about 13 rows of 37 for a story, 6 for a card).
CARD_PICTURE = "16x9-w640"
FIGURE_PICTURE = "w1200"


def card_renditions():
    """Spec names a list page's cards can show."""
    return family_names(CARD_PICTURE)


def prefetch_picture_renditions(pictures):
    """One query for [(photo, picture spec)]: each photo gets only the renditions its picture can use.

    For a page whose photos are shown at different sizes (the home page: one lead figure, many
    cards), where a single spec list for every photo would fetch each card the lead's sizes too.
    """
    condition = Q()
    for spec in dict.fromkeys(spec for _, spec in pictures):
        condition |= Q(photo__in=[photo for photo, s in pictures if s == spec], spec__in=family_names(spec))
    prefetch_related_objects(
        [photo for photo, _ in pictures], Prefetch("renditions", queryset=Rendition.objects.filter(condition))
    )


def story_renditions():
    """A story page: its figures, the social card and the JSON-LD images (seo.py), the sitemap's w1200."""
    return list(dict.fromkeys([*family_names(FIGURE_PICTURE), *STRUCTURED_DATA_SPECS]))


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


# The photo fields every rendition carries in its XMP (images.rights_xmp).
XMP_FIELDS = frozenset({"photographer", "copyright", "credit", "usage_terms", "web_statement", "digital_source_type"})


def remake_for_changed_metadata(photo, changed):
    """After `changed` fields of a saved photo: if any is written into the renditions' XMP, the files
    that carry the old values go (withdrawal.withdraw_photo: rows, files, a new key) and a fresh set is
    requested, so a corrected credit or licence reaches every copy a partner or reader downloads.
    Returns True when the renditions were remade."""
    if not XMP_FIELDS & set(changed) or not photo.renditions.exists():
        return False
    withdraw_photo(photo)
    if Photo.objects.usable().filter(pk=photo.pk).exists():  # an expired photo stays withdrawn
        request_renditions(photo)
    return True


def nudge(photo):
    """A page met a photo without its renditions: queue them, at most once per REQUEUE_AFTER."""
    try:
        first = cache.add(f"renditions-requested:{photo.pk}", 1, REQUEUE_AFTER)
    except Exception:  # noqa: BLE001 - a cache outage must not break the page; the task is idempotent
        first = True
    if first:
        enqueue(make_renditions, photo.pk)


def picture_renditions(photo, spec):
    """{format: [renditions, narrowest first]} for a <picture> of the family `spec` belongs to.

    Reads prefetched renditions (no query). Anything missing is made in one go when renditions are
    made in-process; with a queue, the page gets what is ready (ready_renditions) and a worker the rest.
    """
    parsed = SPECS[spec]
    families = family_specs(photo, parsed.crop, parsed.width)
    names = [name for specs in families.values() for name in specs]
    # One family, one crop, so one focal key for every size (hashed once, not once per name), and
    # the prefetched rows indexed once rather than scanned for each name.
    stored = prefetched_renditions(photo, focal_key_for(photo, spec))
    found = {name: stored.get(name) for name in names}
    if not all(found.values()):
        if not made_in_process():
            return ready_renditions(photo, families)
        found = dict(zip(names, ensure_renditions(photo, names), strict=True))
    return {fmt: [found[name] for name in specs] for fmt, specs in families.items()}


def ready_renditions(photo, families):
    """While a worker makes the renditions: the sizes already stored, in every format that has one.

    With no JPEG ready yet, the family's narrowest JPEG is made on the spot (one small, draft-mode
    decode), so the <img> always has a real file behind it.
    """
    names = [name for specs in families.values() for name in specs]
    stored = {
        r.spec: r for r in Rendition.objects.filter(photo=photo, spec__in=names)
        if r.focal_key == focal_key_for(photo, r.spec)
    }
    if len(stored) < len(names):
        nudge(photo)
    ready = {fmt: [stored[name] for name in specs if name in stored] for fmt, specs in families.items()}
    if not ready["jpeg"]:
        ready["jpeg"] = [get_rendition(photo, families["jpeg"][0])]
    return {fmt: renditions for fmt, renditions in ready.items() if renditions}


def photos_missing_renditions():
    """Photos still waiting for their standard set: not rendered yet, and not withdrawn.

    A photo whose stories were all killed had its renditions removed on purpose (withdrawal.py):
    it is not backlog, and the sweep must not bring its files back (a page that shows it again
    makes them on first view). Nor are photos whose licence has ended: readers never see them,
    and their files are withdrawn.
    """
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    withdrawn = Photo.objects.filter(captions__article__status=Article.Status.KILLED).exclude(
        captions__article__in=published
    )
    expired = Q(expires_at__lte=timezone.now())
    return Photo.objects.exclude(renditions__spec=COMPLETE_MARKER_SPEC).exclude(expired).exclude(pk__in=withdrawn)


@background_task(retries=0, queue_name="media")
def queue_missing_renditions(limit=200):
    """The scheduler's sweep: queue photos still without their renditions (a lost task, a restore)."""
    photo_ids = list(photos_missing_renditions().order_by("pk").values_list("pk", flat=True)[:limit])
    for photo_id in photo_ids:
        enqueue(make_renditions, photo_id)
    return len(photo_ids)
