"""Who may do what to a story: the desk's roles applied to one article, and the status moves.

The admin asks these functions before showing a form, when validating one and when running a
list action, so a hand-made POST meets the same rules as the buttons. The moves themselves are
made by articles.publishing.
"""

from django.core.exceptions import ValidationError

from .models import Article

Status = Article.Status
PUBLISH_PERMISSION = "articles.publish_article"
ANY_CAPTION_PERMISSION = "articles.edit_any_caption"

# The moves the desk makes. Moves into or out of the public statuses need the publish permission.
TRANSITIONS = {
    Status.DRAFT: {Status.READY, Status.PUBLISHED},
    Status.READY: {Status.DRAFT, Status.PUBLISHED},
    Status.PUBLISHED: {Status.KILLED},
    Status.KILLED: {Status.DRAFT, Status.PUBLISHED},
}
PUBLIC_STATUSES = {Status.PUBLISHED, Status.KILLED}
# A reporter keeps editing their own story until an editor publishes it.
AUTHOR_EDITABLE = {Status.DRAFT, Status.READY}


def can_publish(user):
    """Editors and admins: publish, schedule, unpublish, append corrections."""
    return user.has_perm(PUBLISH_PERMISSION)


def can_view_story(user, article):
    """Whether `user` may open the story in the desk at all (the admin's view rule); notifications
    and comments are only ever shown to such users."""
    return (
        user.is_active
        and user.is_staff
        and (user.has_perm("articles.view_article") or user.has_perm("articles.change_article"))
    )


def is_own_story(user, article):
    return article.created_by_id is not None and article.created_by_id == user.pk


def can_edit_content(user, article):
    """Headline, body and the other story fields: editors always, reporters on their own drafts."""
    if article is None or article.pk is None:
        return user.has_perm("articles.add_article")
    if not user.has_perm("articles.change_article"):
        return False
    if can_publish(user):
        return True
    return user.has_perm("articles.add_article") and is_own_story(user, article) and article.status in AUTHOR_EDITABLE


def can_edit_photos(user, article):
    """Captions and credits on a story: whoever may edit it, and photo editors on any story."""
    return can_edit_content(user, article) or (
        user.has_perm(ANY_CAPTION_PERMISSION) and user.has_perm("articles.change_caption")
    )


def allowed_statuses(user, current):
    """The statuses this user may leave a story in, starting from `current` (None for a new story)."""
    current = current or Status.DRAFT
    allowed = {current}
    for target in TRANSITIONS[current]:
        if can_publish(user) or (target not in PUBLIC_STATUSES and current not in PUBLIC_STATUSES):
            allowed.add(target)
    return allowed


def check_status_change(user, current, target):
    """Raise ValidationError with an editor-facing reason if `user` may not move a story to `target`."""
    current = current or Status.DRAFT
    if target in allowed_statuses(user, current):
        return
    if target in TRANSITIONS[current] and not can_publish(user):
        verb = {Status.PUBLISHED: "publish", Status.KILLED: "unpublish"}.get(target, "reopen")
        raise ValidationError(
            f"You cannot {verb} stories. Set the status to “Ready for editing” and an editor will take it from there."
        )
    raise ValidationError(f"A story cannot go from “{Status(current).label}” to “{Status(target).label}”.")


def editable_stories(user, stories):
    """The stories in `stories` whose content `user` may edit: can_edit_content as a queryset."""
    if not user.has_perm("articles.change_article"):
        return stories.none()
    if can_publish(user):
        return stories
    if not user.has_perm("articles.add_article"):
        return stories.none()
    return stories.filter(created_by=user, status__in=AUTHOR_EDITABLE)


def can_edit_alt_text(user, photo):
    """A photo's alt text: photo editors (and editors) on any photo, anyone on a photo they uploaded."""
    return user.has_perm("articles.change_photo") or (
        photo.uploaded_by_id is not None and photo.uploaded_by_id == user.pk and user.has_perm("articles.add_photo")
    )
