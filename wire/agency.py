"""Agency updates as three-way merges: the agency's previous version (before), the story as the
desk has it (ours) and the agency's new version (now).

- a field the desk has not edited since the previous version takes the agency's new text;
- a field the desk edited and the agency did not keeps the desk's text;
- a field both changed merges where it can (the body by paragraph, tags and byline by entry) and
  is otherwise a conflict for an editor.

Pure apart from reading the story; the states are JSON-ready through to_json/from_json so a
version can keep its own (WireVersion.fields) as the next version's "before".
"""

from datetime import datetime

from articles import editing, merging
from articles.html import sanitize_html
from articles.models import ArticleAuthor

FIELDS = ["headline", "dek", "body", "dateline", "embargo_until", "byline", "tags"]
KINDS = {"body": merging.BLOCKS, "tags": merging.SET, "byline": merging.SEQUENCE}
LABELS = {
    "headline": "Headline",
    "dek": "Standfirst",
    "body": "Body",
    "dateline": "Dateline",
    "embargo_until": "Embargo",
    "byline": "Byline",
    "tags": "Tags",
}
# Outcomes that mean "the agency has something the story does not".
AGENCY_CHANGES = (merging.MINE, merging.MERGED, merging.CONFLICT)


def agency_state(item, *, body):
    """The story fields a wire item gives, as the ingest writes them (`body`: the item's body as
    the story gets it, without the agency's dateline lede)."""
    return {
        "headline": item.headline[:255],
        "dek": item.dek,
        "body": sanitize_html(body or ""),
        "dateline": item.dateline[:100],
        "embargo_until": editing.comparable(item.embargo_until),
        "byline": tuple(dict.fromkeys(name[:150] for name in item.byline if name)),
        "tags": tuple(sorted(dict.fromkeys(item.tags), key=str.lower)),
    }


def story_state(article):
    """The same fields as the desk has them now."""
    authors = ArticleAuthor.objects.filter(article=article).select_related("author").order_by("position", "pk")
    return {
        "headline": article.headline,
        "dek": article.dek,
        "body": article.body,
        "dateline": article.dateline,
        "embargo_until": editing.comparable(article.embargo_until),
        "byline": tuple(a.author.name for a in authors),
        "tags": editing.tag_names(article),
    }


def to_json(state):
    return {
        name: value.isoformat() if isinstance(value, datetime) else list(value) if isinstance(value, tuple) else value
        for name, value in state.items()
    }


def from_json(data):
    """A state stored by to_json, or None when nothing was stored (a version logged before)."""
    if not data:
        return None
    state = dict(data)
    if state.get("embargo_until"):
        state["embargo_until"] = datetime.fromisoformat(state["embargo_until"])
    for name in ("byline", "tags"):
        state[name] = tuple(state.get(name) or ())
    return state


def _folded(state):
    """Names compare without case ("KIM MIN-JI" is the author "Kim Min-ji"), as the ingest matches them."""
    if state is None:
        return None
    folded = dict(state)
    for name in ("byline", "tags"):
        if name in folded and folded[name] is not None:
            folded[name] = tuple(str(item).casefold() for item in folded[name])
    return folded


def merge_update(before, ours, now):
    """Merge the agency's new version into the story (ours = theirs, the agency = mine).

    Byline and tag names come back with the spelling of whichever side they came from.
    """
    merge = merging.merge_states(_folded(before), _folded(ours), _folded(now), KINDS)
    spelling = {}
    for state in (before or {}, now, ours):
        for name in ("byline", "tags"):
            spelling.update({str(item).casefold(): item for item in state.get(name) or ()})
    for name in ("byline", "tags"):
        merged = merge.fields.get(name)
        if merged is not None:
            merged.value = tuple(spelling.get(item, item) for item in merged.value)
    return merge


def label(name):
    return LABELS.get(name, name)
