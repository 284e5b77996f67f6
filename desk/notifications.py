"""Desk notifications: `notify()` is the one way to tell desk users something happened to a story.

A notification is a row shown in the admin (the header's count, /admin/desk/notifications/) and,
when NEWSROOM_DESK_EMAIL is on, a mail sent by a task once the transaction commits
(desk/mail.py), so an SMTP outage never fails the action that caused it.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.permissions import PUBLISH_PERMISSION, can_view_story
from pipeline.queue import enqueue_after_commit

from .mail import send_notification_mails
from .models import Notification

TEXT_LIMIT = Notification._meta.get_field("text").max_length


def notify(recipients, verb, article=None, actor=None, text=""):
    """Notify each of `recipients` (users) that `verb` happened to `article`, by `actor`.

    The actor is never notified of their own action, each user once, and only active staff who
    may see the story (articles.permissions.can_view_story): a notification never leaks a story.
    Returns the notifications created.
    """
    users = {}
    for user in recipients:
        if user is not None and user.pk is not None:
            users.setdefault(user.pk, user)
    if actor is not None:
        users.pop(actor.pk, None)
    allowed = [user for user in users.values() if article is None or can_view_story(user, article)]
    if not allowed:
        return []
    now = timezone.now()
    made = Notification.objects.bulk_create(
        Notification(recipient=user, verb=verb, article=article, actor=actor, text=text[:TEXT_LIMIT], created_at=now)
        for user in allowed
    )
    if settings.NEWSROOM_DESK_EMAIL:
        with_address = [n.pk for n in made if n.recipient.email]
        if with_address:
            enqueue_after_commit(send_notification_mails, with_address)
    return made


def visible_notifications(user):
    """`user`'s notifications they may still read: about a story only while they may open stories
    (a user whose role was taken away keeps no headlines)."""
    notifications = Notification.objects.for_user(user)
    if not can_view_story(user, None):
        notifications = notifications.filter(article__isnull=True)
    return notifications


def unread_count(user):
    return visible_notifications(user).unread().count()


def mark_read(user, ids=None, now=None):
    """Mark `user`'s notifications read (all of them, or those in `ids`); returns how many changed."""
    notifications = visible_notifications(user).unread()
    if ids is not None:
        notifications = notifications.filter(pk__in=ids)
    return notifications.update(read_at=now or timezone.now())


def desk_editors():
    """Everyone who runs the desk: active staff who may publish (editors, admins, superusers)."""
    return _staff_with(PUBLISH_PERMISSION)


def story_viewers():
    """Active staff who may open stories in the desk (can_view_story as a queryset)."""
    return _staff_with("articles.view_article")


def _staff_with(permission):
    # Permissions come from groups and user grants (ModelBackend); axes' backend grants none.
    users = get_user_model().objects.with_perm(permission, backend="django.contrib.auth.backends.ModelBackend")
    return users.filter(is_staff=True)


def story_people(article):
    """Who the story belongs to: whoever created it and the desk users in its byline."""
    User = get_user_model()
    return User.objects.filter(is_active=True, is_staff=True).filter(
        pk__in=[
            *([article.created_by_id] if article.created_by_id else []),
            *article.authorships.filter(author__user__isnull=False).values_list("author__user_id", flat=True),
        ]
    )
