"""The desk's own rows: notifications for desk users and editorial comments on stories.

Neither is ever shown to readers (no content generation trigger): they live beside the story,
not in it, so writing one never touches the story's row or its version.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Verb(models.TextChoices):
    """What happened; notify() accepts any short string, these are the ones the desk sends."""

    READY = "ready", "marked ready for editing"
    RETURNED = "returned", "sent back to draft"
    PUBLISHED = "published", "published"
    SCHEDULED = "scheduled", "scheduled"
    KILLED = "killed", "unpublished (killed)"
    WIRE_WAITING = "wire-waiting", "has an agency update waiting"
    WIRE_APPLIED = "wire-applied", "was updated from the wire"
    MENTIONED = "mentioned", "mentioned you"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_user(self, user):
        return self.filter(recipient=user)


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_notifications")
    verb = models.CharField(max_length=20, choices=Verb.choices)
    article = models.ForeignKey("articles.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set by the mail task (desk/mail.py) once the copy by email has gone out.
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="desk_notification_inbox_idx"),
            # The header's unread count on every admin page.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="desk_notification_unread_idx"),
        ]

    def __str__(self):
        return self.summary

    @property
    def is_read(self):
        return self.read_at is not None

    @property
    def summary(self):
        """"editor published “Headline”", for the list, the header and the mail subject."""
        who = self.actor.get_username() if self.actor_id else "The desk"
        story = f"“{self.article.headline}”" if self.article_id else ""
        if self.verb == Verb.MENTIONED:
            return f"{who} mentioned you on {story}".strip()
        if self.verb in (Verb.WIRE_WAITING, Verb.WIRE_APPLIED):
            return f"{story} {self.get_verb_display()}".strip()
        return f"{who} {self.get_verb_display()} {story}".strip()


class Comment(models.Model):
    """An editorial comment on a story: for the desk only, never part of the story or its revisions."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="desk_comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["article", "created_at"], name="desk_comment_thread_idx")]

    def __str__(self):
        return f"{self.author or 'someone'} on {self.article_id}: {self.text[:60]}"
