"""The cache-hit path with Redis: no query, nothing of the stack below it, and still exact.

With a shared cache the content generation is read from Redis in the same round trip as the page
(pagecache/generation.py), and every write publishes the new one as its transaction commits. These
tests commit for real (transactional_db) so the publishing runs as it does in production; the
cross-process cases (two gunicorn servers, a third process writing) are in test_cache_coherence.py.
"""

import os
import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from articles.publishing import set_status
from pagecache import hot
from pagecache.generation import SHARED_KEY, Generation, publish, read_generation
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("TEST_TASKS_REDIS_URL", "redis://127.0.0.1:6379/6")


@pytest.fixture(autouse=True)
def shared_cache(settings):
    """The default cache in Redis (as in production), under a prefix of this test's own."""
    settings.CACHES = {
        **django_settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-hits-{uuid.uuid4().hex[:8]}",
        },
    }
    yield
    cache.clear()


def cached_twice(client, path):
    client.get(path)
    response = client.get(path)
    assert response["X-Page-Cache"] == "hit", path
    return response


def test_a_hit_makes_no_query_and_runs_nothing_below_the_page_cache(client, django_assert_num_queries):
    story = ArticleFactory(headline="Ferry timetable changes")
    cached_twice(client, story.get_absolute_url())
    with django_assert_num_queries(0):
        response = client.get(story.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    assert "Ferry timetable changes" in response.content.decode()
    # Sessions, auth and messages never ran for it.
    assert not hasattr(response.wsgi_request, "session") and not hasattr(response.wsgi_request, "user")


def test_a_hit_carries_the_headers_the_stack_added_but_not_the_requests_own(client):
    story = ArticleFactory()
    first = client.get(story.get_absolute_url())
    hit = client.get(story.get_absolute_url())
    for header in ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Cache-Control", "ETag",
                   "Surrogate-Key"):
        assert hit[header] == first[header], header
    assert hit["X-Request-ID"] != first["X-Request-ID"]  # each request its own id, never the stored one
    assert not hit.cookies


@pytest.mark.parametrize("how", ["set_status", "update", "atomic-update"])
def test_a_kill_changes_every_cached_page_on_the_next_request(client, admin_user, how):
    story = ArticleFactory(headline="Harbour bridge reopens", tags=["bridges"])
    pages = ["/", story.section.get_absolute_url(), f"/tag/{story.tags.get().slug}/", "/feeds/rss/"]
    for path in [*pages, story.get_absolute_url()]:
        assert story.slug in cached_twice(client, path).content.decode()
    if how == "set_status":
        set_status(story, Article.Status.KILLED, by=admin_user)
    elif how == "update":  # autocommit: published right after the statement
        Article.objects.filter(pk=story.pk).update(status=Article.Status.KILLED)
    else:
        with transaction.atomic():
            Article.objects.filter(pk=story.pk).update(status=Article.Status.KILLED)
    for path in pages:
        response = client.get(path)
        assert response["X-Page-Cache"] == "miss" and story.slug not in response.content.decode(), path
    assert client.get(story.get_absolute_url()).status_code == 404


def test_a_rolled_back_write_publishes_nothing(client):
    story = ArticleFactory(headline="Night trains return")
    cached_twice(client, story.get_absolute_url())
    before = cache.get(SHARED_KEY)
    with pytest.raises(RuntimeError), transaction.atomic():
        Article.objects.filter(pk=story.pk).update(headline="Never published")
        raise RuntimeError
    assert cache.get(SHARED_KEY) == before
    response = client.get(story.get_absolute_url())
    assert response["X-Page-Cache"] == "hit" and "Night trains return" in response.content.decode()


def test_staff_and_session_cookies_never_get_the_anonymous_copy(client, admin_user):
    story = ArticleFactory()
    cached_twice(client, story.get_absolute_url())
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "not-a-real-session"
    assert "X-Page-Cache" not in client.get(story.get_absolute_url())
    client.cookies.clear()
    client.force_login(admin_user)
    response = client.get(story.get_absolute_url())
    assert "X-Page-Cache" not in response and response.wsgi_request.user == admin_user


def test_the_shared_generation_never_goes_back():
    ArticleFactory()
    newer = read_generation()
    older = Generation(value="0.old", counter=newer.counter - 1, read_at=time.time(), valid_until=newer.valid_until)
    publish(newer)
    publish(older)
    assert cache.get(SHARED_KEY) == newer
    same_counter_earlier = Generation(value="x", counter=newer.counter, read_at=newer.read_at - 1,
                                      valid_until=newer.valid_until)
    publish(same_counter_earlier)
    assert cache.get(SHARED_KEY) == newer


def test_a_scheduled_story_limits_how_long_the_generation_holds(client):
    due = timezone.now() + timedelta(seconds=2)
    story = ArticleFactory(headline="Ferry strike called off", scheduled=True)
    Article.objects.filter(pk=story.pk).update(published_at=due)
    generation = read_generation()
    assert generation.valid_until == pytest.approx(due.timestamp(), abs=0.001)
    cached_twice(client, "/")
    assert story.slug not in client.get("/").content.decode()
    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 0.1)
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss" and story.slug in response.content.decode()


def test_a_hot_copy_is_served_only_under_the_shared_generation(client):
    """Each process keeps the pages it served (pagecache/hot.py); Redis then sends only the generation."""
    story = ArticleFactory(headline="Tram line extended")
    url = story.get_absolute_url()
    cached_twice(client, url)
    cache.delete_many([key for key in cache.keys("page:*")])  # Redis no longer holds the page
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit" and "Tram line extended" in response.content.decode()
    assert response["X-Request-ID"] != client.get(url)["X-Request-ID"]  # a fresh response every time
    # Another process's write moves the shared generation: the hot copy no longer counts.
    Article.objects.filter(pk=story.pk).update(headline="Tram line extension delayed")
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss" and "Tram line extension delayed" in response.content.decode()


def test_hot_copies_are_bounded_and_can_be_turned_off(client, settings):
    stories = ArticleFactory.create_batch(3)
    settings.NEWSROOM_PAGE_HOT_ENTRIES = 2
    for story in stories:
        client.get(story.get_absolute_url())
    assert len(hot.pages._entries) == 2  # the least recently served went first
    hot.pages.clear()
    settings.NEWSROOM_PAGE_HOT_ENTRIES = 0
    cached_twice(client, stories[0].get_absolute_url())
    assert not hot.pages._entries
