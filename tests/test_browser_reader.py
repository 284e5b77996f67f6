"""In real chromium: a reader searches, reads (the beacon counts it), and signs up for the eNewsletter."""

import re
import time

import pytest
from django.core import mail

from newsletter.models import Subscriber
from readership.counting import flush_reads
from readership.models import ReadCount
from tests.browser import chromium_browser
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# A desktop browser's User-Agent: headless chromium's own says "HeadlessChrome" and counts as a bot.
DESKTOP_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"


def test_reader_searches_reads_and_subscribes(live_server):
    story = ArticleFactory(headline="Lantern festival lights the river", body="<p>Boats carry paper lanterns.</p>")
    ArticleFactory(headline="Council meets on Tuesday")
    with chromium_browser() as browser:
        page = browser.new_context(user_agent=DESKTOP_UA).new_page()
        page.goto(live_server.url + "/")
        page.fill("#site-search-q", "lanterns")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=lanterns")
        assert page.locator(".search-result mark").first.inner_text().lower().startswith("lantern")

        with page.expect_response("**/readership/read/") as beacon:
            page.get_by_role("link", name="Lantern festival lights the river").click()
        assert beacon.value.status == 204

        page.fill("#newsletter-email", "reader@example.com")
        page.locator(".newsletter-form button").click()
        page.wait_for_url("**/newsletter/check-your-email/")
        link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
        page.goto(live_server.url + "/" + link.split("/", 3)[3])
        page.get_by_role("button", name="Yes, send me the eNewsletter").click()
        assert page.locator("h1").inner_text() == "You're subscribed"
    # ORM calls stay outside the Playwright block: inside it they would open a second connection.
    flush_reads(now=time.time() + 600)  # as the next minute's flush would
    assert ReadCount.objects.get(article=story).reads == 1
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
