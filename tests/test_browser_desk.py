"""The desk in a real browser (#13 parts 1 and 6): the dashboard shows a ready story and one click opens
it; a comment with an @mention, posted beside a form with unsaved edits, reaches the mentioned
editor's header; axe-core finds no critical or serious problem on the dashboard."""


import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles.models import Article
from tests.axe import assert_accessible
from tests.browser import chromium_browser, screenshot, signed_in_page
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]




def desk_user(username, role):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def signed_in(browser, base_url, username):
    return signed_in_page(browser, base_url, username, viewport={"width": 1280, "height": 900})


@pytest.fixture
def desk(db):
    call_command("sync_roles")  # transactional tests start from an empty database
    return desk_user("editor", "Editor"), desk_user("reporter", "Reporter")


def test_the_dashboard_shows_a_ready_story_and_opens_it_in_one_click(live_server, desk):
    editor, reporter = desk
    story = ArticleFactory(headline="Night markets return to the riverside", status=Article.Status.READY,
                           published_at=None, created_by=reporter)
    ArticleFactory(headline="Subway line opens on Saturday", scheduled=True)
    with chromium_browser() as browser:
        page = signed_in(browser, live_server.url, "editor")
        ready = page.locator("#desk-ready")
        assert "Night markets return to the riverside" in ready.inner_text()
        assert ready.locator(".desk-count").inner_text() == "1"
        assert "Subway line opens on Saturday" in page.locator("#desk-scheduled").inner_text()
        screenshot(page, "dash-dashboard-editor")
        assert_accessible(page)

        ready.get_by_role("link", name="Night markets return to the riverside").click()
        page.wait_for_url(f"**/admin/articles/article/{story.pk}/change/")
        assert page.input_value("#id_headline") == "Night markets return to the riverside"


def test_a_reporters_dashboard_passes_axe_too(live_server, desk):
    _, reporter = desk
    ArticleFactory(headline="Anchovy season looks thin", draft=True, created_by=reporter)
    with chromium_browser() as browser:
        page = signed_in(browser, live_server.url, "reporter")
        assert "Anchovy season looks thin" in page.locator("#desk-drafts").inner_text()
        screenshot(page, "dash-dashboard-reporter")
        assert_accessible(page)


def test_a_mention_in_a_comment_reaches_the_editors_header_and_the_form_keeps_its_edits(live_server, desk):
    editor, reporter = desk
    story = ArticleFactory(headline="Ferry timetable", status=Article.Status.READY, published_at=None,
                           created_by=reporter)
    with chromium_browser() as browser:
        page = signed_in(browser, live_server.url, "reporter")
        page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
        page.fill("#id_headline", "Ferry timetable changes again")  # typed, not saved

        page.fill("#desk-comment-text", "Please check the new times @edi")
        suggestion = page.locator(".desk-mention-choices button", has_text="@editor")
        suggestion.wait_for()
        assert_accessible(page, context=".desk-comments")  # the thread, the box and its suggestions
        suggestion.click()
        assert page.input_value("#desk-comment-text") == "Please check the new times @editor "
        page.get_by_role("button", name="Post comment").click()
        page.locator(".desk-comment .desk-mention", has_text="@editor").wait_for()
        assert page.input_value("#id_headline") == "Ferry timetable changes again"  # nothing lost
        assert page.input_value("#desk-comment-text") == ""
        screenshot(page, "dash-comment-thread")

        page.fill("#desk-comment-text", "and ask @nobody-here")
        page.get_by_role("button", name="Post comment").click()
        page.locator(".desk-comment-error", has_text="No desk user is called @nobody-here").wait_for()

        other = signed_in(browser, live_server.url, "editor")
        bell = other.locator("a.desk-bell")
        assert bell.locator(".desk-bell-count").inner_text() == "1"  # the mention
        bell.click()
        other.wait_for_url("**/admin/desk/notifications/")
        assert "reporter mentioned you on “Ferry timetable”" in other.locator(".desk-notifications").inner_text()
        screenshot(other, "dash-notifications")
        assert_accessible(other)
        other.get_by_role("link", name="reporter mentioned you on “Ferry timetable”").click()
        other.wait_for_url(f"**/admin/articles/article/{story.pk}/change/")

    story.refresh_from_db()
    assert story.headline == "Ferry timetable" and story.version == Article.objects.get().version
