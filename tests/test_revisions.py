"""Revision history: every save is recorded, two revisions compare readably, and old ones restore."""

import pytest
import reversion
from django.urls import reverse

from articles.models import Caption
from articles.publishing import publish_article
from articles.revisions import body_text, diff_html, restore_version, versions_of
from tests.factories import ArticleFactory, CaptionFactory, PhotoFactory
from tests.workflow_helpers import confirm, desk_user, form_errors, open_change_form, save_change_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def story_with_history(client, editor):
    """A story saved three times in the admin: baseline, then a new headline, then a new caption."""
    story = ArticleFactory(headline="Dam opens early", dek="Water flows in May.", body="<p>The dam opened.</p>")
    CaptionFactory(article=story, caption="The dam at dusk.")
    client.force_login(editor)
    response = save_change_form(client, story, open_change_form(client, story), headline="Dam opens a month early")
    assert response.status_code == 302, form_errors(response)
    response = save_change_form(
        client, story, open_change_form(client, story), **{"captions-0-caption": "Spillway gates open."}
    )
    assert response.status_code == 302, form_errors(response)
    return story


def test_every_admin_save_records_who_when_and_a_summary(story_with_history, editor):
    versions = list(versions_of(story_with_history))
    assert len(versions) == 3  # the baseline before the first edit, then two saves
    newest = versions[0].revision
    assert newest.user == editor
    assert "Changed caption" in newest.comment or "Changed" in newest.comment
    assert "Headline" in versions[1].revision.comment or "headline" in versions[1].revision.comment.lower()


def test_history_page_lists_revisions_and_status_changes(client, story_with_history):
    story_with_history.refresh_from_db()
    story_with_history.unpublish()
    story_with_history.save()
    publish_article(story_with_history, by=desk_user("Editor", "chief"))
    html = client.get(reverse("admin:articles_article_history", args=[story_with_history.pk])).content.decode()
    assert html.count('name="old"') == 4  # publish_article records a revision; the bare save() did not
    assert "editor" in html and "Restore" in html
    assert 'id="status-changes"' in html and "chief" in html


def test_compare_shows_headline_and_caption_changes_readably(client, story_with_history):
    oldest = list(versions_of(story_with_history))[-1]
    response = client.get(
        reverse("admin:articles_article_compare", args=[story_with_history.pk]), {"old": oldest.pk, "new": "current"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<th scope="row">Headline</th><td>Dam opens <ins>a month </ins>early</td>' in html
    assert "Captions" in html and "<ins>Spillway gates open.</ins>" in html
    assert '<th scope="row">Body</th>' not in html  # unchanged fields are not listed


def test_restore_brings_back_text_and_captions_as_a_new_revision(client, story_with_history, editor):
    oldest = list(versions_of(story_with_history))[-1]
    url = reverse("admin:articles_article_restore", args=[story_with_history.pk, oldest.pk])
    response = confirm(client, url, client.get(url))
    assert response.status_code == 302
    story_with_history.refresh_from_db()
    assert story_with_history.headline == "Dam opens early"
    assert Caption.objects.get(article=story_with_history).caption == "The dam at dusk."
    assert story_with_history.status == "published"  # restoring text never changes the status
    versions = list(versions_of(story_with_history))
    assert len(versions) == 4
    assert versions[0].revision.comment.startswith("Restored the revision of")
    assert versions[0].revision.user == editor


def test_restore_keeps_status_slug_and_drops_captions_added_since(editor):
    with reversion.create_revision():
        story = ArticleFactory(draft=True, headline="First take")
    first = versions_of(story).get()
    with reversion.create_revision():
        story.headline = "Second take"
        story.slug = "second-take"
        story.save()
        CaptionFactory(article=story, photo=PhotoFactory())
    publish_article(story, by=editor)
    restore_version(story, first, by=editor)
    story.refresh_from_db()
    assert (story.headline, story.slug, story.status) == ("First take", "second-take", "published")
    assert not story.captions.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_reporter_cannot_restore_a_published_story(client, story_with_history, method):
    oldest = list(versions_of(story_with_history))[-1]
    client.force_login(desk_user("Reporter"))
    url = reverse("admin:articles_article_restore", args=[story_with_history.pk, oldest.pk])
    response = getattr(client, method)(url)
    assert response.status_code in (403, 405)
    story_with_history.refresh_from_db()
    assert story_with_history.headline == "Dam opens a month early"


def test_wire_updates_inside_create_revision_are_recorded_without_a_user():
    with reversion.create_revision():
        story = ArticleFactory(draft=True)
        publish_article(story, by=None)
    version = versions_of(story).get()
    assert version.revision.user is None and version.field_dict["status"] == "published"


def test_body_diff_reads_as_paragraphs_and_escapes_markup():
    assert body_text("<p>One &amp; two.</p><p>Three<br>four</p>") == "One & two.\nThree\nfour"
    html = diff_html("A <b> b", "A <i> b")
    assert "&lt;b&gt;" in html and "<del>" in html and "<ins>" in html


def test_list_actions_record_a_revision_naming_the_action(client, editor):
    story = ArticleFactory(draft=True)
    client.force_login(editor)
    client.post(reverse("admin:articles_article_changelist"), {"action": "publish_now", "_selected_action": [story.pk]})
    revision = versions_of(story).get().revision
    assert revision.user == editor and revision.comment == "List action: Publish selected stories now."
