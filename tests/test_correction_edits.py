"""Editors fix and delete saved corrections (publishing.edit_note / delete_note): readers see the new
wording at once, marked as edited; the audit log keeps who changed what; reporters cannot."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from articles.models import ArticleNote
from articles.publishing import append_note, delete_note, edit_note, story_changed
from audit.models import AuditEntry
from tests.factories import ArticleFactory
from tests.workflow_helpers import count_queries, desk_user, form_errors, open_change_form, save_change_form

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def corrected():
    story = ArticleFactory(published_at=PUBLISHED)
    note = append_note(story, kind="correction", text="The bridge is 2 km long.", by=desk_user("Editor", "first"))
    return story, note


def test_an_editor_fixes_a_correction_and_readers_see_it_at_once(client, corrected):
    story, note = corrected
    reader = Client()
    reader.get(story.get_absolute_url())
    assert reader.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    editor = desk_user("Editor")
    client.force_login(editor)
    data = open_change_form(client, story)
    assert data["notes-0-text"] == "The bridge is 2 km long."

    response = save_change_form(client, story, data, **{"notes-0-text": "The bridge is 2.4 km long."})

    assert response.status_code == 302, form_errors(response)
    note.refresh_from_db()
    assert note.text == "The bridge is 2.4 km long." and note.edited_at is not None
    html = reader.get(story.get_absolute_url()).content.decode()
    assert "The bridge is 2.4 km long." in html and "2 km long" not in html
    assert '<span class="note__edited">(edited' in html
    entry = AuditEntry.objects.get(action=AuditEntry.Action.NOTE)
    assert entry.actor == editor and entry.object_id == str(story.pk)
    assert "“The bridge is 2 km long.”" in entry.summary and "“The bridge is 2.4 km long.”" in entry.summary


def test_an_editor_deletes_a_correction_and_it_leaves_the_page(client, corrected):
    story, note = corrected
    reader = Client()
    reader.get(story.get_absolute_url())
    client.force_login(desk_user("Editor"))
    data = open_change_form(client, story)

    response = save_change_form(client, story, data, **{"notes-0-DELETE": "on"})

    assert response.status_code == 302, form_errors(response)
    assert not ArticleNote.objects.exists()
    assert "2 km long" not in reader.get(story.get_absolute_url()).content.decode()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.NOTE)
    assert entry.summary.startswith("Deleted the note of") and "The bridge is 2 km long." in entry.summary


def test_saving_the_form_without_touching_the_note_records_nothing(client, corrected):
    story, note = corrected
    client.force_login(desk_user("Editor"))

    save_change_form(client, story, open_change_form(client, story), headline="A new headline")

    note.refresh_from_db()
    assert note.edited_at is None and not AuditEntry.objects.filter(action=AuditEntry.Action.NOTE).exists()


def test_an_emptied_note_is_refused_with_a_clear_message(corrected):
    story, note = corrected
    with pytest.raises(ValidationError, match="delete the note instead"):
        edit_note(note, kind="correction", text="  ", by=desk_user("Editor"))
    note.refresh_from_db()
    assert note.text == "The bridge is 2 km long."


def test_reporters_cannot_edit_or_delete_notes(corrected):
    story, note = corrected
    reporter = desk_user("Reporter")
    with pytest.raises(ValidationError, match="cannot edit"):
        edit_note(note, kind="correction", text="Rewritten.", by=reporter)
    with pytest.raises(ValidationError, match="cannot delete"):
        delete_note(note, by=reporter)
    note.refresh_from_db()
    assert note.text == "The bridge is 2 km long."


def test_a_reporter_cannot_delete_a_note_through_the_form(client):
    reporter = desk_user("Reporter")
    story = ArticleFactory(draft=True, created_by=reporter)
    append_note(story, kind="correction", text="Keep me.")
    client.force_login(reporter)
    data = open_change_form(client, story)

    save_change_form(client, story, data, **{"notes-0-DELETE": "on", "notes-0-id": str(story.notes.get().pk)})

    assert story.notes.get().text == "Keep me."


def test_an_edit_tells_the_api_webhooks(corrected):
    story, note = corrected
    events = []

    def listen(sender, article, event, **kwargs):
        events.append((article.pk, event))

    story_changed.connect(listen)
    try:
        edit_note(note, kind="correction", text="The bridge is 2.4 km long.", by=desk_user("Editor"))
    finally:
        story_changed.disconnect(listen)
    assert events == [(story.pk, "corrected")]


def test_the_page_with_an_edited_note_keeps_its_query_count(client, corrected):
    story, note = corrected
    before = count_queries(client, story.get_absolute_url())
    edit_note(note, kind="clarification", text="Clarified.", by=desk_user("Editor"))
    assert count_queries(client, story.get_absolute_url()) == before


def test_a_browsers_line_endings_are_not_an_edit(corrected):
    story, note = corrected
    note.text = "Line one.\nLine two."
    note.save()

    edit_note(note, kind="correction", text="Line one.\r\nLine two.\r\n", by=desk_user("Editor"))

    note.refresh_from_db()
    assert note.edited_at is None and not AuditEntry.objects.filter(action=AuditEntry.Action.NOTE).exists()


def test_an_older_form_keeps_a_note_someone_edited_since(client, corrected):
    story, note = corrected
    client.force_login(desk_user("Editor"))
    data = open_change_form(client, story)
    edit_note(note, kind="correction", text="Fixed by a colleague.", by=desk_user("Editor", "colleague"))

    response = save_change_form(client, story, data, headline="Saved from the older form")

    assert response.status_code == 302, form_errors(response)
    note.refresh_from_db()
    story.refresh_from_db()
    assert story.headline == "Saved from the older form"
    assert note.text == "Fixed by a colleague."  # the older form's wording does not put the old text back
