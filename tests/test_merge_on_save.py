"""Two editors saving one story: field-level three-way merge in the story admin (#10 part 1)."""

import pytest

from articles.models import Article, ArticleAuthor, Caption
from articles.publishing import append_note, publish_article
from tests.factories import ArticleAuthorFactory, ArticleFactory, AuthorFactory, CaptionFactory
from tests.workflow_helpers import desk_user, form_data, form_errors, open_change_form, save_change_form

pytestmark = pytest.mark.django_db

BODY = "<p>Ports shut on Monday.</p><p>Ferries stay in harbour.</p><p>Schools are open.</p>"


@pytest.fixture
def editors(client, editor):
    second = type(client)()
    second.force_login(desk_user("Editor", "second-editor"))
    client.force_login(editor)
    return client, second


def two_forms(editors, story):
    return open_change_form(editors[0], story), open_change_form(editors[1], story)


def test_disjoint_fields_merge_and_the_editor_is_told(editors):
    story = ArticleFactory(headline="Storm closes ports", body=BODY, tags=["weather"])
    first_form, second_form = two_forms(editors, story)
    saved = save_change_form(editors[0], story, first_form, dek="A new standfirst.",
                             body=BODY.replace("Monday", "Monday and Tuesday"))
    assert saved.status_code == 302, form_errors(saved)

    response = save_change_form(editors[1], story, second_form, headline="Storm shuts every port",
                                new_tags="ports", body=BODY.replace("open", "closed"))
    assert response.status_code == 302, form_errors(response)
    story.refresh_from_db()
    assert story.headline == "Storm shuts every port"
    assert story.dek == "A new standfirst."  # theirs, untouched by the second editor
    assert "Monday and Tuesday" in story.body and "Schools are closed" in story.body  # paragraphs merged
    assert sorted(story.tags.names()) == ["ports", "weather"]
    messages = [str(m) for m in editors[1].get("/admin/articles/article/").context["messages"]]
    assert any("Kept their changes to: Standfirst" in m and "Combined both changes to: Body" in m for m in messages)


def test_the_same_field_changed_twice_is_a_choice_and_nothing_is_written(editors):
    story = ArticleFactory(headline="Storm closes ports", body=BODY)
    first_form, second_form = two_forms(editors, story)
    save_change_form(editors[0], story, first_form, headline="Storm closes all ports", dek="Their standfirst.")
    version = Article.objects.get(pk=story.pk).version

    response = save_change_form(editors[1], story, second_form, headline="Port closures spread")
    assert response.status_code == 200
    html = response.content.decode()
    assert "you both changed: Headline" in html and "Nothing has been saved yet" in html
    assert 'name="merge_choice_headline"' in html
    assert "Storm closes all ports" in html and "Port closures spread" in html  # side by side
    assert Article.objects.get(pk=story.pk).version == version  # nothing written

    # Pressing Save again without choosing still writes nothing.
    again = form_data(html)
    assert save_change_form(editors[1], story, again).status_code == 200
    assert Article.objects.get(pk=story.pk).version == version
    # The re-shown form holds their standfirst, so saving cannot put the old one back.
    assert again["dek"] == "Their standfirst."

    again["merge_choice_headline"] = "mine"
    response = save_change_form(editors[1], story, again)
    assert response.status_code == 302, form_errors(response)
    story.refresh_from_db()
    assert story.headline == "Port closures spread" and story.dek == "Their standfirst."


def test_choosing_theirs_keeps_their_text(editors):
    story = ArticleFactory(headline="Storm closes ports")
    first_form, second_form = two_forms(editors, story)
    save_change_form(editors[0], story, first_form, headline="Their headline")
    shown = save_change_form(editors[1], story, second_form, headline="My headline")
    data = {**form_data(shown.content.decode()), "merge_choice_headline": "theirs"}
    assert save_change_form(editors[1], story, data).status_code == 302
    assert Article.objects.get(pk=story.pk).headline == "Their headline"


def test_a_body_conflict_shows_only_the_paragraph_both_changed_and_merges_the_rest(editors):
    story = ArticleFactory(body=BODY)
    first_form, second_form = two_forms(editors, story)
    save_change_form(editors[0], story, first_form, body=BODY.replace("Monday", "Sunday").replace("open", "shut"))
    shown = save_change_form(editors[1], story, second_form, body=BODY.replace("Monday", "Tuesday"))
    assert shown.status_code == 200
    conflict = shown.context["adminform"].form.conflict
    [row] = conflict["rows"]
    assert row["label"] == "Body"
    assert (row["theirs"], row["mine"]) == ("Ports shut on Sunday.", "Ports shut on Tuesday.")
    data = {**form_data(shown.content.decode()), "merge_choice_body": "theirs"}
    assert save_change_form(editors[1], story, data).status_code == 302
    story.refresh_from_db()
    assert "Sunday" in story.body and "Schools are shut" in story.body


def test_choices_made_against_an_older_save_do_not_count(editors, client):
    story = ArticleFactory(headline="Original")
    first_form, second_form = two_forms(editors, story)
    save_change_form(editors[0], story, first_form, headline="First")
    shown = form_data(save_change_form(editors[1], story, second_form, headline="Second").content.decode())
    # The first editor saves the headline again while the second is choosing.
    save_change_form(editors[0], story, open_change_form(editors[0], story), headline="First, revised")
    response = save_change_form(editors[1], story, {**shown, "merge_choice_headline": "mine"})
    assert response.status_code == 200
    assert "saved this story again" in response.content.decode()
    assert Article.objects.get(pk=story.pk).headline == "First, revised"


def test_byline_and_captions_merge_against_the_rows_stored_now(editors):
    story = ArticleFactory()
    kim, lee, park = AuthorFactory(name="Kim"), AuthorFactory(name="Lee"), AuthorFactory(name="Park")
    ArticleAuthorFactory(article=story, author=kim, position=0)
    lead = CaptionFactory(article=story, role="lead", caption="Old lead caption", position=0)
    first_form, second_form = two_forms(editors, story)

    # The first editor removes Kim, adds Lee and rewrites the caption.
    first_form.update({"authorships-0-DELETE": "on", "authorships-TOTAL_FORMS": "2",
                       "authorships-1-author": str(lee.pk), "authorships-1-position": "1",
                       "authorships-1-article": str(story.pk), "captions-0-caption": "Their caption"})
    assert save_change_form(editors[0], story, first_form).status_code == 302
    # The second editor, from the old form, adds Park and changes the headline.
    second_form.update({"authorships-TOTAL_FORMS": "2", "authorships-1-author": str(park.pk),
                        "authorships-1-position": "2", "authorships-1-article": str(story.pk),
                        "headline": "Second editor's headline"})
    response = save_change_form(editors[1], story, second_form)
    assert response.status_code == 302, form_errors(response)

    byline = ArticleAuthor.objects.filter(article=story).order_by("position").values_list("author__name", flat=True)
    assert list(byline) == ["Lee", "Park"]
    assert Caption.objects.get(pk=lead.pk).caption == "Their caption"
    assert Article.objects.get(pk=story.pk).headline == "Second editor's headline"


def test_a_status_change_and_a_note_meanwhile_are_kept(editors, editor):
    story = ArticleFactory(draft=True, headline="Draft headline")
    _, second_form = two_forms(editors, story)
    publish_article(story, by=editor)  # a list action publishes meanwhile
    append_note(story, kind="update", text="Adds the mayor's comment.", by=editor)
    response = save_change_form(editors[1], story, second_form, headline="Late edit")
    assert response.status_code == 302, form_errors(response)
    story.refresh_from_db()
    assert story.headline == "Late edit" and story.status == "published"
    assert story.notes.count() == 1


def test_a_save_with_no_revision_of_its_base_asks_rather_than_guesses(editors):
    story = ArticleFactory(headline="Original")
    _, second_form = two_forms(editors, story)
    second_form["base_version"] = "999"  # a version nobody recorded
    response = save_change_form(editors[1], story, second_form, headline="Mine")
    assert response.status_code == 200 and "merge_choice_headline" in response.content.decode()


def test_a_photos_alt_text_changed_meanwhile_is_not_put_back_by_a_form_opened_before(editors):
    story = ArticleFactory(headline="Storm closes ports")
    lead = CaptionFactory(article=story, role="lead", caption="Dock workers at dawn", position=0)
    lead.photo.alt_text = "Workers on a dock."
    lead.photo.save()
    first_form, second_form = two_forms(editors, story)
    first_form["captions-0-alt_text"] = "Three dock workers unload a container ship at dawn."
    assert save_change_form(editors[0], story, first_form).status_code == 302

    # The second editor never touched the alt text: their save must not bring the old one back.
    response = save_change_form(editors[1], story, second_form, headline="Storm shuts every port")
    assert response.status_code == 302, form_errors(response)
    lead.photo.refresh_from_db()
    assert lead.photo.alt_text == "Three dock workers unload a container ship at dawn."
    assert Article.objects.get(pk=story.pk).headline == "Storm shuts every port"


def test_an_alt_text_typed_in_a_form_opened_before_another_save_is_kept_or_asked_about(editors):
    story = ArticleFactory(headline="Storm closes ports")
    lead = CaptionFactory(article=story, role="lead", caption="Dock workers at dawn", position=0)
    first_form, second_form = two_forms(editors, story)
    assert save_change_form(editors[0], story, first_form, headline="Their headline").status_code == 302
    # The form merges (their headline) and still saves my alt text.
    mine = "Dock workers unload a ship."
    assert save_change_form(editors[1], story, {**second_form, "captions-0-alt_text": mine}).status_code == 302
    lead.photo.refresh_from_db()
    assert lead.photo.alt_text == mine and Article.objects.get(pk=story.pk).headline == "Their headline"

    # Both change the alt text: the later save is asked, not silently written over the other.
    first_form, second_form = two_forms(editors, story)
    save_change_form(editors[0], story, {**first_form, "captions-0-alt_text": "Their alt text."})
    response = save_change_form(editors[1], story, {**second_form, "captions-0-alt_text": "My alt text."})
    assert response.status_code == 200 and "changed this photo&#x27;s alt text" in response.content.decode()
    lead.photo.refresh_from_db()
    assert lead.photo.alt_text == "Their alt text."
    again = form_data(response.content.decode())
    assert save_change_form(editors[1], story, again).status_code == 302  # I typed mine again: saved
    lead.photo.refresh_from_db()
    assert lead.photo.alt_text == "My alt text."
