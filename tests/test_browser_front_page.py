"""An editor pins a story as the home lead in the admin; the public home page leads with it on the
next request (with the whole-page cache on), and the preview shows the draft first."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from tests.axe import assert_accessible
from tests.browser import chromium_browser, screenshot, signed_in_page
from tests.factories import ArticleFactory, CaptionFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.usefixtures("no_avif")]





def logged_in_page(browser, base_url, username):
    return signed_in_page(browser, base_url, username, viewport={"width": 1280, "height": 900})


def pick_story(page, slot, term, headline):
    """Choose a story in a slot through the admin's autocomplete, typing as an editor would."""
    page.click(f"#id_{slot} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", term)
    page.locator(".select2-results__option", has_text=headline).click()


def lead_on(page):
    return page.locator(".lead-story__headline").inner_text()


def test_an_editor_pins_the_home_lead_and_readers_see_it_on_the_next_request(live_server, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300  # the anonymous whole-page cache is on, as in production
    call_command("sync_roles")  # transactional tests start from an empty database
    UserFactory(username="desk-editor", is_staff=True).groups.add(Group.objects.get(name="Editor"))
    now = timezone.now()
    nation, world = SectionFactory(name="Nation"), SectionFactory(name="World", position=1)
    CaptionFactory(article=ArticleFactory(headline="Late-night budget vote passes", section=nation))
    for hours, headline, section in [
        (2, "Harbour tram line opens to riders", nation),
        (3, "Port strike talks resume", world),
        (5, "Ferry timetable changes for winter", nation),
        (6, "Summit ends with a joint statement", world),
    ]:
        ArticleFactory(headline=headline, section=section, published_at=now - timedelta(hours=hours))
    pinned = CaptionFactory(
        article=ArticleFactory(
            headline="Tram depot fire: what we know", section=nation, published_at=now - timedelta(hours=9)
        )
    ).article

    with chromium_browser() as browser:
        reader = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        reader.goto(live_server.url + "/")
        assert lead_on(reader) == "Late-night budget vote passes"
        reader.goto(live_server.url + "/")  # now from the page cache
        assert lead_on(reader) == "Late-night budget vote passes"

        editor = logged_in_page(browser, live_server.url, "desk-editor")
        editor.locator("a[href='/admin/frontpage/frontlayout/']").first.click()  # from the admin index
        editor.wait_for_url("**/admin/frontpage/frontlayout/")
        assert_accessible(editor)  # no critical or serious axe-core violation on the desk page
        pick_story(editor, "home_1", "depot", pinned.headline)
        editor.click("button[value=save]")
        editor.wait_for_selector(".messagelist .success")
        screenshot(editor, "front-desk")

        with editor.expect_popup() as popup:
            editor.click("text=Preview the saved draft")
        preview = popup.value
        preview.wait_for_load_state()
        assert lead_on(preview) == pinned.headline
        assert "Preview" in preview.locator(".preview-banner").inner_text()
        screenshot(preview, "front-preview")

        reader.goto(live_server.url + "/")
        assert lead_on(reader) == "Late-night budget vote passes", "the draft leaked to readers"

        editor.click("button[value=publish]")
        editor.wait_for_selector("text=The front page is live")
        screenshot(editor, "front-published")

        reader.goto(live_server.url + "/")
        assert lead_on(reader) == pinned.headline
        headlines = reader.locator(".primary .lead-story__headline, .primary .card__headline")
        assert headlines.filter(has_text=pinned.headline).count() == 1  # once on the front
        screenshot(reader, "front-home")
