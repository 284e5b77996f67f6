"""Status changes of one story, with their history. Every path that makes a story public calls these.

Each move re-reads the story under a row lock (editing.locked_story) and writes only the status,
the publish time and the fields the caller says it owns, so a list action started from a stale
list never puts an old headline or body back.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .editing import locked_story
from .models import Article, StatusChange
from .workflow import can_publish

STATUS_FIELDS = ["status", "published_at"]


class PublishError(ValidationError):
    """The story cannot be published (embargo, missing permission); the message says why."""


def change_status(article, to_status, *, by=None, fields=()):
    """Set a new status and record who changed it; the caller has already validated the move.

    `fields` names other fields of the in-memory `article` to write in the same locked save
    (the admin form's); anything else is read from the stored row.
    """
    return _move(article, to_status, by=by, fields=fields)


def _move(article, to_status, *, by, fields, prepare=None):
    if article.pk is None:
        return _create(article, to_status, by=by, prepare=prepare)
    with locked_story(article, [*fields, *STATUS_FIELDS], by=by) as story:
        previous = story.status
        for name in fields:
            setattr(story, name, getattr(article, name))
        if prepare is not None:
            prepare(story)
        story.status = to_status
        if previous != to_status:
            StatusChange.objects.create(article=story, from_status=previous, to_status=to_status, changed_by=by)
    return article


def _create(article, to_status, *, by, prepare):
    """A story saved for the first time in `to_status` (the add form, the wire)."""
    with transaction.atomic():
        if prepare is not None:
            prepare(article)
        article.status = to_status
        article.save()
        StatusChange.objects.create(article=article, from_status="", to_status=to_status, changed_by=by)
    return article


def check_publishable(article, *, by=None, at=None):
    """The time the story would go live; raises PublishError (permission, embargo) if it may not."""
    if by is not None and not can_publish(by):
        raise PublishError("You do not have permission to publish stories.")
    publish_time = at or article.published_at or timezone.now()
    if article.is_embargoed_at(publish_time):
        raise PublishError(
            f"Embargoed until {timezone.localtime(article.embargo_until):%Y-%m-%d %H:%M %Z}: "
            "the story cannot be published before then."
        )
    return publish_time


def publish_article(article, *, by=None, at=None, fields=()):
    """Publish now, or at `at` (a future time schedules it); refuses to beat an embargo.

    The embargo is checked on the stored row as it is at that moment (plus `fields`), not on a
    copy loaded earlier.
    """

    def prepare(story):
        story.publish(at=check_publishable(story, by=by, at=at))

    return _move(article, Article.Status.PUBLISHED, by=by, fields=fields, prepare=prepare)


def unpublish_article(article, *, by=None, fields=()):
    """Kill a story: it disappears from every public surface at once."""
    if by is not None and not can_publish(by):
        raise PublishError("You do not have permission to unpublish stories.")
    return _move(article, Article.Status.KILLED, by=by, fields=fields)
