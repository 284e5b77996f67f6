"""Status changes of one story, with their history. Every path that makes a story public calls these."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Article, StatusChange
from .rights import publish_problems
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
    return article


def check_publishable(article, *, by=None, at=None, photos=None):
    """The time the story would go live; raises PublishError (permission, embargo, photo rights) if it may not.

    `photos`: the photos the story will carry, when they are not saved yet (the admin form).
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


def publish_article(article, *, by=None, at=None, photos=None):
    """Publish now, or at `at` (a future time schedules it); refuses to beat an embargo or photo rights."""
    publish_time = check_publishable(article, by=by, at=at, photos=photos)
    article.publish(at=publish_time)
    return change_status(article, Article.Status.PUBLISHED, by=by)


def unpublish_article(article, *, by=None):
    """Kill a story: it disappears from every public surface at once."""
    if by is not None and not can_publish(by):
        raise PublishError("You do not have permission to unpublish stories.")
    return change_status(article, Article.Status.KILLED, by=by)
