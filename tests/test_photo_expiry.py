"""A live story's photo leaves every public surface at its licence end, by the clock, caches included."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from articles import images
from tests.factories import ArticleFactory, CaptionFactory, PhotoFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
EXPIRY = NOON + timedelta(minutes=30)


def surfaces(story):
    return {
        "page": story.get_absolute_url(),
        "home": reverse("reader:home"),
        "section": story.section.get_absolute_url(),
        "rss": reverse("reader:feed-latest-rss"),
        "atom": reverse("reader:feed-latest-atom"),
        "section rss": reverse("reader:feed-section-rss", args=[story.section.slug]),
        "sitemap images": reverse("reader:sitemap-section", args=["articles"]),
        "api story": f"/api/v1/stories/{story.pk}",
        "api list": "/api/v1/stories",
        "api ninjs": f"/api/v1/stories/{story.pk}.ninjs",
        "api photos": "/api/v1/photos",
        "api front": "/api/v1/front",
    }


# Surfaces that list photos or sitemaps' entries, not the story's text.
NO_HEADLINE = {"sitemap images", "api photos"}


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def news_article(html):
    return next(block for block in json_ld(html) if block.get("@type") == "NewsArticle")


@pytest.fixture
def live_story_with_expiring_photo():
    with time_machine.travel(NOON - timedelta(hours=2), tick=False):
        story = ArticleFactory(headline="Harbour plan approved", published_at=NOON - timedelta(hours=1))
        photo = PhotoFactory(expires_at=EXPIRY)
        CaptionFactory(article=story, photo=photo, caption="The harbour at dawn.")
        inline = PhotoFactory()  # no licence end: stays
        CaptionFactory(article=story, photo=inline, role="inline", position=1)
        # The expiring photo is also placed inside the body (a <figure data-photo> reference).
        story.body += f'<figure data-photo="{photo.pk}"></figure><p>More from the harbour.</p>'
        story.save()
    return story, photo, inline


def test_expired_photo_leaves_page_lists_feeds_sitemap_and_json_ld_at_its_time(client, live_story_with_expiring_photo):
    story, photo, inline = live_story_with_expiring_photo
    marker = images.rendition_prefix(photo)
    with time_machine.travel(EXPIRY - timedelta(seconds=5), tick=False):
        before = {name: client.get(url).content.decode() for name, url in surfaces(story).items()}
    for name, body in before.items():
        assert marker in body, f"{name} should show the photo before its licence ends"
    assert marker in json.dumps(news_article(before["page"])["image"])
    # One second past the licence end: the same URLs, with every cache still warm.
    with time_machine.travel(EXPIRY + timedelta(seconds=1), tick=False):
        after = {name: client.get(url) for name, url in surfaces(story).items()}
    for name, response in after.items():
        assert response.status_code == 200, name
        body = response.content.decode()
        assert marker not in body, f"{name} still shows the expired photo"
        assert "Harbour plan approved" in body or name in NO_HEADLINE, name
    page = after["page"].content.decode()
    assert "The harbour at dawn." not in page
    assert images.rendition_prefix(inline) in page  # the unexpired inline photo stays
    assert "image" not in news_article(page)


def test_cached_feed_is_not_kept_past_the_next_photo_expiry(client, live_story_with_expiring_photo, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 3600
    story, photo, _inline = live_story_with_expiring_photo
    url = reverse("reader:feed-latest-rss")
    with time_machine.travel(EXPIRY - timedelta(minutes=10), tick=False):
        assert images.rendition_prefix(photo) in client.get(url).content.decode()
    with time_machine.travel(EXPIRY + timedelta(seconds=1), tick=False):
        assert images.rendition_prefix(photo) not in client.get(url).content.decode()


def test_a_photo_whose_embargo_lifts_appears_at_its_time(client):
    with time_machine.travel(NOON - timedelta(hours=1), tick=False):
        story = ArticleFactory(published_at=NOON - timedelta(minutes=30))
        photo = PhotoFactory(usable_from=NOON)
        CaptionFactory(article=story, photo=photo)
        assert images.rendition_prefix(photo) not in client.get(story.get_absolute_url()).content.decode()
    with time_machine.travel(NOON + timedelta(seconds=1), tick=False):
        assert images.rendition_prefix(photo) in client.get(story.get_absolute_url()).content.decode()


def test_photo_editor_shortening_a_licence_drops_cached_responses_at_once(client, live_story_with_expiring_photo):
    story, photo, _inline = live_story_with_expiring_photo
    url = reverse("reader:feed-latest-rss")
    with time_machine.travel(NOON, tick=False):
        assert images.rendition_prefix(photo) in client.get(url).content.decode()
        photo.expires_at = NOON - timedelta(seconds=1)
        photo.save()
        assert images.rendition_prefix(photo) not in client.get(url).content.decode()


def test_the_newsletter_never_carries_a_photo(live_story_with_expiring_photo):
    """The edition mail lists headlines and summaries only, so no licence can run out inside it."""
    from newsletter.models import Edition, Subscriber
    from newsletter.sending import build_message, edition_articles

    story, photo, inline = live_story_with_expiring_photo
    with time_machine.travel(EXPIRY - timedelta(seconds=5), tick=False):
        edition = Edition.objects.create(key="2026-03-02", subject="Top stories", article_ids=[story.pk])
        subscriber = Subscriber.objects.create(email="reader@example.com", confirmed_at=NOON)
        message = build_message(edition, edition_articles(edition), subscriber)
    mail = message.body + "".join(str(content) for content, _type in message.alternatives)
    assert "Harbour plan approved" in mail
    assert images.rendition_prefix(photo) not in mail and images.rendition_prefix(inline) not in mail
