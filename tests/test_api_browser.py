"""In real chromium, under the site's enforced Content-Security-Policy: the API docs page lists every endpoint."""
import pytest

from tests.browser import chromium_browser
from tests.test_api_schema import ENDPOINTS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_docs_page_lists_every_endpoint(live_server):
    with chromium_browser() as browser:
        page = browser.new_page()
        blocked = []
        page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text
                and "script" in message.text else None)
        page.goto(live_server.url + "/api/v1/docs")
        page.wait_for_selector(".opblock-summary-path", timeout=20000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert sorted(p.replace("\u200b", "").strip() for p in paths) == sorted(ENDPOINTS)
        assert blocked == []
