"""Status changes of one story, with their history. Every path that makes a story public calls these."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit import log as audit

from .models import Article, StatusChange
from .workflow import can_publish


class PublishError(ValidationError):
    """The story cannot be published (embargo, missing permission); the message says why."""


def change_status(article, to_status, *, by=None):
    """Set a new status and record who changed it; the caller has already validated the move."""
    previous = Article.objects.filter(pk=article.pk).values_list("status", flat=True).first() or ""
    article.status = to_status
    with transaction.atomic():
        article.save()
        if previous != to_status:
            StatusChange.objects.create(article=article, from_status=previous, to_status=to_status, changed_by=by)
            record_status_change(article, previous, to_status, by=by)
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


def publish_article(article, *, by=None, at=None):
    """Publish now, or at `at` (a future time schedules it); refuses to beat an embargo."""
    publish_time = check_publishable(article, by=by, at=at)
    article.publish(at=publish_time)
    return change_status(article, Article.Status.PUBLISHED, by=by)


def unpublish_article(article, *, by=None):
    """Kill a story: it disappears from every public surface at once."""
    if by is not None and not can_publish(by):
        raise PublishError("You do not have permission to unpublish stories.")
    return change_status(article, Article.Status.KILLED, by=by)
