"""End to end in a real browser: a reader follows a story; an editor writes one with the body editor."""
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles.models import Article
from tests.browser import chromium_browser
from tests.factories import ArticleFactory, CaptionFactory, SectionFactory, SourceFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_reader_goes_from_home_to_story_to_tag(live_server):
    story = ArticleFactory(headline="Allies meet in Washington", source=SourceFactory(name="Yonhap"), tags=["NATO"])
    CaptionFactory(article=story, caption="Leaders arrive for talks.", credit="AFP-Yonhap")
    with chromium_browser() as browser:
        page = browser.new_page()
        page.goto(live_server.url + "/")
        page.get_by_role("link", name="Allies meet in Washington").first.click()
        page.wait_for_url(f"**{story.get_absolute_url()}")
        assert page.locator("h1").inner_text() == "Allies meet in Washington"
        assert page.locator("figcaption").inner_text() == "Leaders arrive for talks. AFP-Yonhap"
        assert page.locator(".source-line").inner_text() == "(Yonhap)"
        image = page.locator("figure img").first
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        page.get_by_role("link", name="NATO").click()
        page.wait_for_url("**/tag/nato/")
        assert page.get_by_role("link", name="Allies meet in Washington").count() >= 1


def test_editor_writes_a_story_in_the_body_editor(live_server):
    call_command("sync_roles")  # transactional tests start from an empty database
    editor = UserFactory(username="browser-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    SectionFactory(name="World")
    story = ArticleFactory(draft=True, headline="Draft about the summit", body="<p>First paragraph.</p>")
    with chromium_browser() as browser:
        page = browser.new_page()
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "browser-editor")
        page.fill("#id_password", "correct-horse-battery")
        page.click("input[type=submit]")
        page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
        body_editor = page.locator(".ProseMirror:visible").first
        body_editor.locator("p").last.click()
        # Keys only reach the editor once it has focus and a selection; then go to the end.
        page.wait_for_function("() => document.activeElement?.classList.contains('ProseMirror')")
        at_end = "() => { const s = getSelection(); return !!s.focusNode && s.focusOffset === s.focusNode.length; }"
        for _ in range(10):  # a loaded machine can drop a key press while the editor settles
            page.keyboard.press("End")
            if page.evaluate(at_end):
                break
            page.wait_for_timeout(200)
        assert page.evaluate(at_end)
        page.keyboard.press("Enter")
        page.keyboard.type("A second paragraph typed by the editor.")
        # The editor writes through to the form's hidden textarea; save once it has.
        page.wait_for_function(
            "() => document.querySelector('textarea[name=body]').value.includes('typed by the editor')"
        )
        page.locator("input[name=_save]").first.click()
        page.wait_for_url("**/admin/articles/article/", timeout=60_000)
    story.refresh_from_db()
    assert "<p>A second paragraph typed by the editor.</p>" in story.body
    assert story.status == Article.Status.DRAFT
