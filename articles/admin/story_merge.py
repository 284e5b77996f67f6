"""Merging a story form that was opened before someone else saved (the admin's side of
articles.editing): read what the editor submitted as a story state, merge it three ways, and hand
the admin form and its inlines the merged values.

The form carries ``base_version`` (the version it was opened at) and ``base_tags``. When the stored
version has moved on, base = the revision of ``base_version``, theirs = the stored story and mine =
the submission. Fields only they changed keep their value, fields only I changed take mine, the
body merges by paragraph; where both changed a field differently the form is shown again with both
versions side by side and a choice per field (``merge_choice_<field>``), and nothing is written
until every conflict has a choice. The choices hold only for the stored version they were made
against (``merge_conflict_version``).
"""

import json
from dataclasses import dataclass, field

from django.utils import timezone

from .. import editing, merging, revisions
from ..models import Article, ArticleAuthor, ArticleNote, Author, Caption, Photo, Section, Source

LABELS = {
    "headline": "Headline",
    "slug": "Slug",
    "dek": "Standfirst",
    "body": "Body",
    "section_id": "Section",
    "source_id": "Source",
    "dateline": "Dateline",
    "status": "Status",
    "published_at": "Publish time",
    "embargo_until": "Embargo",
    "updated_at": "Updated time",
    "seo_title": "SEO title",
    "seo_description": "Search description",
    "exclude_from_top_stories": "Kept out of the Top 10",
    "tags": "Tags",
    "byline": "Byline",
    "lead_photo": "Lead photo",
}
# Plain text inputs: after a conflict the form is shown again with the merged text in them.
TEXT_INPUTS = ["headline", "slug", "dek", "body", "dateline", "seo_title", "seo_description"]
CHOICE_PREFIX = "merge_choice_"
RELATED_PREFIXES = {"authorships": ArticleAuthor, "captions": Caption}


def label(key):
    if key.startswith(editing.CAPTION_PREFIX):
        return f"Caption of photo {key[len(editing.CAPTION_PREFIX):]}"
    if key in LABELS:
        return LABELS[key]
    try:
        return str(Article._meta.get_field(key.removesuffix("_id")).verbose_name).capitalize()
    except Exception:
        return key


@dataclass
class Submission:
    """One POST of the story form, against the stored row it is saved over (locked by the admin)."""

    article: Article
    data: object
    base_version: int | None
    stale: bool
    base: dict | None = None
    theirs: dict = field(default_factory=dict)
    mine_related: dict = field(default_factory=dict)
    choices: dict = field(default_factory=dict)
    choices_expired: bool = False
    merge: merging.StoryMerge | None = None
    who: object = None
    when: object = None
    opened_at: object = None  # when the version the form was opened at was saved (None: unknown)

    @classmethod
    def read(cls, request, article):
        data = request.POST
        try:
            base_version = int(data.get("base_version") or "")
        except ValueError:
            base_version = None
        submission = cls(article, data, base_version, stale=base_version != article.version)
        if submission.stale:
            submission._load()
        return submission

    def _load(self):
        version = revisions.version_with_number(self.article, self.base_version) if self.base_version else None
        base_tags = _json_list(self.data.get("base_tags"))
        # A missing revision or missing tags leave the base unknown there: a difference is then a
        # conflict to choose, never a guess (merging.UNKNOWN).
        self.base = (editing.state_of_revision(version, tags=base_tags) if version is not None else None) or {}
        self.theirs = editing.state_of_article(self.article)
        self.opened_at = version.revision.date_created if version is not None else None
        latest = revisions.versions_of(self.article).first()
        self.who = (latest and latest.revision.user) or "Someone"
        self.when = timezone.localtime(latest.revision.date_created if latest else self.article.modified_at)
        byline, captions = _submitted_byline(self.data), _submitted_captions(self.data)
        if byline is not None:
            self.mine_related["byline"] = byline
        if captions is not None:
            self.mine_related.update(captions)
        self._read_choices()

    def _read_choices(self):
        posted = {key[len(CHOICE_PREFIX):]: value for key, value in self.data.items() if key.startswith(CHOICE_PREFIX)}
        if not posted:
            return
        if self.data.get("merge_conflict_version") != str(self.article.version):
            self.choices_expired = True  # someone saved again while this editor was choosing
            return
        self.choices = {key: value for key, value in posted.items() if value in ("mine", "theirs")}

    def merge_with(self, mine_fields):
        """Merge the story fields the form cleaned (`mine_fields`) and the submitted inlines."""
        self.merge = self._merge({**mine_fields, **self.mine_related})
        return self.merge

    def _merge(self, mine):
        base, theirs, mine = dict(self.base), dict(self.theirs), dict(mine)
        # A caption missing on one side is a caption that side does not have (None), once the
        # captions were part of the submission and the revision is known.
        captions = {key for key in [*base, *theirs, *mine] if key.startswith(editing.CAPTION_PREFIX)}
        for key in captions:
            theirs.setdefault(key, None)
            if "lead_photo" in mine:
                mine.setdefault(key, None)
            if self.base:
                base.setdefault(key, None)
        for key, choice in self.choices.items():
            if key not in theirs or key not in mine:
                continue
            if choice == "theirs" and key == "body" and base.get("body") is not None:
                # Their version of the paragraphs both changed; my other paragraphs stay.
                mine[key] = merging.prefer_theirs(base["body"], theirs["body"], mine["body"])
            elif choice == "theirs":
                mine[key] = theirs[key]
            else:
                base[key] = theirs[key]  # "keep mine": only my side counts as a change
        return editing.merge_story(base, theirs, mine)

    # -- what the editor is told ------------------------------------------------------------
    def summary(self):
        merge = self.merge
        theirs = [label(k) for k in merge.names(merging.THEIRS)]
        combined = [label(k) for k in merge.names(merging.MERGED)]
        parts = [f"{self.who} saved this story at {self.when:%H:%M:%S} while you were editing it."]
        if theirs:
            parts.append(f"Kept their changes to: {', '.join(theirs)}.")
        if combined:
            parts.append(f"Combined both changes to: {', '.join(combined)}.")
        mine = [label(k) for k in merge.names(merging.MINE, merging.SAME)]
        if mine:
            parts.append(f"Saved your changes to: {', '.join(mine)}.")
        return " ".join(parts)

    def conflicts(self):
        """Each conflict with both versions readable, for the side-by-side choice."""
        rows = []
        for merged in self.merge.conflicts:
            theirs_text, mine_text = display(merged.name, merged.theirs), display(merged.name, merged.mine)
            if merged.name == "body" and merged.base is not merging.UNKNOWN:
                # Only the paragraphs both changed: the rest has merged.
                hunks = merging.block_conflicts(merged.base, merged.theirs, merged.mine)
                theirs_text = "\n".join(display("body", merging.join_blocks(t)) for t, _ in hunks)
                mine_text = "\n".join(display("body", merging.join_blocks(m)) for _, m in hunks)
            rows.append(
                {
                    "key": merged.name,
                    "label": label(merged.name),
                    "theirs": theirs_text,
                    "mine": mine_text,
                    "diff": revisions.diff_html(theirs_text, mine_text),
                    "blocks": merged.conflicting_blocks,
                    "choice": self.data.get(CHOICE_PREFIX + merged.name, ""),
                }
            )
        return rows

    # -- the inlines --------------------------------------------------------------------------
    def formset_data(self, prefix, data):
        """POST data for inline `prefix`, rewritten so it describes the merged rows against the
        rows stored now (the submitted ids may be of rows someone else has since removed)."""
        if not self.stale:
            return data
        # The formsets are built before the story form is cleaned; the inlines merge on their own.
        values = self._merge(self.mine_related).values()
        data = data.copy()
        if prefix == "authorships" and "byline" in self.mine_related:
            _rewrite(data, prefix, _byline_forms(self.article, values["byline"]))
        elif prefix == "captions" and "lead_photo" in self.mine_related:
            _rewrite(data, prefix, _caption_forms(self.article, values, _submitted_alt_texts(data)))
        elif prefix == "notes":
            _rewrite_notes(data, prefix, self.article, self.opened_at)
        return data


def _json_list(value):
    try:
        parsed = json.loads(value) if value else None
    except ValueError:
        return None
    return [str(item) for item in parsed] if isinstance(parsed, list) else None


def _rows(data, prefix, names):
    """The rows of an inline as posted, without the deleted ones; None if the inline was not editable."""
    if f"{prefix}-TOTAL_FORMS" not in data:
        return None
    try:
        total = int(data[f"{prefix}-TOTAL_FORMS"])
    except ValueError:
        return None
    rows = []
    for index in range(min(total, 1000)):
        keys = {name: f"{prefix}-{index}-{name}" for name in names}
        if any(key not in data for key in keys.values()):
            if data.get(f"{prefix}-{index}-id"):
                return None  # a read-only row: this editor cannot change the inline
            continue
        if data.get(f"{prefix}-{index}-DELETE"):
            continue
        rows.append({name: data.get(key, "") for name, key in keys.items()} | {"index": index})
    return rows


def _int(value, default=0):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _submitted_byline(data):
    rows = _rows(data, "authorships", ["author", "position"])
    if rows is None:
        return None
    rows = [row for row in rows if _int(row["author"], None) is not None]
    rows.sort(key=lambda row: (_int(row["position"]), row["index"]))
    return tuple(dict.fromkeys(_int(row["author"]) for row in rows))


def _submitted_captions(data):
    rows = _rows(data, "captions", ["photo", "role", "caption", "credit", "position"])
    if rows is None:
        return None
    captions = [
        {
            "photo_id": _int(row["photo"]),
            "role": row["role"],
            "caption": row["caption"].replace("\r\n", "\n"),
            "credit": row["credit"],
            "position": _int(row["position"]),
            "id": row["index"],
        }
        for row in rows
        if _int(row["photo"], None) is not None
    ]
    state = editing.related_state([], captions)
    state.pop("byline")
    return state


def _rewrite(data, prefix, forms):
    """Replace inline `prefix`'s rows in `data` by `forms` (a name "initial-x" is x's hidden initial)."""
    for key in [key for key in data if key.startswith((f"{prefix}-", f"initial-{prefix}-"))]:
        if not key.endswith(("MIN_NUM_FORMS", "MAX_NUM_FORMS")):
            del data[key]
    initial = sum(1 for form in forms if form.get("id"))
    data[f"{prefix}-TOTAL_FORMS"] = str(len(forms))
    data[f"{prefix}-INITIAL_FORMS"] = str(initial)
    for index, form in enumerate(forms):
        for name, value in form.items():
            if value is None:
                continue
            if name.startswith("initial-"):
                data[f"initial-{prefix}-{index}-{name.removeprefix('initial-')}"] = str(value)
            else:
                data[f"{prefix}-{index}-{name}"] = str(value)


def _byline_forms(article, byline):
    stored = list(ArticleAuthor.objects.filter(article=article).order_by("position", "pk"))
    forms, known = [], set()
    for row in stored:
        known.add(row.author_id)
        keep = row.author_id in byline
        position = byline.index(row.author_id) if keep else row.position
        forms.append({"id": row.pk, "article": article.pk, "author": row.author_id, "position": position,
                      "DELETE": None if keep else "on"})
    forms += [{"id": "", "article": article.pk, "author": author, "position": byline.index(author)}
              for author in byline if author not in known]
    # Stored rows first, as the formset expects its initial forms.
    return sorted(forms, key=lambda form: not form["id"])


def _submitted_alt_texts(data):
    """{photo id: {"alt_text": posted, "initial-alt_text": as loaded}} of the posted caption rows, so
    the rewritten rows carry each photo's alt text (story_photos.CaptionForm saves only a change)."""
    texts = {}
    for index in range(min(_int(data.get("captions-TOTAL_FORMS")), 1000)):
        photo, key = _int(data.get(f"captions-{index}-photo"), None), f"captions-{index}-alt_text"
        if photo is not None and key in data:
            texts[photo] = {"alt_text": data[key], "initial-alt_text": data.get(f"initial-{key}")}
    return texts


def _caption_forms(article, values, alt_texts=None):
    lead = values.get("lead_photo")
    wanted = {int(key[len(editing.CAPTION_PREFIX):]): value for key, value in values.items()
              if key.startswith(editing.CAPTION_PREFIX) and value is not None}
    stored = list(Caption.objects.filter(article=article).order_by("position", "pk"))
    forms = []
    for row in stored:
        caption = wanted.pop(row.photo_id, None)
        if caption is None:
            forms.append({"id": row.pk, "article": article.pk, "photo": row.photo_id, "role": row.role,
                          "caption": row.caption, "credit": row.credit, "position": row.position, "DELETE": "on"})
            continue
        forms.append(_caption_form(row.pk, article, row.photo_id, caption, lead))
    forms += [_caption_form("", article, photo_id, caption, lead) for photo_id, caption in wanted.items()]
    for form in forms:
        form.update((alt_texts or {}).get(form["photo"], {}))
    return forms


def _caption_form(pk, article, photo_id, caption, lead):
    text, credit, position = caption
    role = Caption.Role.LEAD if photo_id == lead else Caption.Role.INLINE
    return {"id": pk, "article": article.pk, "photo": photo_id, "role": role, "caption": text, "credit": credit,
            "position": position}


def _rewrite_notes(data, prefix, article, opened_at):
    """Keep the notes this editor is adding, and the stored notes this editor edited or deleted (an
    edit is a posted text that differs from the stored one: publishing.edit_note audits it). A note
    someone else edited after the form's version (`opened_at`) stays as they left it, and so does
    every other stored note."""
    posted = {}
    total = min(_int(data.get(f"{prefix}-TOTAL_FORMS")), 1000)
    for index in range(total):
        pk = data.get(f"{prefix}-{index}-id")
        if pk:
            posted[str(pk)] = index
    rows = _rows(data, prefix, ["kind", "text"]) or []
    initial = _int(data.get(f"{prefix}-INITIAL_FORMS"))
    new = [row for row in rows if row["index"] >= initial and row["text"].strip()]
    forms = []
    for note in ArticleNote.objects.filter(article=article):
        form = {"id": note.pk, "article": article.pk, "kind": note.kind, "text": note.text}
        index = posted.get(str(note.pk))
        edited_since = note.edited_at is not None and (opened_at is None or note.edited_at > opened_at)
        if index is not None and f"{prefix}-{index}-text" in data and not edited_since:
            if data.get(f"{prefix}-{index}-DELETE"):
                form["DELETE"] = "on"
            elif data[f"{prefix}-{index}-text"].replace("\r\n", "\n").strip() != note.text:
                form["kind"] = data.get(f"{prefix}-{index}-kind", note.kind)
                form["text"] = data[f"{prefix}-{index}-text"]
        forms.append(form)
    forms += [{"id": "", "article": article.pk, "kind": row["kind"], "text": row["text"]} for row in new]
    _rewrite(data, prefix, forms)


# -- readable values ----------------------------------------------------------------------------
def display(key, value):
    """A field's value as the editor reads it, for the side-by-side view."""
    if value is None:
        return "(none)" if not key.startswith(editing.CAPTION_PREFIX) else "(no such photo on the story)"
    if key == "body":
        return revisions.body_text(value)
    if key == "section_id":
        return str(Section.objects.filter(pk=value).first() or value)
    if key == "source_id":
        return str(Source.objects.filter(pk=value).first() or value)
    if key == "byline":
        names = dict(Author.objects.filter(pk__in=value).values_list("pk", "name"))
        return ", ".join(names.get(pk, str(pk)) for pk in value) or "(nobody)"
    if key == "lead_photo":
        return str(Photo.objects.filter(pk=value).first() or value)
    if key == "tags":
        return ", ".join(value) or "(no tags)"
    if key.startswith(editing.CAPTION_PREFIX):
        text, credit, _ = value
        return f"{text} ({credit})" if credit else text
    if hasattr(value, "strftime"):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
