"""Pending agency updates: when an update waits for an editor, what the editor sees (agency before,
agency now, ours) and what applying, merging or dismissing it per field does.

Applying goes through the publishing rules: a live or scheduled story, an embargo and a
withdrawal need the publish permission, and an embargo that would hold a live story back is
refused by publishing.check_publishable. Only then does the story get its public "updated" note.
"""

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from articles import merging, permissions
from articles.editing import locked_story
from articles.models import Article, ArticleAuthor, ArticleNote, Author
from articles.publishing import append_note, check_publishable, set_status
from articles.revisions import body_text
from articles.slugs import unique_slug

from . import agency
from .models import PendingUpdate

Status = Article.Status
STORY_FIELDS = ["headline", "dek", "body", "dateline", "embargo_until"]
AGENCY, MERGED, OURS = "agency", "merged", "ours"

# pending=: an agency update (or withdrawal) now waits for an editor. pending=, by=, fields=: an
# editor applied one. The desk's notifications listen (desk/events.py).
update_held = Signal()
update_applied = Signal()


def review_reason(article, merge, *, withdrawn, by):
    """Why an agency update must wait for an editor, or "" if it may be applied at once."""
    changes = [name for name, merged in merge.fields.items() if merged.outcome in agency.AGENCY_CHANGES]
    if not changes and not withdrawn:
        return ""
    if article.status == Status.PUBLISHED:
        return "The story is published or scheduled; readers keep the current version until an editor applies it."
    if by is None or permissions.can_publish(by):
        return ""
    if not permissions.can_edit_content(by, article):
        return f"{by} may not edit this story."
    if "embargo_until" in changes or withdrawn:
        return "Changing the embargo or withdrawing a story needs the publish permission."
    return ""


def hold(article, log, merge, *, reason, only_conflicts=False):
    """Record the agency's new text of every field it changed (or only the conflicting ones)."""
    wanted = (merging.CONFLICT,) if only_conflicts else agency.AGENCY_CHANGES
    fields = {}
    for name, merged in merge.fields.items():
        if merged.outcome in wanted:
            before = merged.base if merged.base is not merging.UNKNOWN else None
            fields[name] = {"before": _json(name, before), "now": _json(name, merged.mine)}
    # Keep the spelling of the agency's names (the merge compared them without case).
    now = agency.from_json(log.fields) or {}
    for name in ("byline", "tags"):
        if name in fields:
            fields[name]["now"] = list(now.get(name) or ())
    if not fields:
        return None
    pending = PendingUpdate.objects.create(article=article, wire_version=log, reason=reason, fields=fields)
    update_held.send(sender=PendingUpdate, pending=pending)
    return pending


def hold_withdrawal(article, log):
    """The agency withdrew the item: an editor decides (live or not, the story is never killed on its own)."""
    if article.status == Status.PUBLISHED:
        reason = "The agency withdrew the item; an editor decides whether to unpublish the story."
    else:
        reason = "The agency withdrew the item; an editor decides whether to kill the story before it is published."
    pending = PendingUpdate.objects.create(
        article=article, wire_version=log, kind=PendingUpdate.Kind.WITHDRAWAL, reason=reason
    )
    update_held.send(sender=PendingUpdate, pending=pending)
    return pending


def _json(name, value):
    return agency.to_json({name: value})[name] if value is not None else None


def _merge_for(pending, article):
    """(before, now, ours, merge) of a pending update against the story as it is now."""
    before = agency.from_json(pending.side("before"))
    now = agency.from_json(pending.side("now")) or {}
    ours = agency.story_state(article)
    merge = agency.merge_update(before, {name: ours[name] for name in now}, now)
    return before, now, ours, merge


def review(pending, article=None):
    """One row per field: the agency's previous and new text, ours now, and the merge proposal."""
    before, now, ours, merge = _merge_for(pending, article or pending.article)
    rows = []
    for name in now:
        merged = merge.fields[name]
        rows.append({
            "name": name,
            "label": agency.label(name),
            "before": _text(name, before.get(name) if before else None),
            "now": _text(name, now[name]),
            "ours": _text(name, ours[name]),
            "outcome": merged.outcome,
            "can_merge": merged.outcome == merging.MERGED,
            "proposal": _text(name, merged.value) if merged.outcome == merging.MERGED else "",
        })
    return rows


def _text(name, value):
    if value is None:
        return "—"
    if name == "body":
        return body_text(value)
    if name in ("byline", "tags"):
        return ", ".join(value) or "—"
    if hasattr(value, "strftime"):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return str(value)


def may_apply(user, pending):
    article = pending.article
    if not permissions.can_edit_content(user, article):
        return False
    needs_publish = article.status == Status.PUBLISHED or pending.kind == PendingUpdate.Kind.WITHDRAWAL
    return permissions.can_publish(user) or not needs_publish


def apply(pending, choices, *, by, story_version=None):
    """Apply an update field by field: `choices` maps a field to "agency", "merged" or "ours".

    `story_version` is the story's version the editor reviewed; if the desk saved since, nothing is
    applied and the editor looks again. Returns the names of the fields that changed.
    """
    if pending.state != PendingUpdate.State.PENDING:
        raise ValidationError("This update has already been dealt with.")
    if not may_apply(by, pending):
        raise PermissionDenied("Applying this update needs the publish permission.")
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(f"Applied the agency's {pending.wire_version}.")
        article = Article.objects.select_for_update().get(pk=pending.article_id)
        if story_version is not None and article.version != story_version:
            raise ValidationError("The story was saved while you were reviewing this update; look at it again.")
        if pending.kind == PendingUpdate.Kind.WITHDRAWAL:
            return _apply_withdrawal(pending, article, by)
        changed = _apply_fields(pending, article, choices, by)
        if changed and article.status == Status.PUBLISHED:
            append_note(
                article, kind=ArticleNote.Kind.UPDATE, by=by,
                text=f"This story has been updated with a new version from {_agency_name(article)}.",
            )
        _resolve(pending, PendingUpdate.State.APPLIED if changed else PendingUpdate.State.DISMISSED, by, choices)
        if changed:
            update_applied.send(sender=PendingUpdate, pending=pending, by=by, fields=changed)
    return changed


def _apply_fields(pending, article, choices, by):
    _, now, _, merge = _merge_for(pending, article)
    values = {}
    for name, choice in choices.items():
        if name not in now or choice == OURS:
            continue
        if choice == MERGED and merge.fields[name].outcome == merging.MERGED:
            values[name] = merge.fields[name].value
        elif choice == AGENCY:
            values[name] = now[name]
    if "embargo_until" in values and not permissions.can_publish(by):
        raise PermissionDenied("Changing the embargo needs the publish permission.")
    if not values:
        return []
    story_fields = [name for name in STORY_FIELDS if name in values]
    # One locked write, even when only the byline or tags change: the version moves on, so a form
    # opened before this merges them in instead of saving its old byline and tags back.
    with locked_story(article, story_fields, by=by) as story:
        for name in story_fields:
            setattr(story, name, values[name])
        if story_fields and story.status == Status.PUBLISHED:
            # The publishing rules: an embargo may not hold a live story back.
            check_publishable(story, by=by, at=story.published_at)
        if "byline" in values:
            _set_byline(story, values["byline"])
        if "tags" in values:
            story.tags.set(list(values["tags"]))
    return list(values)


def _apply_withdrawal(pending, article, by):
    was_live = article.status == Status.PUBLISHED
    if article.status != Status.KILLED:
        set_status(article, Status.KILLED, by=by)
    if was_live:  # readers who saw it are told why it went
        append_note(article, kind=ArticleNote.Kind.UPDATE, by=by,
                    text=f"This story was withdrawn by {_agency_name(article)}.")
    _resolve(pending, PendingUpdate.State.APPLIED, by, {"withdrawal": "applied"})
    update_applied.send(sender=PendingUpdate, pending=pending, by=by, fields=["status"])
    return ["status"]


def dismiss(pending, *, by):
    if not permissions.can_edit_content(by, pending.article):
        raise PermissionDenied
    _resolve(pending, PendingUpdate.State.DISMISSED, by, {})


def _resolve(pending, state, by, choices):
    pending.state, pending.resolved_by, pending.resolved_at = state, by, timezone.now()
    pending.resolution = ", ".join(f"{agency.label(name)}: {choice}" for name, choice in choices.items())
    pending.save(update_fields=["state", "resolved_by", "resolved_at", "resolution"])


def _set_byline(article, names):
    authors = []
    for name in names:
        author = Author.objects.filter(name__iexact=name).order_by("pk").first()
        if author is None:
            author = Author.objects.create(name=name, slug=unique_slug(Author, name, max_length=150))
        if author not in authors:
            authors.append(author)
    ArticleAuthor.objects.filter(article=article).delete()
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=article, author=author, position=i) for i, author in enumerate(authors)
    )


def _agency_name(article):
    return article.source.name if article.source_id else "the agency"
