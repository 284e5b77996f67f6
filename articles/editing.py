"""Writing a stored story, and the story's state for three-way merges.

`locked_story()` is the one way code changes a stored story: it re-reads the row under
``select_for_update()``, lets the caller change the fields it owns, saves only those
(``update_fields``; ``Article.save()`` bumps the version) and records a revision. The admin form,
list actions, publishing, restore, notes and the wire ingest all write through it, so no path can
put a stale copy of a field it does not own back into the row.
"""

from contextlib import contextmanager
from datetime import datetime

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from . import merging
from .models import Article, ArticleAuthor, Caption

# The story's own fields an editor can change (attribute names), compared field by field: every
# editable column of Article, so a field added later is merged and written like the others.
STORY_FIELDS = [f.attname for f in Article._meta.concrete_fields if f.editable and not f.primary_key]
# How each part of the state merges; anything not named merges as a whole value.
MERGE_KINDS = {"body": merging.BLOCKS, "tags": merging.SET, "byline": merging.SEQUENCE}
CAPTION_PREFIX = "caption:"


@contextmanager
def locked_story(article, owns, *, by=None, comment=None):
    """Lock the stored row of `article` (an Article or a pk) and yield it, fresh; on leaving, save
    only the fields in `owns` and record a revision. An exception inside leaves the row untouched.

        with locked_story(article, ["status", "published_at"]) as story:
            story.publish()
    """
    pk = getattr(article, "pk", article)
    with transaction.atomic():
        story = Article.objects.select_for_update().get(pk=pk)
        yield story
        story.save(update_fields=list(dict.fromkeys(owns)))
        _record_revision(story, by=by, comment=comment)
    if isinstance(article, Article):
        copy_saved_fields(story, article)


def save_story(article, fields, *, by=None, comment=None):
    """Write `fields` of the in-memory `article` to its stored row, and nothing else; returns the row."""
    with locked_story(article, fields, by=by, comment=comment) as story:
        for name in fields:
            setattr(story, name, getattr(article, name))
    return story


def copy_saved_fields(saved, article):
    """Give a caller's copy the values the save decided (version, derived fields)."""
    for name in ("version", "modified_at", "first_published_at", "slug", "body", "status", "published_at"):
        setattr(article, name, getattr(saved, name))


def _record_revision(story, *, by, comment):
    """Add the story to the revision being recorded, or record one of its own."""
    if reversion.is_active():
        if not reversion.is_manage_manually():  # a manual revision adds the story itself, once
            reversion.add_to_revision(story)
        return
    with reversion.create_revision():
        reversion.add_to_revision(story)
        if by is not None:
            reversion.set_user(by)
        reversion.set_comment(comment or "Saved.")


# -- the story's state ---------------------------------------------------------------------------
def caption_key(photo_id):
    return f"{CAPTION_PREFIX}{photo_id}"


def related_state(byline, captions):
    """State entries for a byline (author ids in order) and caption rows (dicts with photo_id,
    caption, credit, role, position)."""
    captions = sorted(captions, key=lambda c: (c.get("position") or 0, c.get("id") or 0))
    lead = next((c["photo_id"] for c in captions if c.get("role") == Caption.Role.LEAD), None)
    state = {"byline": tuple(byline), "lead_photo": lead}
    for caption in captions:
        state[caption_key(caption["photo_id"])] = (
            caption.get("caption") or "",
            caption.get("credit") or "",
            caption.get("position") or 0,
        )
    return state


def comparable(value):
    """A field value as the three sides can agree on it: times to the second, as the form shows
    them (the database keeps microseconds, a revision milliseconds)."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    return value


def state_of_article(article):
    """The stored story as a merge state: its fields, tags, byline and captions."""
    state = {name: comparable(getattr(article, name)) for name in STORY_FIELDS}
    state["tags"] = tag_names(article)
    byline = ArticleAuthor.objects.filter(article=article).order_by("position", "pk")
    captions = Caption.objects.filter(article=article).values("id", "photo_id", "caption", "credit", "role", "position")
    state.update(related_state(list(byline.values_list("author_id", flat=True)), list(captions)))
    return state


def tag_names(article):
    return tuple(sorted(article.tags.values_list("name", flat=True), key=str.lower))


def state_of_revision(version, *, tags=None):
    """The story as a revision stored it, or None if the revision is not of a story.

    Only the story's own byline and caption rows count: a revision made by a list action holds
    several stories. Tags are not versioned by django-reversion; pass the tags the editor started
    from (the form carries them), or they are left out and merge as unknown.
    """
    fields = version.field_dict
    if "headline" not in fields:
        return None
    state = {name: comparable(fields.get(name)) for name in STORY_FIELDS}
    article_id = int(version.object_id)
    byline = sorted(
        (row["position"] or 0, row.get("id") or 0, row["author_id"])
        for row in related_rows(version.revision, ArticleAuthor, article_id)
    )
    captions = related_rows(version.revision, Caption, article_id)
    state.update(related_state([author for _, _, author in byline], captions))
    if tags is not None:
        state["tags"] = tuple(sorted(tags, key=str.lower))
    return state


def related_versions(revision, model, article_id):
    """The versions of `model` rows (byline, captions) of story `article_id` in `revision`, and
    never another story's: a revision made by a list action holds several stories."""
    content_type = ContentType.objects.get_for_model(model)
    versions = revision.version_set.filter(content_type=content_type)
    return [version for version in versions if version.field_dict.get("article_id") == int(article_id)]


def related_rows(revision, model, article_id):
    return [version.field_dict for version in related_versions(revision, model, article_id)]


def merge_story(base, theirs, mine):
    """Three-way merge of story states (see articles.merging)."""
    return merging.merge_states(base, theirs, mine, MERGE_KINDS)
