"""Kill and restore ask first (articles/admin/confirm.py): a page says what will happen, and only a POST
carrying its token for this user, move and stories acts; CSRF still applies; nothing cached survives a kill."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.admin import confirm as confirm_module
from articles.models import Article
from articles.revisions import versions_of
from tests.factories import ArticleFactory
from tests.workflow_helpers import (
    change_url,
    confirm,
    desk_user,
    form_data,
    form_errors,
    open_change_form,
    save_change_form,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
KILL_WARNING = "Killing takes a live story off the site, the feeds and the API at once."


@pytest.fixture
def editor(client):
    user = desk_user("Editor")
    client.force_login(user)
    return user


def kill_in_form(client, story, **changes):
    return save_change_form(client, story, open_change_form(client, story), status="killed", **changes)


def run_kill_action(client, *stories):
    return client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [s.pk for s in stories]})


# -- kill from the story form -------------------------------------------------------------------


def test_killing_in_the_form_shows_what_will_happen_and_changes_nothing_yet(client, editor):
    story = ArticleFactory(headline="Bridge reopens")

    response = kill_in_form(client, story)

    html = response.content.decode()
    assert response.status_code == 200 and KILL_WARNING in html
    assert "Bridge reopens</strong> — live now" in html and 'id="confirm-kill"' in html
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED


def test_the_confirmed_kill_saves_the_form_with_it(client, editor):
    story = ArticleFactory(headline="Bridge reopens")

    response = confirm(client, change_url(story), kill_in_form(client, story, headline="Bridge reopens (killed)"))

    assert response.status_code == 302, form_errors(response)
    story.refresh_from_db()
    assert (story.status, story.headline) == (Article.Status.KILLED, "Bridge reopens (killed)")
    assert story.status_changes.get(to_status="killed").changed_by == editor


def test_a_forged_or_foreign_token_only_shows_the_page_again(client, editor):
    story, other = ArticleFactory(), ArticleFactory()
    data = form_data(kill_in_form(client, story).content.decode(), "confirm-form")
    other_token = form_data(kill_in_form(client, other).content.decode(), "confirm-form")["confirm_token"]

    for token in ["forged", other_token, data["confirm_token"] + "x"]:
        response = client.post(change_url(story), {**data, "confirm_token": token})
        assert response.status_code == 200 and KILL_WARNING in response.content.decode()
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED


def test_another_editors_token_does_not_confirm(client, editor):
    story = ArticleFactory()
    data = form_data(kill_in_form(client, story).content.decode(), "confirm-form")
    client.force_login(desk_user("Editor", "second-editor"))

    response = client.post(change_url(story), data)

    assert KILL_WARNING in response.content.decode()
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED


def test_an_expired_token_does_not_confirm(client, editor, monkeypatch):
    story = ArticleFactory()
    data = form_data(kill_in_form(client, story).content.decode(), "confirm-form")
    monkeypatch.setattr(confirm_module, "CONFIRM_SECONDS", -1)

    client.post(change_url(story), data)

    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED


def test_the_confirmation_post_needs_its_csrf_token(editor):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    story = ArticleFactory()
    page = kill_in_form(browser, story)
    data = form_data(page.content.decode(), "confirm-form")
    data.pop("csrfmiddlewaretoken")

    assert browser.post(change_url(story), data).status_code == 403
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED


def test_a_reporter_cannot_kill_and_gets_no_confirmation_page(client):
    reporter = desk_user("Reporter")
    story = ArticleFactory(draft=True, created_by=reporter)
    client.force_login(reporter)

    response = kill_in_form(client, story)

    assert KILL_WARNING not in response.content.decode()
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT


def test_saving_a_story_that_stays_live_asks_nothing(client, editor):
    story = ArticleFactory()

    response = save_change_form(client, story, open_change_form(client, story), headline="New headline")

    assert response.status_code == 302


# -- kill from the list ----------------------------------------------------------------------------


def test_the_list_action_lists_the_stories_and_kills_only_when_confirmed(client, editor):
    live, draft = ArticleFactory(headline="Live one"), ArticleFactory(draft=True, headline="Draft one")

    page = run_kill_action(client, live, draft)
    html = page.content.decode()
    assert KILL_WARNING in html and "Live one</strong> — live now" in html and "Draft one</strong> — draft" in html
    assert set(Article.objects.values_list("status", flat=True)) == {"published", "draft"}

    response = confirm(client, CHANGELIST, page)

    assert response.status_code == 302
    assert set(Article.objects.values_list("status", flat=True)) == {"killed"}


def test_a_list_token_for_other_stories_does_not_confirm(client, editor):
    first, second = ArticleFactory(), ArticleFactory()
    token = form_data(run_kill_action(client, first).content.decode(), "confirm-form")["confirm_token"]

    client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [first.pk, second.pk],
                             "confirm_token": token, "post": "yes"})

    assert set(Article.objects.values_list("status", flat=True)) == {"published"}


def test_a_confirmed_kill_leaves_every_cached_page(client, editor):
    story = ArticleFactory(headline="Cached then killed")
    reader = Client()
    pages = [story.get_absolute_url(), "/", story.section.get_absolute_url(), reverse("reader:feed-latest-rss")]
    for path in pages:
        reader.get(path)
        assert reader.get(path)["X-Page-Cache"] == "hit"

    page = run_kill_action(client, story)
    for path in pages:  # asked, not yet confirmed: still live
        assert "Cached then killed" in reader.get(path).content.decode()
    confirm(client, CHANGELIST, page)

    assert reader.get(story.get_absolute_url()).status_code in (404, 410)
    for path in pages[1:]:
        assert "Cached then killed" not in reader.get(path).content.decode()


# -- restore --------------------------------------------------------------------------------------------


@pytest.fixture
def story_with_versions(client, editor):
    story = ArticleFactory(headline="Dam opens early", body="<p>The dam opened.</p>")
    response = save_change_form(client, story, open_change_form(client, story), headline="Dam opens a month early")
    assert response.status_code == 302, form_errors(response)
    return story, list(versions_of(story))[-1]


def restore_url(story, version):
    return reverse("admin:articles_article_restore", args=[story.pk, version.pk])


def test_the_history_page_links_to_the_restore_confirmation(client, story_with_versions):
    story, oldest = story_with_versions

    html = client.get(reverse("admin:articles_article_history", args=[story.pk])).content.decode()

    assert f'href="{restore_url(story, oldest)}"' in html and "Restore…" in html


def test_restore_shows_what_changes_and_that_readers_see_it_at_once(client, story_with_versions):
    story, oldest = story_with_versions

    html = client.get(restore_url(story, oldest)).content.decode()

    assert "readers, the feeds and the API get the restored text at once" in html
    assert "Dam opens <del>a month </del>early" in html
    story.refresh_from_db()
    assert story.headline == "Dam opens a month early"


def test_restore_without_the_token_restores_nothing(client, story_with_versions):
    story, oldest = story_with_versions

    response = client.post(restore_url(story, oldest))
    assert response.status_code == 200 and 'id="confirm-restore"' in response.content.decode()
    response = client.post(restore_url(story, oldest), {"confirm_token": "forged"})

    story.refresh_from_db()
    assert story.headline == "Dam opens a month early"


def test_a_restore_token_is_for_one_revision(client, story_with_versions):
    story, oldest = story_with_versions
    newest = list(versions_of(story))[0]
    token = form_data(client.get(restore_url(story, newest)).content.decode(), "confirm-form")["confirm_token"]

    client.post(restore_url(story, oldest), {"confirm_token": token})

    story.refresh_from_db()
    assert story.headline == "Dam opens a month early"


def test_the_confirmed_restore_restores_and_the_reader_sees_it(client, story_with_versions):
    story, oldest = story_with_versions
    reader = Client()
    reader.get(story.get_absolute_url())

    response = confirm(client, restore_url(story, oldest), client.get(restore_url(story, oldest)))

    assert response.status_code == 302
    assert "Dam opens early" in reader.get(story.get_absolute_url()).content.decode()


def test_a_reporter_gets_no_restore_page_for_a_live_story(client, story_with_versions):
    story, oldest = story_with_versions
    client.force_login(desk_user("Reporter"))

    assert client.get(restore_url(story, oldest)).status_code == 403
