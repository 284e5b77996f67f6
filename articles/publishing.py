"""Every change to a story's status, its submission to the desk and its appended notes, with their history.

``set_status()`` is the one way a status changes: the story admin, its list actions, wire ingest
and the demo content all call it. Every write re-reads the row under a lock and writes only the
fields the move owns (editing.locked_story). Publishing refuses to beat an embargo, killing needs the publish
permission, and every move is recorded as a StatusChange. Who may ask for which move is decided
in articles.permissions.
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from audit import log as audit
from pipeline.queue import enqueue

from .alt_text import lead_alt_problem
from .editing import locked_story
from .models import Article, ArticleNote, StatusChange
from .permissions import can_edit_content, can_publish
from .rights import publish_problems
from .suggestions import add_published_story_terms, refresh_search_terms
from .withdrawal import withdraw_story_photos

Status = Article.Status
STATUS_FIELDS = ["status", "published_at"]
_UNREAD = object()

# Sent after a story's public life changes: article=, event= "published", "updated", "corrected" or
# "killed". The content API's webhooks listen (api/events.py); receivers must not write to the story.
story_changed = Signal()
# Sent for every recorded status move, public or not: article=, previous= ("" for a new story),
# status=, by= (a user or None). The desk's notifications listen (desk/events.py); same rule.
status_changed = Signal()


class PublishError(ValidationError):
    """The story cannot be published (embargo, missing permission, photo rights); the message says why."""


def set_status(article, to_status, *, by=None, at=None, previous=_UNREAD, photos=None, lead_photo=None, fields=()):
    """Move the story to `to_status` and save it.

    A stored story is re-read under a row lock (editing.locked_story) and only the status, the
    publish time and `fields` (other fields of the in-memory `article` the caller owns, such as the
    admin form's) are written, so a list action holding a stale copy never puts old text back. The
    move is decided on the locked row: publishing (embargo, permission, `at` schedules) when it is
    not yet published, killing (permission) when not yet killed; any other move is recorded; staying
    in the same status just saves. `previous` is only used for a story not saved yet. `photos`: the
    photos the story will carry when they are not saved yet (the admin form passes those of its
    captions formset), for the photo-rights check, and `lead_photo` the one of them that leads (None:
    no lead), for the lead alt-text check (alt_text.py).
    """
    prepare = _checks(to_status, by, at, photos=photos, lead_photo=lead_photo)
    return _move(article, to_status, by=by, fields=fields, previous=previous, prepare=prepare)


def _checks(to_status, by, at, *, photos=None, lead_photo=None, again=False):
    """What a move to `to_status` must check and do first, given the locked row's status. `again`:
    publish (or kill) even a story already in that status (publish_article, unpublish_article)."""

    def prepare(story, previous):
        if to_status == Status.PUBLISHED and (again or previous != Status.PUBLISHED):
            story.publish(at=check_publishable(story, by=by, at=at, photos=photos, lead_photo=lead_photo))
        elif to_status == Status.KILLED and (again or previous != Status.KILLED):
            if by is not None and not can_publish(by):
                raise PublishError("You do not have permission to unpublish stories.")

    prepare.again = again
    return prepare


def _move(article, to_status, *, by, fields, prepare, previous=_UNREAD):
    if article.pk is None:
        return _create(article, to_status, by=by, prepare=prepare, previous=previous)
    with locked_story(article, [*fields, *STATUS_FIELDS], by=by) as story:
        previous = story.status
        for name in fields:
            setattr(story, name, getattr(article, name))
        prepare(story, previous)
        story.status = to_status
        if previous != to_status:
            StatusChange.objects.create(article=story, from_status=previous, to_status=to_status, changed_by=by)
            record_status_change(story, previous, to_status, by=by)
            status_changed.send(sender=Article, article=story, previous=previous, status=to_status, by=by)
        _after_move(story, previous, to_status, republished=prepare is not None and getattr(prepare, "again", False))
    return article


def _create(article, to_status, *, by, prepare, previous):
    """A story saved for the first time in `to_status` (the add form, the wire, the demo)."""
    previous = "" if previous is _UNREAD else previous or ""
    with transaction.atomic():
        prepare(article, previous)
        article.status = to_status
        article.save()
        if previous != to_status:
            StatusChange.objects.create(article=article, from_status=previous, to_status=to_status, changed_by=by)
            record_status_change(article, previous, to_status, by=by)
            status_changed.send(sender=Article, article=article, previous=previous, status=to_status, by=by)
        _after_move(article, previous, to_status)
    return article


def _after_move(article, previous, to_status, *, republished=False):
    """What follows a move once it commits: a killed story's photos lose their public renditions
    (withdrawal.py), the "did you mean" vocabulary is rebuilt (suggestions.py), and story_changed
    tells the listeners (the content API's webhooks)."""
    if previous == Status.PUBLISHED and to_status != Status.PUBLISHED:
        transaction.on_commit(partial(withdraw_story_photos, article))
    if previous == Status.PUBLISHED and to_status != Status.PUBLISHED:
        transaction.on_commit(partial(enqueue, refresh_search_terms), robust=True)
    elif to_status == Status.PUBLISHED:
        transaction.on_commit(partial(enqueue, add_published_story_terms, article.pk), robust=True)
    if to_status == Status.PUBLISHED and (previous != Status.PUBLISHED or republished):
        event = "published"
    elif to_status == Status.KILLED and previous != Status.KILLED:
        event = "killed"
    elif to_status == Status.PUBLISHED:
        event = "updated"
    else:
        return
    story_changed.send(sender=Article, article=article, event=event)


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


def change_status(article, to_status, *, by=None, fields=()):
    """Set a new status and record who changed it; the caller has already validated the move."""
    return _move(article, to_status, by=by, fields=fields, prepare=lambda story, previous: None)


def check_publishable(article, *, by=None, at=None, photos=None, lead_photo=None):
    """The time the story would go live; raises PublishError (permission, embargo, photo rights, lead
    alt text) if it may not.

    Photo rights (articles/rights.py): each photo the story carries (`photos`, else its saved
    captions) must be licensed at the publish time and allowed on this story; the message names them.
    With NEWSROOM_REQUIRE_LEAD_ALT_TEXT on, the lead photo (`lead_photo` when `photos` is given,
    else the saved one) must have alt text (articles/alt_text.py).
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
    missing_alt = lead_alt_problem(article, photos=photos, lead_photo=lead_photo)
    if missing_alt:
        raise PublishError(missing_alt, code="lead_alt_text")
    return publish_time


def publish_article(article, *, by=None, at=None, photos=None, lead_photo=None, fields=()):
    """Publish now, or at `at` (a future time schedules it); refuses to beat an embargo or photo rights.

    The checks run on the stored row as it is at that moment (plus `fields`)."""
    prepare = _checks(Status.PUBLISHED, by, at, photos=photos, lead_photo=lead_photo, again=True)
    return _move(article, Status.PUBLISHED, by=by, fields=fields, prepare=prepare)


def unpublish_article(article, *, by=None, fields=()):
    """Kill a story: it disappears from every public surface at once."""
    return _move(article, Status.KILLED, by=by, fields=fields, prepare=_checks(Status.KILLED, by, None, again=True))


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


def preview_state(article, now=None):
    """What a preview or share link says the story is: its desk state, and a wire embargo still ahead."""
    now = now or timezone.now()
    state = desk_state(article, now)
    if article.status != Status.PUBLISHED and article.is_embargoed_at(now):
        state += f", embargoed until {timezone.localtime(article.embargo_until):%Y-%m-%d %H:%M}"
    return state


def append_note(article, *, kind, text, by=None, at=None):
    """Add a correction, clarification or update; the story shows it with a fresh "Updated" time."""
    if by is not None and not by.has_perm("articles.add_articlenote"):
        raise ValidationError("You cannot append corrections or updates.")
    if not (text or "").strip():
        raise ValidationError("A note needs some text.")
    note = record_note(article, kind=kind, text=text, by=by, at=at)
    mark_updated(article, note.created_at)
    story_changed.send(sender=Article, article=article, event=_note_event(kind))
    return note


def edit_note(note, *, kind, text, by=None):
    """An editor fixes a saved correction, clarification or update: readers see the new wording at
    once (the notes table bumps the page cache's generation), marked as edited; the audit log keeps
    who changed what, old and new."""
    if by is not None and not by.has_perm("articles.change_articlenote"):
        raise ValidationError("You cannot edit corrections or updates.")
    text = (text or "").replace("\r\n", "\n").strip()  # browsers post CRLF; stored notes use LF
    if not text:
        raise ValidationError("A note needs some text; delete the note instead if it should go.")
    stored = ArticleNote.objects.get(pk=note.pk)
    if (stored.kind, stored.text) == (kind, text):
        return stored
    # A locked write of the story (no field of its own changes): its version moves on, so a form
    # opened before this edit merges instead of putting the old wording back (admin/story_merge).
    with locked_story(stored.article_id, [], by=by, comment="Edited a correction or update.") as story:
        stored = ArticleNote.objects.select_for_update().get(pk=note.pk)
        stored.article = story
        before = f"{stored.get_kind_display()}: “{stored.text}”"
        stored.kind, stored.text, stored.edited_at = kind, text, timezone.now()
        stored.save(update_fields=["kind", "text", "edited_at"])
        audit.record(
            audit.Action.NOTE, target=stored.article, by=by,
            summary=f"Edited the note of {_note_time(stored)}. Was {before}; now {stored.get_kind_display()}: “{text}”",
        )
    story_changed.send(sender=Article, article=stored.article, event=_note_event(kind))
    return stored


def delete_note(note, *, by=None):
    """An editor deletes a saved note: it leaves the page at once; the audit log keeps its text."""
    if by is not None and not by.has_perm("articles.delete_articlenote"):
        raise ValidationError("You cannot delete corrections or updates.")
    article_id = ArticleNote.objects.filter(pk=note.pk).values_list("article_id", flat=True).first()
    if article_id is None:
        return
    with locked_story(article_id, [], by=by, comment="Deleted a correction or update.") as story:
        stored = ArticleNote.objects.select_for_update().filter(pk=note.pk).first()
        if stored is None:
            return
        stored.article = story
        audit.record(
            audit.Action.NOTE, target=stored.article, by=by,
            summary=f"Deleted the note of {_note_time(stored)}: {stored.get_kind_display()}: “{stored.text}”",
        )
        stored.delete()
    story_changed.send(sender=Article, article=stored.article, event="updated")


def _note_time(note):
    return f"{timezone.localtime(note.created_at):%Y-%m-%d %H:%M}"


def _note_event(kind):
    return "corrected" if kind == ArticleNote.Kind.CORRECTION else "updated"


def record_note(article, *, kind, text, by=None, at=None):
    """Store a note as it is, for callers that have already decided on it and on the story's time:
    wire ingest records the agency's own update or withdrawal notices this way."""
    return ArticleNote.objects.create(
        article=article, kind=kind, text=text.strip(), created_by=by, created_at=at or timezone.now()
    )


def mark_updated(article, at):
    """Move the story's "Updated" time forward to `at`: a locked write of that one field.

    It bumps the version like any write; an editor whose form predates it gets it merged in on
    save (admin/story_merge). The save's post_save drops the public caches."""
    with locked_story(article, ["updated_at"]) as story:
        if story.updated_at is None or story.updated_at < at:
            story.updated_at = at
    article.updated_at = story.updated_at
