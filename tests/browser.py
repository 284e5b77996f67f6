"""Playwright driving Debian's chromium (never a downloaded browser)."""
import os
import shutil
from contextlib import contextmanager

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Where the browser tests leave screenshots (docs/screenshots/ was made this way); unset: none taken.
SCREENSHOTS = os.environ.get("NEWSROOM_TEST_SCREENSHOTS", "")
# The machine has no network: keep chromium from calling home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"chromium not installed at {CHROMIUM} (apt-get install chromium)")


@contextmanager
def chromium_browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test around it are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def signed_in_page(browser, base_url, username, password="correct-horse-battery", viewport=None):
    """A page in its own browser context (its own cookies: a second person) signed in to the desk."""
    context = browser.new_context(viewport=viewport) if viewport else browser.new_context()
    page = context.new_page()
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def screenshot(page, name, full_page=True):
    """`name`.png in NEWSROOM_TEST_SCREENSHOTS, when that folder is set and exists."""
    if SCREENSHOTS and os.path.isdir(SCREENSHOTS):
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=full_page)
