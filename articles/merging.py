"""Three-way merges of a story: base (what the editor opened), theirs (what is stored now) and mine
(what the editor submits), field by field. Pure functions: no database, no request.

A story is compared as a *state*: a dict of field name -> a comparable value (text, ids, a sorted
tuple of tag names, a tuple of author ids, one entry per caption). Each field has a kind that says
how it merges:

- ``value``: the whole value; a field only one side changed takes that side's value.
- ``set`` (tags): additions and removals of both sides are combined; never a conflict.
- ``sequence`` (byline): merge3 over the items, so one side adding an author and the other
  reordering different ones both survive.
- ``blocks`` (body): merge3 over the body's top-level HTML blocks (paragraphs, headings, lists),
  so edits to different paragraphs merge; edits to the same paragraph are a conflict.

The merge algorithm itself is merge3's (the three-way merge of Bazaar and Breezy); this module only
says what a "line" is for each kind of field.
"""

import re
from dataclasses import dataclass, field

from merge3 import Merge3

UNCHANGED = "unchanged"  # nobody changed it
MINE = "mine"  # only the submission changed it
THEIRS = "theirs"  # only the stored story changed it
SAME = "same"  # both changed it the same way
MERGED = "merged"  # both changed it, and the changes combine
CONFLICT = "conflict"  # both changed it differently: a person has to choose

VALUE, SET, SEQUENCE, BLOCKS = "value", "set", "sequence", "blocks"


class _Unknown:
    def __repr__(self):
        return "UNKNOWN"


# A base value nobody recorded: the two sides are then only compared, and any difference is a conflict.
UNKNOWN = _Unknown()


@dataclass
class FieldMerge:
    """What happened to one field. For a conflict, `value` is the best proposal (see merge_blocks)."""

    name: str
    outcome: str
    value: object
    base: object = None
    theirs: object = None
    mine: object = None
    # For bodies: how many blocks conflicted (the rest merged).
    conflicting_blocks: int = 0

    @property
    def is_conflict(self):
        return self.outcome == CONFLICT


@dataclass
class StoryMerge:
    fields: dict = field(default_factory=dict)

    def values(self):
        """The merged state; a conflicting field holds its proposal."""
        return {name: merged.value for name, merged in self.fields.items()}

    def names(self, *outcomes):
        return [name for name, merged in self.fields.items() if merged.outcome in outcomes]

    @property
    def conflicts(self):
        return [merged for merged in self.fields.values() if merged.is_conflict]

    @property
    def has_conflicts(self):
        return any(merged.is_conflict for merged in self.fields.values())


def merge_value(base, theirs, mine):
    """(outcome, value) for a field merged as a whole."""
    if theirs == mine:
        return (UNCHANGED if mine == base else SAME), mine
    if mine == base:
        return THEIRS, theirs
    if theirs == base:
        return MINE, mine
    return CONFLICT, mine


def merge_set(base, theirs, mine):
    """(outcome, sorted tuple): both sides' additions and removals, applied to the base."""
    base, theirs, mine = set(base), set(theirs), set(mine)
    merged = (base | (theirs - base) | (mine - base)) - (base - theirs) - (base - mine)
    outcome, _ = merge_value(base, theirs, mine)
    if outcome == CONFLICT:
        outcome = MERGED
    return outcome, tuple(sorted(merged, key=lambda item: (str(item).lower(), str(item))))


def merge_sequence(base, theirs, mine, *, distinct=True):
    """(outcome, tuple, conflicting hunks) for an ordered list merged item by item with merge3.

    With `distinct` (a byline: each item once), overlapping edits fall back to _merge_ordered_set."""
    base, theirs, mine = list(base), list(theirs), list(mine)
    outcome, value = merge_value(base, theirs, mine)
    if outcome != CONFLICT:
        return outcome, tuple(value), 0
    merged, conflicts = [], 0
    for group in _merge_groups(base, mine, theirs):
        kind, lines = group[0], group[1:]
        if kind == "conflict":
            conflicts += 1
            merged.extend(lines[1])  # the proposal keeps mine where the two disagree
        else:
            merged.extend(lines[0])
    if conflicts and distinct and all(len(set(side)) == len(side) for side in (base, theirs, mine)):
        return _merge_ordered_set(base, theirs, mine)
    return (CONFLICT if conflicts else MERGED), tuple(merged), conflicts


def _merge_ordered_set(base, theirs, mine):
    """A list of distinct items (a byline) where merge3 saw overlapping edits: who is in it merges
    like a set, the order is theirs with my additions after; a conflict only if both reordered."""
    _, members = merge_set(base, theirs, mine)
    members = set(members)
    common = [item for item in base if item in members and item in theirs and item in mine]
    order_theirs = [item for item in theirs if item in common]
    order_mine = [item for item in mine if item in common]
    if order_theirs != order_mine and order_theirs != common and order_mine != common:
        return CONFLICT, tuple(mine), 1
    ordered = theirs if order_mine == common else mine
    first = [item for item in ordered if item in members]
    rest = [item for item in (*mine, *theirs) if item in members and item not in first]
    return MERGED, tuple(dict.fromkeys([*first, *rest])), 0


def _merge_groups(base, mine, theirs):
    """merge3's groups, with conflicting hunks of equal length settled item by item where they can be.

    merge3 reports neighbouring edits (mine changes paragraph 1, theirs paragraph 2) as one
    conflicting hunk; pairing the items of an equal-length hunk tells them apart again.
    """
    for group in Merge3(base, mine, theirs, is_cherrypick=False).merge_groups():
        if group[0] != "conflict" or not len(group[1]) == len(group[2]) == len(group[3]):
            yield group
            continue
        for base_item, mine_item, theirs_item in zip(group[1], group[2], group[3], strict=True):
            outcome, value = merge_value(base_item, theirs_item, mine_item)
            if outcome == CONFLICT:
                yield ("conflict", [base_item], [mine_item], [theirs_item])
            else:
                yield ("unchanged", [value])


# -- bodies -------------------------------------------------------------------------------------
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_VOID = {"br", "hr", "img", "wbr", "input", "source", "col", "area", "base", "embed", "link", "meta", "track"}


def split_blocks(html):
    """The top-level blocks of a sanitized body (<p>, <h2>, <ul>, <blockquote>...), each as a string.

    The body is nh3's normalized output, so a tag scan is enough to find where each top-level
    element closes; text outside any element is a block of its own.
    """
    html = html or ""
    blocks, depth, start = [], 0, 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if depth == 0 and match.start() > start and html[start : match.start()].strip():
            blocks.append(html[start : match.start()].strip())
            start = match.start()
        if name in _VOID or self_closing:
            if depth == 0:
                blocks.append(match.group(0))
                start = match.end()
            continue
        if closing:
            depth = max(depth - 1, 0)
            if depth == 0:
                blocks.append(html[start : match.end()].strip())
                start = match.end()
        else:
            if depth == 0:
                start = match.start()
            depth += 1
    if html[start:].strip():
        blocks.append(html[start:].strip())
    return blocks


def join_blocks(blocks):
    return "\n".join(blocks)


def merge_blocks(base, theirs, mine):
    """Merge two edits of a body paragraph by paragraph. Returns a FieldMerge-like tuple:
    (outcome, merged html, conflicting blocks). Where both changed the same paragraph, the proposal
    keeps mine; the editor is asked to choose."""
    base_blocks, theirs_blocks, mine_blocks = split_blocks(base), split_blocks(theirs), split_blocks(mine)
    if theirs_blocks == mine_blocks:
        return (UNCHANGED if mine_blocks == base_blocks else SAME), mine, 0
    if mine_blocks == base_blocks:
        return THEIRS, theirs, 0
    if theirs_blocks == base_blocks:
        return MINE, mine, 0
    outcome, merged, conflicts = merge_sequence(base_blocks, theirs_blocks, mine_blocks, distinct=False)
    return outcome, join_blocks(merged), conflicts


def block_conflicts(base, theirs, mine):
    """The paragraphs both sides changed differently: a list of (theirs blocks, mine blocks)."""
    hunks = _merge_groups(split_blocks(base), split_blocks(mine), split_blocks(theirs))
    return [(group[3], group[2]) for group in hunks if group[0] == "conflict"]


def prefer_theirs(base, theirs, mine):
    """The body merged with their version of each paragraph both sides changed."""
    return merge_blocks(base, mine, theirs)[1]


def merge_field(name, kind, base, theirs, mine):
    if base is UNKNOWN:
        outcome = (UNCHANGED if _equal(kind, theirs, mine) else CONFLICT)
        return FieldMerge(name, outcome, mine if outcome == CONFLICT else theirs, base, theirs, mine)
    if kind == SET:
        outcome, value = merge_set(base, theirs, mine)
        return FieldMerge(name, outcome, value, base, theirs, mine)
    if kind == SEQUENCE:
        outcome, value, conflicts = merge_sequence(base, theirs, mine)
        return FieldMerge(name, outcome, value, base, theirs, mine, conflicts)
    if kind == BLOCKS:
        outcome, value, conflicts = merge_blocks(base, theirs, mine)
        return FieldMerge(name, outcome, value, base, theirs, mine, conflicts)
    outcome, value = merge_value(base, theirs, mine)
    return FieldMerge(name, outcome, value, base, theirs, mine)


def merge_states(base, theirs, mine, kinds=None):
    """Merge two edits of a story state. A field missing from `base` (or `base` None) has an unknown
    starting point: where the two sides differ it is a conflict, so nothing is dropped on a guess.

    Fields missing from `mine` were not part of the submission and keep theirs.
    `kinds` maps field names to VALUE (the default), SET, SEQUENCE or BLOCKS.
    """
    kinds, base = kinds or {}, base or {}
    result = StoryMerge()
    for name in sorted(set(theirs) | set(mine)):
        theirs_value = theirs.get(name)
        if name not in mine:
            result.fields[name] = FieldMerge(name, UNCHANGED, theirs_value, theirs_value, theirs_value, theirs_value)
            continue
        kind = kinds.get(name, VALUE)
        result.fields[name] = merge_field(name, kind, base.get(name, UNKNOWN), theirs_value, mine[name])
    return result


def _equal(kind, left, right):
    if kind == BLOCKS:
        return split_blocks(left) == split_blocks(right)
    if kind == SET:
        return set(left or ()) == set(right or ())
    return left == right
