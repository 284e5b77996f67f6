"""The three-way merge engine (articles/merging.py): pure functions, no database."""

import pytest

from articles import merging
from articles.merging import BLOCKS, CONFLICT, MERGED, MINE, SAME, SEQUENCE, SET, THEIRS, UNCHANGED

BASE = "<p>First paragraph.</p>\n<p>Second paragraph.</p>\n<p>Third paragraph.</p>"


@pytest.mark.parametrize(
    "base, theirs, mine, outcome, value",
    [
        ("a", "a", "a", UNCHANGED, "a"),
        ("a", "b", "a", THEIRS, "b"),
        ("a", "a", "c", MINE, "c"),
        ("a", "b", "b", SAME, "b"),
        ("a", "b", "c", CONFLICT, "c"),
    ],
)
def test_value_fields_take_the_side_that_changed(base, theirs, mine, outcome, value):
    assert merging.merge_value(base, theirs, mine) == (outcome, value)


def test_tags_combine_both_sides_additions_and_removals():
    outcome, tags = merging.merge_set(("economy", "seoul"), ("economy", "trade"), ("seoul", "exports"))
    assert outcome == MERGED
    assert tags == ("exports", "trade")


def test_byline_merges_an_addition_and_a_removal_at_different_ends():
    outcome, byline, conflicts = merging.merge_sequence([1, 2, 3], [1, 2, 3, 4], [2, 3])
    assert (outcome, byline, conflicts) == (MERGED, (2, 3, 4), 0)


def test_byline_replaced_differently_on_both_sides_keeps_both_new_authors():
    assert merging.merge_sequence([1, 2], [1, 5], [1, 6]) == (MERGED, (1, 5, 6), 0)


def test_a_list_with_repeats_that_both_changed_at_one_place_is_a_conflict():
    outcome, merged, conflicts = merging.merge_sequence(["a", "a"], ["a", "b"], ["a", "c"], distinct=False)
    assert (outcome, merged, conflicts) == (CONFLICT, ("a", "c"), 1)


def test_split_blocks_finds_top_level_elements():
    html = '<p>a <b>bold</b></p>\n<h2>Title</h2><ul><li>1</li><li><p>2</p></li></ul>loose<br><p>z</p>'
    assert merging.split_blocks(html) == [
        "<p>a <b>bold</b></p>",
        "<h2>Title</h2>",
        "<ul><li>1</li><li><p>2</p></li></ul>",
        "loose",
        "<br>",
        "<p>z</p>",
    ]
    assert merging.split_blocks("") == []


def test_body_edits_to_different_paragraphs_merge_even_when_neighbours():
    theirs = BASE.replace("First", "The first")
    mine = BASE.replace("Second", "The second")
    outcome, body, conflicts = merging.merge_blocks(BASE, theirs, mine)
    assert outcome == MERGED and conflicts == 0
    assert merging.split_blocks(body) == [
        "<p>The first paragraph.</p>", "<p>The second paragraph.</p>", "<p>Third paragraph.</p>"
    ]


def test_body_paragraph_added_by_each_side_at_different_places_merges():
    theirs = "<p>Lead.</p>\n" + BASE
    mine = BASE + "\n<p>Closing.</p>"
    outcome, body, _ = merging.merge_blocks(BASE, theirs, mine)
    assert outcome == MERGED
    assert merging.split_blocks(body)[0] == "<p>Lead.</p>"
    assert merging.split_blocks(body)[-1] == "<p>Closing.</p>"


def test_body_same_paragraph_changed_differently_is_a_conflict_and_proposes_the_rest_merged():
    theirs = BASE.replace("Second", "Their second").replace("Third", "Their third")
    mine = BASE.replace("Second", "My second")
    outcome, body, conflicts = merging.merge_blocks(BASE, theirs, mine)
    assert outcome == CONFLICT and conflicts == 1
    assert merging.split_blocks(body) == [
        "<p>First paragraph.</p>", "<p>My second paragraph.</p>", "<p>Their third paragraph.</p>"
    ]


def test_body_formatting_between_blocks_is_not_a_change():
    outcome, body, _ = merging.merge_blocks(BASE, BASE.replace("\n", ""), BASE)
    assert outcome in (UNCHANGED, SAME, THEIRS)


def test_merge_states_field_by_field():
    kinds = {"body": BLOCKS, "tags": SET, "byline": SEQUENCE}
    base = {"headline": "Old", "dek": "Dek", "body": BASE, "tags": ("a",), "byline": (1,)}
    theirs = {**base, "dek": "Their dek", "tags": ("a", "b"), "body": BASE.replace("First", "1st")}
    mine = {**base, "headline": "New", "tags": (), "body": BASE.replace("Third", "3rd")}
    merged = merging.merge_states(base, theirs, mine, kinds)
    assert not merged.has_conflicts
    values = merged.values()
    assert values["headline"] == "New" and values["dek"] == "Their dek"
    assert values["tags"] == ("b",)
    assert "1st" in values["body"] and "3rd" in values["body"]
    assert merged.names(THEIRS) == ["dek"] and merged.names(MINE) == ["headline"]


def test_merge_states_without_a_base_refuses_to_guess():
    merged = merging.merge_states(None, {"headline": "A", "dek": "same"}, {"headline": "B", "dek": "same"})
    assert [c.name for c in merged.conflicts] == ["headline"]
    assert merged.fields["dek"].outcome == UNCHANGED


def test_fields_not_submitted_keep_theirs():
    merged = merging.merge_states({"headline": "A"}, {"headline": "B", "status": "published"}, {"headline": "A"})
    assert merged.values() == {"headline": "B", "status": "published"}


def test_block_conflicts_and_their_side_of_them():
    theirs = BASE.replace("Second", "Their second").replace("Third", "Their third")
    mine = BASE.replace("Second", "My second").replace("First", "My first")
    assert merging.block_conflicts(BASE, theirs, mine) == [
        (["<p>Their second paragraph.</p>"], ["<p>My second paragraph.</p>"])
    ]
    assert merging.split_blocks(merging.prefer_theirs(BASE, theirs, mine)) == [
        "<p>My first paragraph.</p>", "<p>Their second paragraph.</p>", "<p>Their third paragraph.</p>"
    ]


def test_unknown_base_values_conflict_only_where_the_sides_differ():
    merged = merging.merge_states({"dek": "x"}, {"headline": "A", "dek": "y"}, {"headline": "A", "dek": "x"})
    assert merged.fields["headline"].outcome == UNCHANGED
    assert merged.fields["dek"].outcome == THEIRS


def test_byline_replacement_and_addition_both_survive():
    assert merging.merge_sequence([1], [2], [1, 3]) == (MERGED, (2, 3), 0)
    # Both reorder the same authors differently: a person decides.
    assert merging.merge_sequence([1, 2, 3], [3, 2, 1], [2, 1, 3])[0] == CONFLICT
