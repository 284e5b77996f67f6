"""Editorial comments on a story, with @mentions of desk users.

A comment is its own row: posting one never touches the story (its row, version or revisions), so
it can be posted while the story form is open, or being saved, without disturbing either.
"""

import operator
import re
from functools import reduce

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import mark_safe

from articles.permissions import can_view_story

from .models import Comment, Verb
from .notifications import notify, story_viewers

MAX_LENGTH = 5000
# "@kim.minji" at the start or after a space or punctuation, never inside an address like a@b.com.
# Django usernames may hold letters, digits and @.+-_; a trailing full stop ends the sentence.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]*[\w+-])")


def mentioned_names(text):
    return list(dict.fromkeys(match.group(1) for match in MENTION.finditer(text)))


def resolve_mentions(text):
    """The desk users `text` mentions; raises ValidationError naming any mention that is nobody."""
    names = mentioned_names(text)
    if not names:
        return []
    User = get_user_model()
    same_name = reduce(operator.or_, (Q(**{f"{User.USERNAME_FIELD}__iexact": name}) for name in names))
    users = User.objects.filter(same_name, is_active=True, is_staff=True)
    found = {user.get_username().casefold(): user for user in users}
    unknown = [name for name in names if name.casefold() not in found]
    if unknown:
        raise ValidationError(
            "No desk user is called " + ", ".join(f"@{name}" for name in unknown) + ". Check the spelling."
        )
    users = [found[name.casefold()] for name in names]
    # Never tell a user about a story they may not open (a newsletter-only account, say).
    blind = [user for user in users if not can_view_story(user, None)]
    if blind:
        raise ValidationError(
            ", ".join(f"@{user.get_username()}" for user in blind) + " cannot open stories, so would not see this."
        )
    return users


def mentionable(prefix, limit=8):
    """Usernames starting with `prefix` of desk users who may see stories (the @ suggestions)."""
    field = get_user_model().USERNAME_FIELD
    users = story_viewers().filter(**{f"{field}__istartswith": prefix}).order_by(field)
    return list(users.values_list(field, flat=True)[:limit])


def post_comment(article, author, text):
    """Add `author`'s comment to the story's thread and notify whoever it mentions."""
    if not can_view_story(author, article):
        raise PermissionDenied("You cannot comment on this story.")
    text = (text or "").strip()
    if not text:
        raise ValidationError("Write something first: the comment is empty.")
    if len(text) > MAX_LENGTH:
        raise ValidationError(f"A comment can be at most {MAX_LENGTH} characters (this one has {len(text)}).")
    mentioned = resolve_mentions(text)
    with transaction.atomic():
        comment = Comment.objects.create(article=article, author=author, text=text)
        comment.mentions.set(mentioned)
        notify(mentioned, Verb.MENTIONED, article, actor=author, text=text)
    return comment


def thread(article):
    """The story's comments, oldest first, with their authors."""
    return Comment.objects.filter(article=article).select_related("author")


def render_text(text):
    """The comment as HTML: escaped, paragraphs kept, @mentions highlighted."""
    parts, last = [], 0
    for match in MENTION.finditer(text):
        parts.append(conditional_escape(text[last:match.start()]))
        parts.append(format_html('<span class="desk-mention">@{}</span>', match.group(1)))
        last = match.end()
    parts.append(conditional_escape(text[last:]))
    return mark_safe(linebreaks(mark_safe("".join(parts)), autoescape=False))
