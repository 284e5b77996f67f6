"""Editorial integrity in a real browser (#10): two editors in two browser contexts merge instead of
overwriting, the same field asks for a choice, autosave survives a closed tab, presence shows the
other editor, and Preview shows what is on screen."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles.models import Article, StoryDraft
from tests.browser import chromium_browser, signed_in_page
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

BODY = "<p>Talks ran late into the night.</p><p>Trains run again from Friday.</p>"


@pytest.fixture
def desk(settings):
    settings.NEWSROOM_AUTOSAVE_SECONDS = 1
    settings.NEWSROOM_PRESENCE_SECONDS = 1
    call_command("sync_roles")  # transactional tests start from an empty database
    for name in ["first-editor", "second-editor"]:
        UserFactory(username=name, is_staff=True).groups.add(Group.objects.get(name="Editor"))
    return ArticleFactory(headline="Rail strike called off", dek="Unions accept the offer.", body=BODY)


def logged_in_page(browser, base_url, username):
    return signed_in_page(browser, base_url, username)


def change_url(live_server, story):
    return f"{live_server.url}/admin/articles/article/{story.pk}/change/"


def save(page):
    page.locator("input[name=_save]").first.click()
    page.wait_for_load_state()


def test_two_browsers_merge_disjoint_edits_and_choose_on_the_same_field(live_server, desk):
    story = desk
    with chromium_browser() as browser:
        first = logged_in_page(browser, live_server.url, "first-editor")
        second = logged_in_page(browser, live_server.url, "second-editor")
        first.goto(change_url(live_server, story))
        second.goto(change_url(live_server, story))

        first.fill("#id_headline", "Rail strike called off after late talks")
        save(first)
        first.wait_for_url("**/admin/articles/article/")

        # Disjoint: the second editor changed only the standfirst. Both survive, and they are told.
        second.fill("#id_dek", "Unions accept the improved offer overnight.")
        save(second)
        second.wait_for_url("**/admin/articles/article/")
        assert "Kept their changes to: Headline" in second.locator(".messagelist").inner_text()
        story.refresh_from_db()
        assert story.headline == "Rail strike called off after late talks"
        assert story.dek == "Unions accept the improved offer overnight."

        # The same field: both open the story again and both change the headline.
        first.goto(change_url(live_server, story))
        second.goto(change_url(live_server, story))
        first.fill("#id_headline", "Strike off: trains run on Friday")
        save(first)
        second.fill("#id_headline", "Rail unions call off the strike")
        save(second)
        conflict = second.locator(".edit-conflict")
        assert "first-editor saved this story" in conflict.inner_text()
        row = conflict.locator("tr.merge-conflict[data-field=headline]")
        assert row.locator("td.theirs").inner_text() == "Strike off: trains run on Friday"
        assert row.locator("td.mine").inner_text() == "Rail unions call off the strike"
        assert Article.objects.get(pk=story.pk).headline == "Strike off: trains run on Friday"  # nothing written

        save(second)  # without choosing: the browser refuses (required), and so would the server
        assert second.locator(".edit-conflict").count() == 1
        row.locator("input[value=theirs]").check()
        save(second)
        second.wait_for_url("**/admin/articles/article/")
    story.refresh_from_db()
    assert story.headline == "Strike off: trains run on Friday"
    assert story.dek == "Unions accept the improved offer overnight."  # never lost on the way


def test_autosave_survives_a_closed_tab(live_server, desk):
    story = desk
    with chromium_browser() as browser:
        page = logged_in_page(browser, live_server.url, "first-editor")
        page.goto(change_url(live_server, story))
        page.fill("#id_headline", "Typed, then the tab was closed")
        page.wait_for_function("() => document.getElementById('story-live').dataset.autosaved")
        assert page.evaluate("() => window.storyFormIsDirty()")  # leaving now would warn
        context = page.context
        page.close()

        again = context.new_page()
        again.goto(change_url(live_server, story))
        offer = again.locator(".story-draft-offer")
        assert "never saved" in offer.inner_text()
        offer.locator("a.restore-draft").click()
        again.wait_for_load_state()
        assert again.input_value("#id_headline") == "Typed, then the tab was closed"
        save(again)
        again.wait_for_url("**/admin/articles/article/")
    story.refresh_from_db()
    assert story.headline == "Typed, then the tab was closed"
    assert not StoryDraft.objects.exists()


def test_presence_shows_the_other_editor_and_preview_shows_the_screen(live_server, desk):
    story = desk
    with chromium_browser() as browser:
        first = logged_in_page(browser, live_server.url, "first-editor")
        second = logged_in_page(browser, live_server.url, "second-editor")
        first.goto(change_url(live_server, story))
        second.goto(change_url(live_server, story))
        first.wait_for_function(
            "() => document.querySelector('.story-presence').textContent.includes('second-editor')", timeout=15_000
        )
        assert "Also editing this story now: second-editor" in first.locator(".story-presence").inner_text()

        first.fill("#id_headline", "A headline only on this screen")
        with first.context.expect_page() as opened:
            first.locator("button.preview-on-screen").click()
        preview = opened.value
        preview.wait_for_load_state()
        assert "A headline only on this screen" in preview.content()
        with first.context.expect_page() as opened:  # the Preview link at the top does the same
            first.locator("a.story-preview-link").click()
        opened.value.wait_for_load_state()
        assert "A headline only on this screen" in opened.value.content()
    assert Article.objects.get(pk=story.pk).headline == "Rail strike called off"
