"""Editorial comments with @mentions beside the story form (#13 part 6): posting, escaping, bad input,
who may comment and be told, and a comment never disturbing the story or a save of it."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from articles.editing import locked_story
from articles.models import Article
from desk.comments import mentioned_names, post_comment
from desk.models import Comment, Notification, Verb
from tests.factories import ArticleFactory, UserFactory
from tests.workflow_helpers import change_url, desk_user, form_data, open_change_form, save_change_form

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def reporter():
    return desk_user("Reporter")


def comments_url(article_id):
    return reverse("desk:story-comments", args=[article_id])


def test_a_comment_mentioning_a_colleague_notifies_them_and_shows_escaped(client, editor, reporter):
    story = ArticleFactory(status=Article.Status.READY, published_at=None, created_by=reporter)
    client.force_login(reporter)

    response = client.post(comments_url(story.pk), {"text": "Can you check the quote? @editor <b>thanks</b>"}, **JSON)

    assert response.status_code == 201
    html = response.json()["html"]
    assert '<span class="desk-mention">@editor</span>' in html and "&lt;b&gt;thanks&lt;/b&gt;" in html
    comment = Comment.objects.get()
    assert list(comment.mentions.all()) == [editor] and comment.author == reporter
    notification = Notification.objects.get()
    assert (notification.recipient, notification.verb, notification.article) == (editor, Verb.MENTIONED, story)
    assert notification.summary == f"reporter mentioned you on “{story.headline}”"


def test_the_thread_is_beside_the_story_form_and_outside_it(client, editor):
    story = ArticleFactory()
    post_comment(story, editor, "Lead photo is cropped badly.\n\nSecond <paragraph>.")
    client.force_login(editor)
    html = client.get(change_url(story)).content.decode()
    assert 'id="content-related" class="desk-comments"' in html and "Lead photo is cropped badly." in html
    assert "Second &lt;paragraph&gt;." in html and "desk/comments.js" in html
    assert "text" not in form_data(html)  # the comment box is not part of the story's form


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_an_empty_comment_is_refused_with_a_reason(client, editor, text):
    story = ArticleFactory()
    client.force_login(editor)
    response = client.post(comments_url(story.pk), {"text": text}, **JSON)
    assert response.status_code == 400 and "empty" in response.json()["error"]
    assert not Comment.objects.exists()


def test_a_mention_of_nobody_is_refused_and_names_the_mention(client, editor):
    story = ArticleFactory()
    client.force_login(editor)
    response = client.post(comments_url(story.pk), {"text": "Ask @nobody-here about it"}, **JSON)
    assert response.status_code == 400
    assert response.json()["error"] == "No desk user is called @nobody-here. Check the spelling."
    assert not Comment.objects.exists() and not Notification.objects.exists()


def test_a_mention_of_staff_who_cannot_open_stories_is_refused(client, editor):
    UserFactory(username="mailroom", is_staff=True)
    client.force_login(editor)
    response = client.post(comments_url(ArticleFactory().pk), {"text": "@mailroom FYI"}, **JSON)
    assert response.status_code == 400 and "cannot open stories" in response.json()["error"]
    assert not Notification.objects.exists()


def test_addresses_and_trailing_full_stops_are_not_mentions():
    assert mentioned_names("Mail kim@example.com, then ask @editor. And (@photo-editor)!") == ["editor",
                                                                                                "photo-editor"]


def test_a_comment_on_a_missing_story_is_a_404(client, editor):
    client.force_login(editor)
    assert client.post(comments_url(999999), {"text": "Hello"}, **JSON).status_code == 404
    assert client.get(comments_url(999999)).status_code == 404


def test_staff_without_story_permissions_can_neither_read_nor_post(client):
    story = ArticleFactory()
    post_comment(story, desk_user("Editor"), "Embargo lifts at nine.")
    client.force_login(UserFactory(username="mailroom", is_staff=True))
    assert client.get(comments_url(story.pk)).status_code == 403
    assert client.post(comments_url(story.pk), {"text": "hi"}, **JSON).status_code == 403
    assert Comment.objects.count() == 1


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.post(comments_url(ArticleFactory().pk), {"text": "hi"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_without_javascript_the_form_posts_and_returns_to_the_story(client, editor):
    story = ArticleFactory()
    client.force_login(editor)
    response = client.post(comments_url(story.pk), {"text": "Fine by me."})
    assert response.status_code == 302 and response["Location"] == change_url(story)
    assert Comment.objects.get().text == "Fine by me."


def test_mention_suggestions_list_desk_users_who_can_open_stories(client, editor):
    desk_user("Editor", username="editor-two")
    UserFactory(username="editor-mailroom", is_staff=True)  # no story permissions
    client.force_login(editor)
    assert client.get(reverse("desk:mentions"), {"q": "edi"}).json() == {"users": ["editor", "editor-two"]}
    assert client.get(reverse("desk:mentions"), {"q": ""}).json() == {"users": []}


def test_a_comment_between_opening_and_saving_the_form_changes_neither_version_nor_save(client, editor, reporter):
    story = ArticleFactory(headline="Ferry timetable")
    client.force_login(editor)
    data = open_change_form(client, story)
    version = Article.objects.get().version

    post_comment(story, reporter, "@editor the times changed again")

    assert Article.objects.get().version == version
    response = save_change_form(client, story, data, headline="Ferry timetable changes")
    assert response.status_code == 302
    saved = Article.objects.get()
    assert saved.headline == "Ferry timetable changes" and saved.version == version + 1
    assert Comment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_comment_posted_while_the_story_is_being_saved_loses_nothing():
    call_command("sync_roles")  # transactional tests start from an empty database
    editor, reporter = desk_user("Editor"), desk_user("Reporter")
    story = ArticleFactory(headline="Ferry timetable")
    version = Article.objects.get().version
    saving, finish = threading.Event(), threading.Event()

    def save():
        try:
            with locked_story(story.pk, ["headline"], by=editor) as row:
                row.headline = "Ferry timetable changes"
                saving.set()
                finish.wait(30)
        finally:
            connection.close()

    def comment():
        try:
            post_comment(Article.objects.get(pk=story.pk), reporter, "@editor check the times")
        finally:
            connection.close()

    saver = threading.Thread(target=save)
    saver.start()
    assert saving.wait(30)
    commenter = threading.Thread(target=comment)
    commenter.start()
    finish.set()
    saver.join(30)
    commenter.join(30)

    saved = Article.objects.get()
    assert saved.headline == "Ferry timetable changes" and saved.version == version + 1
    assert Comment.objects.get().text == "@editor check the times"
    assert Notification.objects.get().recipient == editor
