"""In a real browser: an embed pasted in the body reaches the public page as a click-to-load placeholder
(no request to the provider before the click, none blocked by the CSP after it) and the feed sanitized;
killing asks for confirmation. Screenshots go to NEWSROOM_TEST_SCREENSHOTS when it is set (tests/browser.screenshot)."""
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles import embeds
from articles.models import Article
from tests.browser import chromium_browser, screenshot
from tests.embed_helpers import YOUTUBE_URL, OEmbedServer
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]





def editor_page(browser, base_url):
    call_command("sync_roles")  # transactional tests start from an empty database
    UserFactory(username="embed-editor", is_staff=True).groups.add(Group.objects.get(name="Editor"))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", "embed-editor")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def focus_body_end(page):
    body_editor = page.locator(".ProseMirror:visible").first
    body_editor.locator("p").last.click()
    page.wait_for_function("() => document.activeElement?.classList.contains('ProseMirror')")
    # The caret at the very end of the last paragraph, wherever the click landed (End key presses
    # could stop before its last full stop under load, and the pasted link then shared a paragraph).
    page.evaluate("""() => {
        const paragraph = [...document.activeElement.querySelectorAll('p')].pop();
        const range = document.createRange();
        range.selectNodeContents(paragraph);
        range.collapse(false);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
    }""")
    at_end = """() => { const s = getSelection(), n = s.focusNode;
        return !!n && s.focusOffset === (n.nodeType === Node.TEXT_NODE ? n.length : n.childNodes.length); }"""
    page.wait_for_function(at_end)
    page.keyboard.press("Enter")


def paste(page, text):
    """A paste as the clipboard delivers it (the editor turns a pasted URL into a link)."""
    page.evaluate(
        """text => {
            const data = new DataTransfer();
            data.setData('text/plain', text);
            const event = new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true});
            document.activeElement.dispatchEvent(event);
        }""",
        text,
    )


def test_a_pasted_embed_reaches_the_page_as_a_click_to_load_placeholder(live_server, monkeypatch, settings):
    settings.NEWSROOM_EMBED_TIMEOUT_SECONDS = 2
    section = SectionFactory(name="Nation")
    story = ArticleFactory(headline="Ferries return to the harbour", section=section,
                           body="<p>The first boats left at dawn.</p>")
    with OEmbedServer() as provider, chromium_browser() as browser:
        monkeypatch.setattr(embeds, "oembed_endpoint", lambda p: provider.url)
        page = editor_page(browser, live_server.url)
        page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
        focus_body_end(page)
        paste(page, YOUTUBE_URL)
        page.wait_for_function(
            "url => document.querySelector('textarea[name=body]').value.includes(url)", arg=YOUTUBE_URL
        )
        page.locator("input[name=_continue]").first.click()
        page.wait_for_load_state()
        story.refresh_from_db()
        assert 'data-embed="youtube"' in story.body, story.body
        # Opened again, the editor keeps the embed as one block, and saving changes nothing.
        editor_figure = page.locator(".ProseMirror figure.embed")
        editor_figure.wait_for()
        screenshot(page, "safety-embed-in-editor")
        saved_body = story.body
        page.locator("input[name=_continue]").first.click()
        page.wait_for_load_state()
        story.refresh_from_db()
        assert story.body == saved_body

        reader = browser.new_page(viewport={"width": 1280, "height": 900})
        requested = []
        reader.on("request", lambda request: requested.append(request.url))
        loaded = []

        def provider_frame(route):
            loaded.append(route.request.url)
            route.fulfill(status=200, content_type="text/html", body="<p>The provider's player</p>")

        reader.route("https://www.youtube-nocookie.com/**", provider_frame)
        reader.goto(live_server.url + story.get_absolute_url())
        button = reader.get_by_role("button", name="Load YouTube content: Harbour ferries return after the storm")
        button.wait_for()
        reader.wait_for_load_state("networkidle")
        own_host = urlsplit(live_server.url).netloc
        assert {urlsplit(url).netloc for url in requested} == {own_host}, requested
        assert reader.locator("iframe").count() == 0
        screenshot(reader, "safety-embed-placeholder")

        button.click()
        frame = reader.locator("figure.embed iframe")
        frame.wait_for()
        assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
        reader.wait_for_function("() => true")
        reader.wait_for_timeout(500)
        assert loaded and loaded[0].startswith("https://www.youtube-nocookie.com/embed/")  # the CSP let it through
        screenshot(reader, "safety-embed-loaded")

        feed = reader.request.get(live_server.url + "/feeds/rss/").text()
        assert "Ferries return to the harbour" in feed
        assert "iframe" not in feed and "<script" not in feed and "&lt;script" not in feed


def test_killing_a_live_story_asks_first(live_server):
    story = ArticleFactory(headline="Bridge reopens after repairs")
    with chromium_browser() as browser:
        page = editor_page(browser, live_server.url)
        page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
        page.select_option("#id_status", "killed")
        page.locator("input[name=_save]").first.click()
        page.get_by_text("Killing takes a live story off the site, the feeds and the API at once.").wait_for()
        story.refresh_from_db()
        assert story.status == Article.Status.PUBLISHED
        screenshot(page, "safety-kill-confirm")
        page.click("#confirm-kill")
        page.wait_for_url("**/admin/articles/article/")
    story.refresh_from_db()
    assert story.status == Article.Status.KILLED
