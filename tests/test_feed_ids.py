"""Feed item ids (RSS <guid>, Atom <id>) survive slug and date changes; older stories keep their URL id."""

from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def entry_ids(client, name):
    return [entry.id for entry in feedparser.parse(client.get(reverse(name)).content).entries]


@pytest.mark.parametrize("feed", ["reader:feed-latest-rss", "reader:feed-latest-atom"])
def test_a_story_keeps_its_feed_id_when_its_slug_and_date_change(client, settings, feed):
    settings.NEWSROOM_FEED_PERMANENT_IDS_SINCE = timezone.now() - timedelta(days=10)
    story = ArticleFactory(published_at=timezone.now() - timedelta(hours=1))
    before = entry_ids(client, feed)
    assert before[0].startswith("tag:") and before[0].endswith(f":story-{story.pk}")
    story.slug = "a-new-slug"
    story.published_at -= timedelta(days=2)  # the URL's date changes too
    story.save()
    assert entry_ids(client, feed) == before


def test_stories_first_published_before_the_change_keep_their_url_as_id(client, settings):
    story = ArticleFactory(published_at=settings.NEWSROOM_FEED_PERMANENT_IDS_SINCE - timedelta(days=3))
    assert entry_ids(client, "reader:feed-latest-rss") == [f"{settings.NEWSROOM_SITE_URL}{story.get_absolute_url()}"]
    body = client.get(reverse("reader:feed-latest-rss")).content.decode()
    assert '<guid isPermaLink="true">' in body or "<guid>" in body
