"""Under the enforced Content-Security-Policy, real chromium reports no violations on public or admin pages."""
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from tests.browser import chromium_browser
from tests.factories import ArticleFactory, CaptionFactory, PhotoFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# Collected in the page itself: every violation the browser reports, blocked or not.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
    e => window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} in ${e.sourceFile}`));
"""


def violations_on(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__cspViolations")


def test_public_pages_and_the_story_editor_run_without_csp_violations(live_server, settings):
    call_command("sync_roles")  # transactional tests start from an empty database
    editor = UserFactory(username="csp-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    story = ArticleFactory(headline="Harbour cranes arrive", section=SectionFactory(name="Business"), tags=["Port"])
    CaptionFactory(article=story, photo=PhotoFactory())
    with chromium_browser() as browser:
        page = browser.new_page()
        page.add_init_script(WATCH_VIOLATIONS)
        for path in ("/", story.get_absolute_url(), "/section/business/", "/tag/port/"):
            assert violations_on(page, live_server.url + path) == [], path

        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "csp-editor")
        page.fill("#id_password", "correct-horse-battery")
        page.click("input[type=submit]")
        assert violations_on(page, f"{live_server.url}/admin/articles/article/{story.pk}/change/") == []
        # The body editor (an import map and ES modules from static) came up and takes typing.
        body_editor = page.locator(".ProseMirror:visible").first
        body_editor.click()
        page.wait_for_function("() => document.activeElement?.classList.contains('ProseMirror')")
        page.keyboard.type(" More to come.")
        assert "More to come." in body_editor.inner_text()
        assert page.evaluate("window.__cspViolations") == []
        assert violations_on(page, f"{live_server.url}/admin/articles/article/") == []
