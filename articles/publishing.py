"""Every change to a story's status, its submission to the desk and its appended notes, with their history.

``set_status()`` is the one way a status changes: the story admin, its list actions, wire ingest
and the demo content all call it. Publishing refuses to beat an embargo, killing needs the publish
permission, and every move is recorded as a StatusChange. Who may ask for which move is decided
in articles.permissions.
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from audit import log as audit

from .cdn_purge import purge_after_update
from .models import Article, ArticleNote, StatusChange
from .permissions import can_edit_content, can_publish
from .rights import publish_problems
from .withdrawal import withdraw_story_photos

Status = Article.Status
_UNREAD = object()

# Sent after a story's public life changes: article=, event= "published", "updated", "corrected" or
# "killed". The content API's webhooks listen (api/events.py); receivers must not write to the story.
story_changed = Signal()


class PublishError(ValidationError):
    """The story cannot be published (embargo, missing permission, photo rights); the message says why."""


def _stored_status(article):
    return Article.objects.filter(pk=article.pk).values_list("status", flat=True).first() or ""


def set_status(article, to_status, *, by=None, at=None, previous=_UNREAD, photos=None):
    """Move the story to `to_status` and save it; `previous` is its saved status when the caller has it.

    Publishing goes through publish_article (embargo, permission, photo rights, `at` schedules),
    killing through unpublish_article; any other move is saved and recorded. Staying in the same
    status just saves. `photos`: the photos the story will carry when they are not saved yet (the
    admin form passes those of its captions formset).
    """
    if previous is _UNREAD:
        previous = _stored_status(article) if article.pk else None
    if to_status == Status.PUBLISHED and previous != Status.PUBLISHED:
        return publish_article(article, by=by, at=at, previous=previous, photos=photos)
    if to_status == Status.KILLED and previous != Status.KILLED:
        return unpublish_article(article, by=by, previous=previous)
    if to_status != previous:
        return change_status(article, to_status, by=by, previous=previous)
    article.status = to_status
    article.save()
    if to_status == Status.PUBLISHED:
        story_changed.send(sender=Article, article=article, event="updated")
    return article


def change_status(article, to_status, *, by=None, previous=_UNREAD):
    """Set a new status and record who changed it; the caller has already validated the move."""
    if previous is _UNREAD:
        previous = _stored_status(article)
    previous = previous or ""
    article.status = to_status
    with transaction.atomic():
        article.save()
        if previous != to_status:
            StatusChange.objects.create(article=article, from_status=previous, to_status=to_status, changed_by=by)
            record_status_change(article, previous, to_status, by=by)
        if previous == Status.PUBLISHED and to_status != Status.PUBLISHED:
            # Its photos' renditions must not stay reachable (withdrawal.py), once the kill is committed.
            transaction.on_commit(partial(withdraw_story_photos, article))
    return article


def record_status_change(article, previous, to_status, *, by=None):
    """The audit entry for a status move (same transaction as the move)."""
    label = Article.Status(to_status).label
    if to_status == Article.Status.PUBLISHED:
        action = audit.Action.PUBLISH
        when = timezone.localtime(article.published_at)
        summary = f"Published (live from {when:%Y-%m-%d %H:%M %Z})"
    elif to_status == Article.Status.KILLED:
        action, summary = audit.Action.KILL, "Killed: removed from every public surface"
    else:
        action = audit.Action.STATUS
        summary = f"{Article.Status(previous).label if previous else 'New'} → {label}"
    audit.record(action, target=article, by=by, summary=summary)


def check_publishable(article, *, by=None, at=None, photos=None):
    """The time the story would go live; raises PublishError (permission, embargo, photo rights) if it may not.

    Photo rights (articles/rights.py): each photo the story carries (`photos`, else its saved
    captions) must be licensed at the publish time and allowed on this story; the message names them.
    """
    if by is not None and not can_publish(by):
        raise PublishError("You do not have permission to publish stories.")
    publish_time = at or article.published_at or timezone.now()
    if article.is_embargoed_at(publish_time):
        raise PublishError(
            f"Embargoed until {timezone.localtime(article.embargo_until):%Y-%m-%d %H:%M %Z}: "
            "the story cannot be published before then."
        )
    # A backdated publish time must not let a photo whose licence has already ended through.
    problems = publish_problems(article, at=max(publish_time, timezone.now()), photos=photos)
    if problems:
        raise PublishError(" ".join(problems), code="photo_rights")
    return publish_time


def publish_article(article, *, by=None, at=None, previous=_UNREAD, photos=None):
    """Publish now, or at `at` (a future time schedules it); refuses to beat an embargo or photo rights."""
    publish_time = check_publishable(article, by=by, at=at, photos=photos)
    article.publish(at=publish_time)
    change_status(article, Status.PUBLISHED, by=by, previous=previous)
    story_changed.send(sender=Article, article=article, event="published")
    return article


def unpublish_article(article, *, by=None, previous=_UNREAD):
    """Kill a story: it disappears from every public surface at once."""
    if by is not None and not can_publish(by):
        raise PublishError("You do not have permission to unpublish stories.")
    change_status(article, Status.KILLED, by=by, previous=previous)
    story_changed.send(sender=Article, article=article, event="killed")
    return article


def submit_for_editing(article, *, by):
    """A reporter hands a draft to the editors."""
    if article.status != Status.DRAFT:
        raise ValidationError(f"“{article}” is not a draft.")
    if not can_edit_content(by, article):
        raise ValidationError(f"You cannot submit “{article}”: it is not your draft.")
    return set_status(article, Status.READY, by=by)


def desk_state(article, now=None):
    """The status as the desk reads it: scheduled and embargoed stories are told apart from live ones."""
    now = now or timezone.now()
    if article.status == Status.PUBLISHED:
        if article.published_at and article.published_at > now:
            return f"Scheduled for {timezone.localtime(article.published_at):%Y-%m-%d %H:%M}"
        if article.embargo_until and article.embargo_until > now:
            return f"Embargoed until {timezone.localtime(article.embargo_until):%Y-%m-%d %H:%M}"
        return "Published (live)"
    return Status(article.status).label


def append_note(article, *, kind, text, by=None, at=None):
    """Add a correction, clarification or update; the story shows it with a fresh "Updated" time."""
    if by is not None and not by.has_perm("articles.add_articlenote"):
        raise ValidationError("You cannot append corrections or updates.")
    if not (text or "").strip():
        raise ValidationError("A note needs some text.")
    note = ArticleNote.objects.create(
        article=article, kind=kind, text=text.strip(), created_by=by, created_at=at or timezone.now()
    )
    mark_updated(article, note.created_at)
    story_changed.send(sender=Article, article=article, event="corrected" if kind == ArticleNote.Kind.CORRECTION
                       else "updated")
    return note


def mark_updated(article, at):
    """Move the story's "Updated" time forward to `at` without touching its edit version."""
    if article.updated_at and article.updated_at >= at:
        return
    article.updated_at = at
    # update() rather than save(): a note must not make an editor's open form look stale. update()
    # sends no post_save, so the CDN is purged here (public_cache.py's rule; the server-side
    # caches follow the database's generation by themselves).
    Article.objects.filter(pk=article.pk).update(updated_at=at, modified_at=timezone.now())
    purge_after_update(article)
