"""Autosave, presence and the on-screen preview of the story form (#10 part 5), through the test client;
tests/test_browser_integrity.py drives the same in chromium."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, StoryDraft
from tests.factories import ArticleFactory
from tests.workflow_helpers import change_url, desk_user, open_change_form, save_change_form

pytestmark = pytest.mark.django_db


def autosave(client, story, data, **changes):
    url = reverse("admin:articles_article_autosave", args=[story.pk])
    return client.post(url, {**data, **changes})


def test_autosave_keeps_a_draft_and_never_touches_the_story(client, editor):
    story = ArticleFactory(headline="Bridge reopens")
    client.force_login(editor)
    data = open_change_form(client, story)
    version, revisions = Article.objects.get(pk=story.pk).version, Version.objects.count()

    response = autosave(client, story, data, headline="Bridge reopens after repairs")

    assert response.status_code == 200 and "saved_at" in response.json()
    story.refresh_from_db()
    assert story.headline == "Bridge reopens" and story.version == version
    assert Version.objects.count() == revisions
    draft = StoryDraft.objects.get(article=story, user=editor)
    assert ["headline", "Bridge reopens after repairs"] in draft.data
    assert draft.base_version == version


def test_a_closed_tab_is_offered_back_and_restores_into_the_form(client, editor):
    story = ArticleFactory(headline="Bridge reopens")
    client.force_login(editor)
    data = open_change_form(client, story)
    autosave(client, story, data, headline="Typed before the tab closed")

    html = client.get(change_url(story)).content.decode()
    assert "story-draft-offer" in html and "restore_draft=1" in html
    restored = client.get(change_url(story) + "?restore_draft=1").content.decode()
    assert 'value="Typed before the tab closed"' in restored
    # Saving the restored form merges from the version the draft was typed against, then drops it.
    response = save_change_form(client, story, {**data, "headline": "Typed before the tab closed"})
    assert response.status_code == 302
    assert not StoryDraft.objects.exists()


def test_a_restored_draft_never_overwrites_a_save_made_since(client, editor):
    story = ArticleFactory(headline="Bridge reopens", dek="Old standfirst.")
    client.force_login(editor)
    data = open_change_form(client, story)
    autosave(client, story, data, headline="My headline from the draft")
    other = type(client)()
    other.force_login(desk_user("Editor", "other-editor"))
    save_change_form(other, story, open_change_form(other, story), dek="Their newer standfirst.")

    restored = client.get(change_url(story) + "?restore_draft=1").content.decode()
    from tests.workflow_helpers import form_data

    response = save_change_form(client, story, form_data(restored))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == "My headline from the draft" and story.dek == "Their newer standfirst."


def test_the_add_form_autosaves_too(client, editor):
    client.force_login(editor)
    response = client.post(reverse("admin:articles_article_autosave_new"), {"headline": "A story not saved yet"})
    assert response.status_code == 200
    assert StoryDraft.objects.get(article=None, user=editor)
    assert "story-draft-offer" in client.get(reverse("admin:articles_article_add")).content.decode()


def test_nobody_autosaves_into_a_story_they_may_not_change(client):
    story = ArticleFactory()
    client.force_login(desk_user("Reporter"))
    assert autosave(client, story, {"headline": "x"}).status_code == 403
    assert not StoryDraft.objects.exists()


def test_presence_shows_who_else_has_the_story_open_and_when_they_last_saved(client, editor):
    story = ArticleFactory()
    other = type(client)()
    other_editor = desk_user("Editor", "night-editor")
    other.force_login(other_editor)
    save_change_form(other, story, open_change_form(other, story), dek="A save by the night editor.")
    client.force_login(editor)
    url = reverse("admin:articles_article_presence", args=[story.pk])
    assert client.post(url).json() == {"others": [], "available": True}
    other.post(url)
    others = client.post(url).json()["others"]
    assert [o["name"] for o in others] == ["night-editor"] and others[0]["last_saved"]


def test_presence_fails_open_when_the_cache_is_down(client, editor, settings):
    story = ArticleFactory()
    # Sessions in the database, so this test is about presence only (sessions without a cache are
    # #11's resilience suite).
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    client.force_login(editor)
    # A real Redis client pointed at a port nothing listens on (this engineer's range).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:8299/2"}}
    response = client.post(reverse("admin:articles_article_presence", args=[story.pk]))
    assert response.status_code == 200 and response.json()["available"] is False


def test_preview_renders_what_is_on_screen_and_saves_nothing(client, editor):
    story = ArticleFactory(headline="Saved headline", draft=True)
    client.force_login(editor)
    data = open_change_form(client, story)
    data.update(headline="Headline only on screen", body="<p>A paragraph typed, not saved.</p>")
    response = client.post(reverse("admin:articles_article_live_preview", args=[story.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Headline only on screen" in html and "A paragraph typed, not saved." in html
    assert response["X-Robots-Tag"].startswith("noindex")
    story.refresh_from_db()
    assert story.headline == "Saved headline"


def test_preview_of_a_new_story_that_is_not_saved_yet(client, editor):
    client.force_login(editor)
    data = {"headline": "A brand new story", "body": "<p>First words.</p><script>alert(1)</script>"}
    response = client.post(reverse("admin:articles_article_preview_new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A brand new story" in html and "<script>alert(1)" not in html
    assert not Article.objects.exists()
