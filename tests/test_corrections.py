"""Corrections, clarifications and updates: appended by editors, shown to readers with the time."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import ArticleNote
from articles.publishing import append_note
from tests.factories import ArticleFactory
from tests.workflow_helpers import count_queries, desk_user, form_errors, open_change_form, save_change_form

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_note_appears_on_the_public_page_with_the_updated_time(client):
    story = ArticleFactory(published_at=PUBLISHED)
    note = append_note(
        story,
        kind="correction",
        text="An earlier version misstated the vote <count>.",
        by=desk_user("Editor"),
        at=PUBLISHED + timedelta(hours=3),
    )
    story.refresh_from_db()
    assert story.updated_at == note.created_at
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Corrections and updates" in html
    assert "An earlier version misstated the vote &lt;count&gt;." in html
    updated = f'Updated <time datetime="{timezone.localtime(note.created_at).isoformat()}">'
    assert updated in html


def test_a_later_note_moves_the_updated_time_forward_but_never_back():
    story = ArticleFactory(published_at=PUBLISHED)
    append_note(story, kind="update", text="Adds the mayor's reaction.", at=PUBLISHED + timedelta(hours=5))
    append_note(story, kind="clarification", text="Clarifies the date.", at=PUBLISHED + timedelta(hours=2))
    story.refresh_from_db()
    assert story.updated_at == PUBLISHED + timedelta(hours=5)
    assert [n.kind for n in story.notes.all()] == ["clarification", "update"]


def test_a_note_added_while_a_form_is_open_merges_into_its_save(client):
    story = ArticleFactory()
    editor = desk_user("Editor")
    client.force_login(editor)
    data = open_change_form(client, story)
    note = append_note(story, kind="update", text="Adds figures.", by=editor)
    response = save_change_form(client, story, data, headline="Still saves")
    assert response.status_code == 302, form_errors(response)
    story.refresh_from_db()
    # The note's "Updated" time survives the older form's save.
    assert story.headline == "Still saves" and story.updated_at == note.created_at


def test_empty_note_or_reporter_note_is_refused_and_nothing_is_written():
    story = ArticleFactory()
    with pytest.raises(ValidationError, match="needs some text"):
        append_note(story, kind="correction", text="   ")
    with pytest.raises(ValidationError, match="cannot append"):
        append_note(story, kind="correction", text="Fix.", by=desk_user("Reporter"))
    story.refresh_from_db()
    assert not story.notes.exists() and story.updated_at is None


def test_editor_appends_a_correction_in_the_admin(client):
    story = ArticleFactory(published_at=PUBLISHED)
    editor = desk_user("Editor")
    client.force_login(editor)
    data = open_change_form(client, story)
    data.update(
        {
            "notes-TOTAL_FORMS": "1",
            "notes-0-kind": "correction",
            "notes-0-text": "The bridge is 2 km long.",
            "notes-0-article": str(story.pk),
            "notes-0-id": "",
        }
    )
    response = save_change_form(client, story, data)
    assert response.status_code == 302, form_errors(response)
    note = ArticleNote.objects.get(article=story)
    story.refresh_from_db()
    assert note.created_by == editor and story.updated_at == note.created_at
    assert "The bridge is 2 km long." in client.get(story.get_absolute_url()).content.decode()


def test_a_reporter_cannot_rewrite_a_note_in_the_admin(client):
    """Editors can fix a saved note (test_correction_edits.py); for reporters it stays read-only."""
    reporter = desk_user("Reporter")
    story = ArticleFactory(draft=True, created_by=reporter)
    note = append_note(story, kind="correction", text="Original wording.")
    client.force_login(reporter)
    data = open_change_form(client, story)
    assert "notes-0-text" not in data  # shown read-only
    data.update({"notes-0-text": "Quietly rewritten.", "notes-0-id": str(note.pk)})
    save_change_form(client, story, data)
    note.refresh_from_db()
    assert note.text == "Original wording."


@pytest.mark.parametrize("kind", ["draft", "scheduled", "killed"])
def test_notes_of_unpublished_stories_stay_hidden(client, kind):
    story = ArticleFactory(**{kind: True})
    append_note(story, kind="update", text="Not for readers yet.")
    assert client.get(story.get_absolute_url()).status_code == 404


def test_article_page_stays_within_budget_whatever_the_number_of_notes(client):
    plain = ArticleFactory()
    corrected = ArticleFactory()
    for i in range(4):
        append_note(corrected, kind="correction", text=f"Fix {i}.")
    without_notes = count_queries(client, plain.get_absolute_url())
    with_notes = count_queries(client, corrected.get_absolute_url())
    assert with_notes == without_notes <= 8
