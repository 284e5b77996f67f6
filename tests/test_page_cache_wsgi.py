"""Hot hits answered in front of Django (pagecache/wsgi.py), through the WSGI application gunicorn runs.

A hot hit must be exactly the hit the middleware would give (same page, same stored headers, a
request id of its own, checked against the shared generation) without running Django; everything
it cannot answer as is goes to Django unchanged. Cross-process cases (two gunicorn servers, a kill
from a third process) are in test_cache_coherence.py, which serves through this same application.
"""

import os
import socket
import subprocess
import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.publishing import set_status
from newsroom.settings import redis_cache
from pagecache import hot, push
from pagecache.generation import LEASES_KEY, read_generation
from pagecache.wsgi import HotHits
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("TEST_TASKS_REDIS_URL", "redis://127.0.0.1:6379/6")


@pytest.fixture(autouse=True)
def shared_cache(settings):
    settings.CACHES = {
        **django_settings.CACHES,
        # As production has it: failing open (a Redis error reads as a miss).
        "default": redis_cache(REDIS_URL, f"test-wsgi-{uuid.uuid4().hex[:8]}"),
    }
    yield
    cache.clear()


class CountingDjango:
    """Django's WSGI handler, counting the requests that reached it."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.handler(environ, start_response)


@pytest.fixture
def app():
    return HotHits(CountingDjango())


def get(app, path, method="GET", **headers):
    path, _, query = path.partition("?")
    headers.setdefault("HTTP_HOST", "testserver")
    environ = RequestFactory()._base_environ(PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD=method, **headers)
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer.update(status=int(status.split()[0]), headers=dict(response_headers))

    body = app(environ, start_response)
    try:
        answer["body"] = b"".join(body).decode()
    finally:
        getattr(body, "close", lambda: None)()
    return answer


def served_by_django(app, path, **headers):
    before = app.application.calls
    answer = get(app, path, **headers)
    return app.application.calls > before, answer


def warm(app, path):
    """A request that stores the page (or finds it), then a hot hit answered without Django."""
    assert get(app, path)["headers"]["X-Page-Cache"] in ("miss", "hit")
    reached_django, answer = served_by_django(app, path)
    assert not reached_django and answer["headers"]["X-Page-Cache"] == "hit", path
    return answer


def test_a_hot_hit_skips_django_and_the_database_but_is_the_same_page(app):
    story = ArticleFactory(headline="Ferry timetable changes")
    url = story.get_absolute_url()
    miss = get(app, url)
    with CaptureQueriesContext(connection) as queries:
        reached_django, hit = served_by_django(app, url)
    assert not reached_django and len(queries) == 0
    assert hit["status"] == 200 and hit["body"] == miss["body"] and "Ferry timetable changes" in hit["body"]
    for header in ("Content-Type", "ETag", "Last-Modified", "Cache-Control", "X-Accel-Expires", "Surrogate-Key",
                   "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert hit["headers"][header] == miss["headers"][header], header
    assert hit["headers"]["X-Request-ID"] != miss["headers"]["X-Request-ID"]
    # nginx's request id is kept, as RequestLogMiddleware keeps it.
    assert get(app, url, HTTP_X_REQUEST_ID="nginx-abc123")["headers"]["X-Request-ID"] == "nginx-abc123"
    assert len(get(app, url, HTTP_X_REQUEST_ID="bad id\x00")["headers"]["X-Request-ID"]) == 32


@pytest.mark.parametrize("how", ["set_status", "update"])
def test_a_kill_reaches_the_next_request_on_every_page(app, admin_user, how):
    story = ArticleFactory(headline="Harbour bridge reopens", tags=["bridges"])
    pages = ["/", story.section.get_absolute_url(), f"/tag/{story.tags.get().slug}/", "/feeds/rss/"]
    for path in [*pages, story.get_absolute_url()]:
        assert story.slug in warm(app, path)["body"]
    if how == "set_status":
        set_status(story, Article.Status.KILLED, by=admin_user)
    else:
        Article.objects.filter(pk=story.pk).update(status=Article.Status.KILLED)
    for path in pages:
        reached_django, answer = served_by_django(app, path)
        assert reached_django and answer["headers"]["X-Page-Cache"] == "miss", path
        assert story.slug not in answer["body"], path
    assert get(app, story.get_absolute_url())["status"] == 404


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_COOKIE": f"{django_settings.SESSION_COOKIE_NAME}=abc"},
        {"HTTP_AUTHORIZATION": "Bearer x"},
        {"HTTP_IF_NONE_MATCH": '"abc"'},
        {"HTTP_IF_MODIFIED_SINCE": "Tue, 01 Dec 2026 10:00:00 GMT"},
    ],
    ids=["session-cookie", "authorization", "if-none-match", "if-modified-since"],
)
def test_what_a_hot_hit_cannot_answer_goes_to_django(app, headers):
    story = ArticleFactory()
    url = story.get_absolute_url()
    etag = warm(app, url)["headers"]["ETag"]
    reached_django, answer = served_by_django(app, url, **headers)
    assert reached_django
    if "HTTP_COOKIE" in headers or "HTTP_AUTHORIZATION" in headers:
        assert "X-Page-Cache" not in answer["headers"]  # never the anonymous copy
    if "HTTP_IF_NONE_MATCH" in headers:  # the reader's copy is current: the middleware answers 304
        reached_django, answer = served_by_django(app, url, HTTP_IF_NONE_MATCH=etag)
        assert reached_django and answer["status"] == 304


def test_other_cookies_still_get_the_hot_copy(app):
    url = ArticleFactory().get_absolute_url()
    warm(app, url)
    reached_django, answer = served_by_django(app, url, HTTP_COOKIE="consent=yes; theme=dark")
    assert not reached_django and answer["headers"]["X-Page-Cache"] == "hit"


def test_a_host_django_refuses_is_refused_by_django(app):
    url = ArticleFactory().get_absolute_url()
    warm(app, url)
    reached_django, answer = served_by_django(app, url, HTTP_HOST="evil.example")
    assert reached_django and answer["status"] == 400


def test_a_path_that_is_not_utf8_goes_to_django(app):
    reached_django, answer = served_by_django(app, "/caf\xe9/")  # a latin-1 byte, as a WSGI server passes it
    assert reached_django and answer["status"] == 404


def test_a_changed_page_and_a_near_clock_moment_go_to_django(app):
    story = ArticleFactory(headline="Tram line extended")
    url = story.get_absolute_url()
    warm(app, url)
    Article.objects.filter(pk=story.pk).update(headline="Tram line extension delayed")
    reached_django, answer = served_by_django(app, url)
    assert reached_django and "Tram line extension delayed" in answer["body"]
    warm(app, url)
    # A story due in a minute: every shared cache must give the page up by then, so the stored
    # lifetimes are shortened on each hit, which the middleware does.
    scheduled = ArticleFactory(scheduled=True)
    Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() + timedelta(seconds=60))
    get(app, url)  # the new generation's miss
    reached_django, answer = served_by_django(app, url)
    assert reached_django and answer["headers"]["X-Page-Cache"] == "hit"
    assert "s-maxage=" in answer["headers"]["Cache-Control"]


def test_without_hot_copies_or_without_redis_every_request_goes_to_django(app, settings):
    url = ArticleFactory().get_absolute_url()
    settings.NEWSROOM_PAGE_HOT_ENTRIES = 0
    get(app, url)
    reached_django, answer = served_by_django(app, url)
    assert reached_django and answer["headers"]["X-Page-Cache"] == "hit"
    settings.NEWSROOM_PAGE_HOT_ENTRIES = 200
    warm(app, url)
    # Redis goes away: the hot copy cannot be checked, so Django answers (and degrades as it does).
    settings.CACHES = {**settings.CACHES, "default": redis_cache("redis://127.0.0.1:1/0", "gone")}
    reached_django, answer = served_by_django(app, url)
    assert reached_django and answer["status"] == 200
    hot.pages.clear()


# --- the generation pushed under a lease (pagecache/push.py) ---------------------------------------


@pytest.fixture
def redis_gets(monkeypatch):
    """How many times a hot hit read the generation from Redis (the real read, counted)."""
    calls = []
    real = push.fetch_shared_generation

    def counted():
        calls.append(1)
        return real()

    monkeypatch.setattr(push, "fetch_shared_generation", counted)
    return lambda: len(calls)


def leased_listener():
    """This process's listener once its lease holds (it starts on the first hot-hit check)."""
    listener = push.listener()
    deadline = time.monotonic() + 5
    while listener.trusted_epoch() is None:
        assert time.monotonic() < deadline, "the listener never got its lease"
        time.sleep(0.01)
    return listener


def test_with_its_lease_a_process_answers_hot_hits_without_asking_redis(app, redis_gets):
    story = ArticleFactory(headline="Night buses return")
    url = story.get_absolute_url()
    warm(app, url)
    leased_listener()
    warm(app, url)  # remembers the generation it read while the lease held
    gets = redis_gets()
    for _ in range(20):
        reached_django, answer = served_by_django(app, url)
        assert not reached_django and "Night buses return" in answer["body"]
    assert redis_gets() == gets


def test_a_write_returns_only_once_every_lease_holder_has_its_generation(app, redis_gets):
    story = ArticleFactory(headline="Harbour tunnel opens")
    url = story.get_absolute_url()
    warm(app, url)
    listener = leased_listener()
    Article.objects.filter(pk=story.pk).update(status=Article.Status.KILLED)
    # The UPDATE has returned: this process was pushed the new generation before it did.
    assert listener.current().counter == read_generation().counter
    gets = redis_gets()
    reached_django, answer = served_by_django(app, url)
    assert reached_django and answer["status"] == 404
    assert redis_gets() == gets  # known without asking Redis


def test_a_lease_holder_that_never_answers_delays_a_write_by_at_most_its_lease(app, settings):
    story = ArticleFactory(headline="Ferry fares frozen")
    url = story.get_absolute_url()
    warm(app, url)
    leased_listener()
    redis = cache.client.get_client(write=True)
    seconds, _micro = redis.time()
    redis.zadd(cache.make_key(LEASES_KEY), {"a-process-that-died": seconds * 1000 + 800})
    started = time.monotonic()
    Article.objects.filter(pk=story.pk).update(headline="Ferry fares rise")
    waited = time.monotonic() - started
    # Until the dead lease ended (0.8 s), not until this process's live one would have (2 s).
    assert waited < 1.5
    reached_django, answer = served_by_django(app, url)
    assert reached_django and "Ferry fares rise" in answer["body"]
    # The dead lease has ended: the next write does not wait for it.
    started = time.monotonic()
    Article.objects.filter(pk=story.pk).update(headline="Ferry fares rise again")
    assert time.monotonic() - started < 0.5


def test_without_its_lease_a_process_asks_redis_and_stays_exact(app, redis_gets):
    story = ArticleFactory(headline="Bridge tolls end")
    url = story.get_absolute_url()
    warm(app, url)
    leased_listener().stop()  # as if its renewals failed: it no longer trusts its copy
    gets = redis_gets()
    reached_django, _ = served_by_django(app, url)
    assert redis_gets() > gets
    Article.objects.filter(pk=story.pk).update(headline="Bridge tolls return")
    reached_django, answer = served_by_django(app, url)
    assert reached_django and "Bridge tolls return" in answer["body"]


@pytest.fixture
def own_redis(settings, tmp_path):
    """A Redis of this test's own, which it may stop (by its PID)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    settings.CACHES = {**settings.CACHES, "default": redis_cache(f"redis://127.0.0.1:{port}/0", "own")}
    yield server
    if server.poll() is None:
        server.terminate()
    server.wait(timeout=10)


def test_a_kill_while_redis_is_stopped_shows_at_once_on_a_leased_process(app, own_redis):
    story = ArticleFactory(headline="Airport rail link approved")
    url = story.get_absolute_url()
    warm(app, url)
    leased_listener()
    warm(app, url)
    own_redis.terminate()  # its connections close: the listener drops its lease at once
    own_redis.wait(timeout=10)
    Article.objects.filter(pk=story.pk).update(status=Article.Status.KILLED)  # cannot be published
    reached_django, answer = served_by_django(app, url)
    assert reached_django and answer["status"] == 404
