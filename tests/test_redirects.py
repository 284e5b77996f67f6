"""Changing a published story's slug or date keeps its old address working as a permanent redirect."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import ArticleRedirect
from articles.redirects import keeping_old_url
from tests.factories import ArticleFactory
from tests.workflow_helpers import desk_user, form_errors, open_change_form, save_change_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(desk_user("Editor"))
    return client


def test_slug_change_in_the_admin_redirects_the_old_url(editor_client):
    story = ArticleFactory(slug="harbour-plan-approved")
    old_url = story.get_absolute_url()
    response = save_change_form(
        editor_client, story, open_change_form(editor_client, story), slug="harbour-plan-passes"
    )
    assert response.status_code == 302, form_errors(response)
    story.refresh_from_db()
    editor_client.logout()
    response = editor_client.get(old_url)
    assert response.status_code == 301 and response["Location"] == story.get_absolute_url()
    assert editor_client.get(story.get_absolute_url()).status_code == 200


def test_date_change_redirects_the_old_url(editor_client):
    story = ArticleFactory(published_at=timezone.now() - timedelta(days=3))
    old_url = story.get_absolute_url()
    new_time = timezone.localtime(timezone.now() - timedelta(hours=2))
    response = save_change_form(
        editor_client,
        story,
        open_change_form(editor_client, story),
        published_at_0=new_time.strftime("%Y-%m-%d"),
        published_at_1=new_time.strftime("%H:%M:%S"),
    )
    assert response.status_code == 302, form_errors(response)
    story.refresh_from_db()
    assert story.get_absolute_url() != old_url
    response = editor_client.get(old_url)
    assert response.status_code == 301 and response["Location"] == story.get_absolute_url()


def test_every_earlier_address_leads_to_the_current_one(client):
    story = ArticleFactory(slug="first")
    urls = [story.get_absolute_url()]
    for slug in ["second", "third"]:
        with keeping_old_url(story):
            story.slug = slug
            story.save()
        urls.append(story.get_absolute_url())
    for old in urls[:-1]:
        assert client.get(old)["Location"] == urls[-1]


def test_changing_back_to_an_old_slug_serves_the_story_there(client):
    story = ArticleFactory(slug="original")
    original_url = story.get_absolute_url()
    for slug in ["renamed", "original"]:
        with keeping_old_url(story):
            story.slug = slug
            story.save()
    assert client.get(original_url).status_code == 200
    assert not ArticleRedirect.objects.filter(old_path=original_url).exists()
    assert ArticleRedirect.objects.filter(article=story).count() == 1


def test_never_published_story_leaves_no_redirects():
    story = ArticleFactory(draft=True, slug="draft-slug")
    with keeping_old_url(story):
        story.slug = "better-draft-slug"
        story.save()
    assert not ArticleRedirect.objects.exists()


@pytest.mark.parametrize("state", ["killed", "scheduled"])
def test_old_url_of_an_unpublished_story_does_not_redirect(client, state):
    story = ArticleFactory(slug="was-public")
    old_url = story.get_absolute_url()
    with keeping_old_url(story):
        story.slug = "now-hidden"
        if state == "killed":
            story.status = "killed"
        else:
            story.published_at = timezone.now() + timedelta(days=1)
        story.save()
    assert client.get(old_url).status_code == 404
