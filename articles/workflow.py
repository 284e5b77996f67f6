"""Who may do what to a story: the desk's roles applied to one article, and the status moves.

The admin asks these functions before showing a form, when validating one and when running a
list action, so a hand-made POST meets the same rules as the buttons.
"""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.utils import timezone

from .editing import locked_story
from .models import Article, ArticleNote, ArticleRedirect

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


def submit_for_editing(article, *, by):
    """A reporter hands a draft to the editors."""
    from .publishing import change_status

    if article.status != Status.DRAFT:
        raise ValidationError(f"“{article}” is not a draft.")
    if not can_edit_content(by, article):
        raise ValidationError(f"You cannot submit “{article}”: it is not your draft.")
    return change_status(article, Status.READY, by=by)


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
    return note


def mark_updated(article, at):
    """Move the story's "Updated" time forward to `at` (a locked write of that one field).

    An editor whose form predates it gets it merged in on save (editing.merge_story)."""
    with locked_story(article, ["updated_at"]) as story:
        if story.updated_at is None or story.updated_at < at:
            story.updated_at = at
    article.updated_at = story.updated_at


def stored_copy(article):
    """The saved row of `article` (the fields that decide its address and status), or None."""
    if article.pk is None:
        return None
    fields = ["status", "slug", "published_at", "created_at", "first_published_at"]
    return Article.objects.filter(pk=article.pk).only(*fields).first()


def public_path(stored):
    """The address a saved story had, if readers could ever have seen it."""
    if stored is None or stored.first_published_at is None:
        return None
    return stored.get_absolute_url()


def record_redirect(article, old_path):
    """Point `old_path` at the story for good if its address changed; returns the redirect or None."""
    new_path = article.get_absolute_url()
    if not old_path or old_path == new_path:
        return None
    # If the story moved back to an old address, that address must serve the story, not redirect.
    ArticleRedirect.objects.filter(old_path=new_path).delete()
    redirect, _ = ArticleRedirect.objects.update_or_create(old_path=old_path, defaults={"article": article})
    return redirect


@contextmanager
def keeping_old_url(article):
    """Wrap a save: if it changes a once-public story's slug or date, the old URL redirects.

    Yields the stored copy from before the save (None for a new story).
    """
    stored = stored_copy(article)
    yield stored
    record_redirect(article, public_path(stored))
