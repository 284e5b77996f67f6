"""A story's revision history (django-reversion): readable diffs between revisions, restore, and the
baseline revision a later save merges against.

Article, its byline, captions and notes are registered with reversion in models.py; every admin
save and every ingest update made inside ``reversion.create_revision()`` records a revision.
"""

import difflib
import html
import re
from dataclasses import dataclass

import nh3
import reversion
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from reversion.models import Version

from audit import log as audit

from .editing import locked_story, related_rows, related_versions
from .models import Article, ArticleAuthor, Caption

# Story fields a restore brings back. Status, publish time, slug and embargo are left alone:
# rolling back the text must never publish, unpublish or move a story.
RESTORED_FIELDS = ["headline", "dek", "body", "dateline", "section_id", "source_id", "seo_title", "seo_description"]
BLOCK_END = re.compile(r"(</(p|h[1-6]|li|blockquote|figcaption|pre)>|<br\s*/?>)", re.IGNORECASE)


def body_text(body):
    """The story body as plain paragraphs, one per line, for comparing."""
    marked = BLOCK_END.sub("\n", body or "")
    text = html.unescape(nh3.clean(marked, tags=set()))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def caption_line(caption_fields):
    role = "Lead photo" if caption_fields.get("role") == Caption.Role.LEAD else "Photo"
    credit = f" ({caption_fields['credit']})" if caption_fields.get("credit") else ""
    return f"{role} {caption_fields.get('photo_id')}: {caption_fields.get('caption', '')}{credit}"


@dataclass
class Snapshot:
    """The parts of a story people compare: headline, standfirst, body text and captions."""

    headline: str
    dek: str
    body: str
    captions: str
    version: int | None = None

    LABELS = {"headline": "Headline", "dek": "Standfirst", "body": "Body", "captions": "Captions"}


def _captions_text(rows):
    rows = sorted(rows, key=lambda c: (c.get("role") != Caption.Role.LEAD, c.get("position", 0), c.get("id") or 0))
    return "\n".join(caption_line(row) for row in rows)


def snapshot_of_article(article):
    captions = [
        {
            "id": c.pk,
            "photo_id": c.photo_id,
            "caption": c.caption,
            "credit": c.credit,
            "role": c.role,
            "position": c.position,
        }
        for c in article.captions.all()
    ]
    return Snapshot(article.headline, article.dek, body_text(article.body), _captions_text(captions), article.version)


def snapshot_of_version(version):
    fields = version.field_dict
    captions = related_rows(version.revision, Caption, version.object_id)
    return Snapshot(
        fields.get("headline", ""),
        fields.get("dek", ""),
        body_text(fields.get("body", "")),
        _captions_text(captions),
        fields.get("version"),
    )


def diff_html(old, new):
    """Word-level diff of two texts as HTML with <del> and <ins>; paragraphs become line breaks."""
    tokenize = re.compile(r"\n|[^\S\n]+|[^\s]+").findall
    a, b = tokenize(old or ""), tokenize(new or "")
    raw = [
        ("".join(a[i1:i2]), "".join(b[j1:j2]), op != "equal")
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    ]
    # Join changes separated only by a space, so several replaced words read as one edit.
    segments = []
    for index, (removed, added, is_change) in enumerate(raw):
        follows_change = segments and segments[-1][2]
        is_gap = not is_change and not removed.strip() and index + 1 < len(raw) and raw[index + 1][2]
        if follows_change and (is_change or is_gap):
            segments[-1][0] += removed
            segments[-1][1] += added
        else:
            segments.append([removed, added, is_change])
    rendered = []
    for removed, added, is_change in segments:
        if not is_change:
            rendered.append(_lines_html(removed))
            continue
        if removed:
            rendered.append(format_html("<del>{}</del>", _lines_html(removed)))
        if added:
            rendered.append(format_html("<ins>{}</ins>", _lines_html(added)))
    return format_html_join("", "{}", ((piece,) for piece in rendered))


def _lines_html(text):
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in text.split("\n")))


@dataclass
class FieldDiff:
    label: str
    html: str


def compare(old, new):
    """The fields that differ between two snapshots, each with a readable diff."""
    return [
        FieldDiff(label, diff_html(getattr(old, name), getattr(new, name)))
        for name, label in Snapshot.LABELS.items()
        if getattr(old, name) != getattr(new, name)
    ]


def versions_of(article):
    """The story's revisions, newest first, with who made them."""
    return (
        Version.objects.get_for_object(article)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def version_with_number(article, number):
    """The revision that saved edit `number` of the story (the optimistic-locking version), if any."""
    for version in versions_of(article):
        if version.field_dict.get("version") == number:
            return version
    return None


def _revert_related(version, model):
    """Make the story's rows of `model` (byline, captions) exactly those stored in the revision.

    Only this story's rows: a revision made by a list action also holds other stories' captions
    and bylines, and restoring one story must not touch them.
    """
    model.objects.filter(article_id=version.object_id).delete()
    for related in related_versions(version.revision, model, version.object_id):
        related.revert()


def restore_version(article, version, *, by=None):
    """Bring back the text, byline and captions of `version` as a new revision; returns the article.

    A locked write of the restored fields only (editing.locked_story): status, publish time,
    embargo and address stay as stored."""
    if str(version.object_id) != str(article.pk):
        raise ValueError("That revision belongs to another story.")
    fields = version.field_dict
    when = timezone.localtime(version.revision.date_created)
    author = version.revision.user or "the wire"
    owned = [name for name in RESTORED_FIELDS if name in fields]
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(f"Restored the revision of {when:%Y-%m-%d %H:%M} by {author}.")
        with locked_story(article, owned, by=by) as story:
            for name in owned:
                setattr(story, name, fields[name])
            _revert_related(version, ArticleAuthor)
            _revert_related(version, Caption)
        audit.record(
            audit.Action.RESTORE, target=article, by=by,
            summary=f"Restored the revision of {when:%Y-%m-%d %H:%M} by {author}",
        )
    return Article.objects.get(pk=article.pk)


def baseline_revision(article):
    """Make sure the version a form is opened at has a revision: a story made outside the admin
    (wire, scripts) gets its first one here. A later save merges against it (admin/story_merge),
    and history shows what each save changed. Returns True if one was recorded."""
    latest = versions_of(article).first()
    if latest is not None and latest.field_dict.get("version") == article.version:
        return False
    with reversion.create_revision():
        reversion.add_to_revision(article)
        reversion.set_comment(
            "As the story stood when opened." if latest else "As the story stood before its first recorded edit."
        )
    return True
