"""One wire item into one story: created or updated in a single transaction, safe to run twice."""
import re
from contextlib import contextmanager, nullcontext
from functools import reduce
from operator import or_
from pathlib import Path

import reversion
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from articles import merging
from articles.datelines import strip_lede
from articles.editing import locked_story
from articles.html import MarkupRejected
from articles.models import Article, ArticleAuthor, ArticleNote, Author, Caption, Source
from articles.photos import PhotoRejected, discard_photo_files, import_photo, link_credit_sources
from articles.publishing import PublishError, append_note, set_status
from articles.renditions import remake_for_changed_metadata
from articles.rights import no_use_after
from articles.slugs import unique_slug
from newsroom.links import absolute_url

from .. import agency, pending
from ..models import WireVersion
from .items import IngestError
from .options import FAILED, IGNORED, IMPORTED, UNCHANGED, UPDATED, IngestBatch, IngestOptions, IngestResult

WITHDRAWN = {"canceled", "cancelled", "withheld"}
# "Yonhap News Agency" and "Example Wire Ltd" are the agencies "Yonhap" and "Example Wire".
_CORPORATE_SUFFIX = re.compile(
    r"[\s,]+(news agency|press agency|agency|ltd\.?|limited|inc\.?|co\.?|corp\.?|corporation|plc)$", re.I
)


def base_slug(item):
    """The slug a new story gets unless it is taken: from the headline, else from the GUID."""
    if not item.slug:
        value = item.headline if slugify(item.headline) else item.guid.rsplit(":", 1)[-1]
        item.slug = slugify(value)[:200].strip("-") or "item"
    return item.slug


def ingest_item(item, *, options=None, batch=None):
    """Create or update the story for one wire item, all or nothing; returns an IngestResult.

    `batch` carries what earlier items of the same batch found (see IngestBatch); without one the
    item is a batch of its own, run with `options`.
    """
    batch = batch or IngestBatch(options or IngestOptions())
    batch.load_sections()  # outside the item's transaction, so a failure does not undo it
    result = IngestResult(file=item.filename, guid=item.guid, version=item.version)
    new_photos = []
    for attempt in range(2):
        batch.pending, result.photo_ids = {}, []
        try:
            with transaction.atomic():
                _relax_commit()
                if item.kind == "picture":
                    _ingest_picture(item, batch, result, new_photos)
                else:
                    _ingest_story(item, batch, result, new_photos)
            batch.known.update(batch.pending)
            return result
        except IntegrityError as error:
            _discard(new_photos)
            # Another process or lane made the same story, slug, source, author or tag a moment ago:
            # the second try finds and uses it.
            if attempt == 0:
                continue
            return _failed(result, f"Database refused the item: {error}")
        except (IngestError, PhotoRejected, PublishError, MarkupRejected) as error:
            _discard(new_photos)
            return _failed(result, _message(error))
        except (DatabaseError, ValidationError) as error:
            _discard(new_photos)
            return _failed(result, f"Database refused the item: {_message(error)}")
        except BaseException:
            _discard(new_photos)
            raise
    return result


def _relax_commit():
    """Opt-in (NEWSROOM_INGEST_ASYNC_COMMIT=True): commit without waiting for the disk flush.

    Off by default, because a database crash could then lose the last fraction of a second of
    committed imports (never half an item; re-running ingest brings them back). SET LOCAL ends with
    the transaction, so a pooled or reused connection is never left changed.
    """
    if connection.vendor == "postgresql" and settings.NEWSROOM_INGEST_ASYNC_COMMIT:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _failed(result, message):
    result.status, result.error, result.article_id, result.url, result.photo_ids = FAILED, message, None, "", []
    return result


def _message(error):
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _discard(photos):
    for photo in photos:
        discard_photo_files(photo)
    photos.clear()


def _ingest_story(item, batch, result, new_photos):
    if not item.headline:
        raise IngestError("The item has no headline.")
    article = None
    if batch.stored_guids is None or item.guid in batch.stored_guids:
        # GUIDs are the agency's own: the same GUID from another source is another story.
        source = _source(item, batch)
        article = Article.objects.select_for_update().filter(wire_guid=item.guid, source=source).order_by("pk").first()
    # A story made now is looked up (and locked) by any later version in the batch.
    if batch.stored_guids is not None:
        batch.stored_guids.add(item.guid)
    if article is None:
        if item.pub_status in WITHDRAWN:
            result.status, result.message = IGNORED, f"The agency has {item.pub_status} this item; nothing to import."
            return
        _create_story(item, batch, result, new_photos)
    else:
        _update_story(article, item, batch, result, new_photos)


def _create_story(item, batch, result, new_photos):
    article = Article(
        section=batch.section_for(item),
        status=Article.Status.READY,
        created_by=batch.options.by,
        wire_guid=item.guid,
    )
    _apply_fields(article, item, batch)
    article.slug = _free_slug(item, batch)
    # The ingest log keeps the item as received; a revision of the import is optional (it triples the cost).
    recorded = settings.NEWSROOM_INGEST_IMPORT_REVISION
    with _revision(f"Imported from the wire: {item.guid} version {item.version or '?'}.", batch) if recorded \
            else nullcontext():
        article.save()
        _apply_relations(article, item, batch, result, new_photos)
        _publish_if_asked(article, batch, result)
        _add_to_revision(article)
    result.status = IMPORTED
    _finish(result, article)


def _free_slug(item, batch):
    slug = base_slug(item)
    if batch.taken_slugs is None or slug in batch.taken_slugs:
        slug = unique_slug(Article, slug)
    # Taken from now on, whether this item commits or not (a rolled-back one just costs a lookup).
    if batch.taken_slugs is not None:
        batch.taken_slugs.add(slug)
    return slug


def _update_story(article, item, batch, result, new_photos):
    """A newer version of a stored story, merged three ways against the agency's previous version
    (wire.agency): what the desk left alone takes the agency's text, what the desk edited stays,
    and what needs an editor (a live or scheduled story, an upload by someone who may not make
    the change, a field both changed) becomes a PendingUpdate. Readers never see it before then."""
    last = article.wire_versions.order_by("-ingested_at", "-pk").first()
    order = compare_versions(item.version, item.version_created, article.wire_version,
                             last.version_created if last else None)
    _finish(result, article)
    if order == 0:
        result.status = UNCHANGED
        return
    if order < 0:
        result.status = IGNORED
        result.message = (f"Version {item.version or '?'} is older than version "
                          f"{article.wire_version or '?'} already imported; nothing changed.")
        return
    now = agency.agency_state(item, body=_story_body(item))
    merge = agency.merge_update(agency.from_json(last.fields) if last else None, agency.story_state(article), now)
    withdrawn = item.pub_status in WITHDRAWN
    reason = pending.review_reason(article, merge, withdrawn=withdrawn, by=batch.options.by)
    with _revision(f"Updated from the wire: version {item.version or '?'} of {item.guid}.", batch):
        live_withdrawal = withdrawn and article.status == Article.Status.PUBLISHED
        # The version is recorded as received whatever becomes of it; the fields only if applied.
        captions = _apply_agency_changes(article, item, None if live_withdrawal or reason else merge, batch, result,
                                         new_photos)
        log = _log_version(article, item, batch, now if captions is None else {**now, "captions": captions})
        if live_withdrawal:
            _withdraw(article, log, batch, result)
        elif reason:
            pending.hold(article, log, merge, reason=reason)
            result.message = f"Waiting for an editor: {reason}"
        else:
            conflicts = [m for m in merge.conflicts]
            if conflicts:
                pending.hold(article, log, merge, reason="The desk and the agency both changed these fields.",
                             only_conflicts=True)
                result.message = "Merged; fields both the desk and the agency changed wait for an editor."
            elif not withdrawn:
                _publish_if_asked(article, batch, result)
        if withdrawn and not live_withdrawal and article.status != Article.Status.KILLED:
            # Not live yet: the desk must know before anyone publishes it.
            pending.hold_withdrawal(article, log)
            result.message = "The agency withdrew the item: an editor decides whether to kill the story."
        _add_to_revision(article)
    result.status = UPDATED
    _finish(result, article)


def _withdraw(article, log, batch, result):
    """The agency withdrew a live story: an editor decides, unless the site says to kill at once."""
    if settings.NEWSROOM_WIRE_WITHDRAWAL == "unpublish":
        set_status(article, Article.Status.KILLED, by=batch.options.by)
        append_note(article, kind=ArticleNote.Kind.UPDATE, text=f"This story was withdrawn by {_agency(article)}.")
        result.message = "The agency withdrew the item: the story is unpublished."
        return
    pending.hold_withdrawal(article, log)
    result.message = "The agency withdrew the item: an editor decides whether to unpublish the story."


def _apply_agency_changes(article, item, merge, batch, result, new_photos):
    """Write the fields the agency changed and the desk did not (or that merged), under the row
    lock, with the version received; `merge` None records only the version. Returns the captions
    the agency gave (see _attach_pictures), None when the pictures were left alone."""
    values = {} if merge is None else {
        name: merged.value for name, merged in merge.fields.items() if merged.outcome in (merging.MINE, merging.MERGED)
    }
    fields = [name for name in ("headline", "dek", "body", "dateline", "embargo_until") if name in values]
    with locked_story(article, [*fields, "wire_version"], by=batch.options.by) as story:
        for name in fields:
            setattr(story, name, values[name])
        story.wire_version = item.version[:50]
    for name in fields:
        setattr(article, name, values[name])
    if merge is None:
        return None
    if "byline" in values:
        _set_byline(article, values["byline"], batch)
    if "tags" in values:
        _set_tags(article, list(values["tags"]), batch, created=False)
    return _attach_pictures(article, item, batch, result, new_photos, update=True)


def _set_byline(article, names, batch, *, created=False):
    # "Kim Min-ji" and "KIM MIN-JI" are one author: one byline entry each.
    authors = list({a.pk: a for a in (_author(name, batch) for name in names if name)}.values())
    if not created:
        article.authorships.all().delete()
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article_id=article.pk, author_id=author.pk, position=i) for i, author in enumerate(authors)
    )


@contextmanager
def _revision(comment, batch):
    """A revision of the story, added by hand at the end (see _add_to_revision)."""
    with reversion.create_revision(manage_manually=True):
        reversion.set_comment(comment)
        if batch.options.by is not None:
            reversion.set_user(batch.options.by)
        yield


def _add_to_revision(article):
    """Add the story once, at the end, so its revision holds the byline, captions and notes just written."""
    if not reversion.is_active():
        return
    # Prefetched with their authors and photos: a revision names each row, and that must not cost a query each.
    prefetch_related_objects(
        [article],
        Prefetch("authorships", queryset=ArticleAuthor.objects.select_related("author")),
        Prefetch("captions", queryset=Caption.objects.select_related("photo")),
        "notes",
    )
    reversion.add_to_revision(article)


def _agency(article):
    return article.source.name if article.source_id else "the agency"


def compare_versions(new, new_time, old, old_time):
    """1 if `new` is newer than `old`, 0 if the same, -1 if older (numbers, else version times)."""
    if new == old:
        return 0
    if new.isdigit() and old.isdigit():
        return 1 if int(new) > int(old) else -1
    if new_time and old_time and new_time != old_time:
        return 1 if new_time > old_time else -1
    return 1 if new > old else -1


def _apply_fields(article, item, batch):
    article.headline = item.headline[:255]
    article.dek = item.dek
    article.body = _story_body(item)
    article.dateline = item.dateline[:100]
    article.embargo_until = item.embargo_until
    article.wire_version = item.version[:50]
    source = _source(item, batch)
    if source is not None:
        article.source = source


def _story_body(item):
    return strip_lede(item.body_html, item.dateline)


def _source(item, batch):
    name = batch.options.source_name or item.source_name or item.copyright_holder
    name = _CORPORATE_SUFFIX.sub("", name.strip()).strip()
    if not name:
        return None
    return batch.recall(("source", name)) or batch.remember(("source", name), Source.objects.for_name(name))


def _apply_relations(article, item, batch, result, new_photos):
    """Byline, tags, pictures and the log entry of a story just created from `item`."""
    _set_byline(article, item.byline, batch, created=True)
    _set_tags(article, item.tags, batch, created=True)
    captions = _attach_pictures(article, item, batch, result, new_photos)
    _log_version(article, item, batch, {**agency.agency_state(item, body=_story_body(item)), "captions": captions})


def _log_version(article, item, batch, state):
    """The ingest log keeps every version received, with the fields it gave (the next one's base)."""
    return WireVersion.objects.create(
        article=article,
        guid=item.guid,
        version=item.version[:50],
        version_created=item.version_created,
        embargo_until=item.embargo_until,
        copyright_holder=item.copyright_holder[:255],
        copyright_notice=item.copyright_notice,
        payload=item.raw,
        filename=Path(item.filename).name[:255],
        ingested_by=batch.options.by,
        fields=agency.to_json(state),
    )


def _author(name, batch):
    name = name[:150]
    author = batch.recall(("author", name.lower()))
    if author is None:
        author = Author.objects.filter(name__iexact=name).order_by("pk").first()
    if author is None:
        author = Author(name=name)
        author.slug = unique_slug(Author, name if slugify(name) else "author", max_length=150)
        author.save()
    return batch.remember(("author", name.lower()), author)


def _set_tags(article, names, batch, *, created):
    """The story's tags become exactly `names`, in a few set-based queries (taggit's add() is per tag)."""
    if not created:
        TaggedItem.objects.filter(content_type=_article_type(), object_id=article.pk).exclude(
            tag__name__in=names
        ).delete()
    if not names:
        return
    # Tag names are case-insensitive here (TAGGIT_CASE_INSENSITIVE): "Economy" is the tag "economy".
    tags = {name.lower(): batch.recall(("tag", name.lower())) for name in names}
    missing = [name for name in names if tags[name.lower()] is None]
    if missing:
        for tag in Tag.objects.filter(reduce(or_, (Q(name__iexact=n) for n in missing))):
            tags[tag.name.lower()] = tag
    for name in names:
        if tags[name.lower()] is None:
            tags[name.lower()] = Tag.objects.create(name=name)
        batch.remember(("tag", name.lower()), tags[name.lower()])
    TaggedItem.objects.bulk_create(
        [TaggedItem(content_type_id=_article_type().pk, object_id=article.pk, tag_id=tags[name.lower()].pk)
         for name in names],
        ignore_conflicts=True,
    )


def _article_type():
    return ContentType.objects.get_for_model(Article)


def _open_picture(picture):
    """(name, file) for the picture, or None when it was named only by a file that is not there."""
    if picture.resolver is None:
        raise IngestError(f"Picture {picture.href!r} cannot be found.")
    if picture.href:
        return picture.resolver.open(picture.href)
    for name in picture.beside:
        try:
            return picture.resolver.open(name)
        except IngestError:
            continue
    return None


def _import_picture(picture, batch, new_photos):
    opened = _open_picture(picture)
    if opened is None:
        return None
    name, file = opened
    try:
        photo, created = import_photo(file, filename=name, uploaded_by=batch.options.by)
    except PhotoRejected as error:
        raise IngestError(f"Picture {name}: {error}") from error
    if created:
        new_photos.append(photo)
        # The agency's own text about the picture fills whatever the file's metadata left empty.
        changed = []
        for attr, value in (("caption", picture.caption), ("credit", picture.credit),
                            ("headline", picture.headline), ("photographer", picture.byline),
                            ("copyright", picture.copyright), ("usage_terms", picture.usage_terms),
                            ("web_statement", picture.web_statement)):
            if value and not getattr(photo, attr):
                setattr(photo, attr, value)
                changed.append(attr)
        # A licence end from the item (its own, or a "do not use after" in its terms) and one from the
        # file: the earliest holds.
        ends = [end for end in (picture.expires_at, no_use_after(picture.usage_terms)) if end]
        if ends and (photo.expires_at is None or min(ends) < photo.expires_at):
            photo.expires_at = min(ends)
            changed.append("expires_at")
        if changed:
            photo.save(update_fields=changed)
            remake_for_changed_metadata(photo, changed)  # renditions made on import lack these in their XMP
        if "credit" in changed:
            link_credit_sources(photo)
    return photo


def _previous_captions(article):
    """The captions the agency last gave the story's pictures ({photo id: [caption, credit]}), from the
    newest logged version that attached pictures; {} when none is known."""
    for fields in article.wire_versions.order_by("-ingested_at", "-pk").values_list("fields", flat=True):
        if fields and "captions" in fields:
            return fields["captions"]
    return {}


def _attach_pictures(article, item, batch, result, new_photos, *, update=False):
    """Attach the item's pictures; returns the captions the agency gave them ({photo id: [caption,
    credit]}), kept in the ingest log as the next version's "before".

    On an update, a caption the desk has rewritten since the agency last gave it keeps the desk's
    words; one the desk left alone takes the agency's new ones. A caption row with no known
    "before" is the desk's: never overwritten on a guess.
    """
    given = {}
    if not item.pictures:
        return given
    previous = _previous_captions(article) if update else {}
    existing = {c.photo_id: c for c in article.captions.all()}
    photos = []
    for picture in item.pictures:
        photo = _import_picture(picture, batch, new_photos)
        if photo is not None and photo.pk not in (p.pk for p, _ in photos):
            photos.append((photo, picture))
    if not photos:
        return given
    # The wire's first picture leads; an older lead from the wire's earlier version steps down.
    Caption.objects.filter(article=article, role=Caption.Role.LEAD).exclude(photo=photos[0][0]).update(
        role=Caption.Role.INLINE
    )
    for position, (photo, picture) in enumerate(photos):
        text, credit = picture.caption or photo.caption, (picture.credit or photo.credit)[:255]
        given[str(photo.pk)] = [text, credit]
        caption = existing.get(photo.pk)
        if caption is None:
            caption = Caption(article=article, photo=photo)
            caption.caption, caption.credit = text, credit
        elif [caption.caption, caption.credit] == previous.get(str(photo.pk)):
            caption.caption, caption.credit = text, credit  # the desk left it as the agency gave it
        caption.position = position
        caption.role = Caption.Role.LEAD if position == 0 else Caption.Role.INLINE
        caption.save()
        result.photo_ids.append(photo.pk)
    return given


def _publish_if_asked(article, batch, result):
    # A killed story stays killed: an agency update is no reason to bring it back.
    if not batch.options.publish or article.status not in (Article.Status.DRAFT, Article.Status.READY):
        return
    now = timezone.now()
    if article.embargo_until and article.embargo_until > now:
        # Respect the embargo: schedule the story for the moment it lifts.
        set_status(article, Article.Status.PUBLISHED, by=batch.options.by, at=article.embargo_until)
        result.message = (f"Embargoed: scheduled to publish at "
                          f"{timezone.localtime(article.embargo_until):%Y-%m-%d %H:%M %Z}.")
    else:
        set_status(article, Article.Status.PUBLISHED, by=batch.options.by, at=now)
        result.message = "Published."


def _ingest_picture(item, batch, result, new_photos):
    """A picture item nobody in the batch claimed goes to the photo library on its own."""
    if not item.pictures:
        raise IngestError("The picture item has no file to import.")
    picture = item.pictures[0]
    picture.caption = picture.caption or item.headline
    photo = _import_picture(picture, batch, new_photos)
    if photo is None:
        raise IngestError(f"The picture file ({' or '.join(picture.beside)}) is not beside the item.")
    result.photo_ids.append(photo.pk)
    result.status = IMPORTED if new_photos else UNCHANGED
    result.url = absolute_url(reverse("admin:articles_photo_change", args=[photo.pk]))
    result.message = "Added to the photo library." if new_photos else "Already in the photo library."


def _finish(result, article):
    result.article_id = article.pk
    result.url = absolute_url(article.get_absolute_url())
