"""The Top 10 cannot be gamed: reads count once per story per client address, a bounded number per
address per window, and only for stories readers can see (reads of other ids are never stored)."""
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from readership import counting
from readership.models import ReadCount
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

LATER = 10_000


def browser(n=0):
    return f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.{n} Safari/537.36"


def beacon(client, article_id, ip="203.0.113.7", ua=None):
    return client.post(
        reverse("readership:beacon"), {"article": article_id}, HTTP_USER_AGENT=ua or browser(), REMOTE_ADDR=ip
    )


def flush_all():
    return counting.flush_reads(now=timezone.now().timestamp() + LATER)


def counter_keys():
    """Read counters and journals waiting in the (local-memory) cache."""
    return [key for key in cache._cache if ":reads:b:" in key]


def test_a_new_user_agent_per_hit_from_one_address_counts_once(client):
    story = ArticleFactory()
    for n in range(300):
        assert beacon(client, story.pk, ua=browser(n)).status_code == 204
    flush_all()
    assert ReadCount.objects.get(article=story).reads == 1


def test_reads_from_one_address_are_bounded_per_window(client, settings):
    settings.NEWSROOM_READS_RATE = "5/h"
    stories = ArticleFactory.create_batch(8)
    for story in stories:
        assert beacon(client, story.pk).status_code == 204
    beacon(client, stories[-1].pk, ip="198.51.100.4")  # another address still counts
    flush_all()
    assert sum(ReadCount.objects.values_list("reads", flat=True)) == 6


@pytest.mark.parametrize(
    "state",
    [
        {"status": "draft", "published_at": None},
        {"published_at": timezone.now() + timedelta(days=1)},
        {"status": "killed"},
        {"embargo_until": timezone.now() + timedelta(hours=3)},
    ],
    ids=["draft", "scheduled", "killed", "embargoed"],
)
def test_reads_of_stories_readers_cannot_see_are_not_stored(client, state):
    story = ArticleFactory(**state)
    assert beacon(client, story.pk).status_code == 204
    assert counter_keys() == []
    assert flush_all() == 0
    assert not ReadCount.objects.exists()


def test_reads_of_ids_that_name_no_story_are_not_stored(client):
    for article_id in (987654, 2, 2**62):
        assert beacon(client, article_id).status_code == 204
    assert counter_keys() == []


def test_a_killed_story_stops_counting_at_once(client):
    story = ArticleFactory()
    beacon(client, story.pk)
    story.status = story.Status.KILLED
    story.save()
    beacon(client, story.pk, ip="198.51.100.5")
    flush_all()
    # Only stories public at flush time are stored (the beacon's own check is cached a minute).
    assert not ReadCount.objects.filter(article=story).exists()
