"""Redis unreachable: every surface answers as usual, uncached; the failure is logged once per interval.

The cache is the project's own production configuration (newsroom.settings.cache_settings) pointed at
a port nothing listens on, so each cache call really fails inside django-redis.
"""
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.urls import reverse

from newsroom.logs import OncePerInterval
from newsroom.settings import cache_settings
from tests.factories import ArticleFactory
from tests.test_accounts_two_factor import current_code, with_totp
from tests.workflow_helpers import desk_user

pytestmark = pytest.mark.django_db

NOTHING_LISTENS = "redis://127.0.0.1:1/0"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"


@pytest.fixture
def redis_down(settings, media_folders):
    settings.CACHES = cache_settings(NOTHING_LISTENS)
    yield
    for alias in settings.CACHES:
        caches[alias].close()


@pytest.fixture
def media_folders(settings):
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    settings.PRIVATE_MEDIA_ROOT.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def story():
    return ArticleFactory(headline="Harbour plan approved", body="<p>The harbour plan was approved.</p>")


def test_the_cache_really_is_unreachable(redis_down):
    caches["default"].set("probe", 1)
    assert caches["default"].get("probe") is None


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search/?q=harbour",
        "/feeds/rss/",
        "/feeds/atom/",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/robots.txt",
        "/newsletter/",
        "/accounts/login/",  # the desk's sign-in page (/admin/login/ redirects there)
    ],
)
def test_public_pages_answer_while_redis_is_down(client, redis_down, story, path):
    response = client.get(path)
    assert response.status_code == 200


def test_story_page_and_its_content_are_served_uncached(client, redis_down, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert "Harbour plan approved" in response.content.decode()
    assert "Harbour plan approved" in client.get("/").content.decode()
    assert "Harbour plan approved" in client.get("/search/?q=harbour").content.decode()
    assert "Harbour plan approved" in client.get("/feeds/rss/").content.decode()


def test_a_killed_story_leaves_the_pages_at_once_while_redis_is_down(client, redis_down, story):
    assert "Harbour plan approved" in client.get("/feeds/rss/").content.decode()
    story.status = story.Status.KILLED
    story.save()
    assert "Harbour plan approved" not in client.get("/feeds/rss/").content.decode()
    assert "Harbour plan approved" not in client.get("/").content.decode()


def test_newsletter_sign_up_answers_while_redis_is_down(client, redis_down):
    response = client.post("/newsletter/", {"email": "reader@example.com"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302


def test_read_beacon_answers_while_redis_is_down(client, redis_down, story):
    response = client.post(reverse("readership:beacon"), {"article": story.pk}, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 204


def test_staff_sign_in_works_and_the_session_holds_while_redis_is_down(client, redis_down):
    get_user_model().objects.create_superuser("desk", "desk@example.com", "a-long-test-password")
    response = client.post("/accounts/login/?next=/admin/", {"login": "desk", "password": "a-long-test-password"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200  # the session was stored without the cache
    assert client.get("/admin/articles/article/").status_code == 200


def test_an_editor_signs_in_with_an_authenticator_code_while_redis_is_down(client, redis_down, settings):
    # In production Editors and Admins must use a second factor: an outage must not lock them out.
    settings.NEWSROOM_2FA_REQUIRED_ROLES = ["Editor", "Admin"]
    secret = with_totp(desk_user("Editor"))
    client.post("/accounts/login/?next=/admin/", {"login": "editor", "password": "correct-horse-battery"})
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_readyz_says_degraded_but_keeps_the_replica_in_service(client, redis_down):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["failing"] == ["cache"]
    assert body["checks"] == {"database": "ok", "cache": "CacheUnavailable", "media": "ok"}


def test_the_outage_is_logged_once_per_interval_not_per_call(client, redis_down, story, caplog):
    (once,) = [f for f in logging.getLogger("newsroom.cache").filters if isinstance(f, OncePerInterval)]
    once.reset()  # earlier tests' outages were logged already
    with caplog.at_level(logging.ERROR, logger="newsroom.cache"):
        for _ in range(5):
            assert client.get("/").status_code == 200
    records = [r for r in caplog.records if r.name == "newsroom.cache"]
    assert len(records) == 1
    assert records[0].exc_info  # the Redis error itself is in the log


def test_the_filter_lets_the_next_record_through_after_the_interval_and_counts_the_rest():
    now = [100.0]
    once = OncePerInterval(seconds=60, clock=lambda: now[0])
    record = logging.LogRecord("newsroom.cache", logging.ERROR, __file__, 1, "Exception ignored", None, None)
    assert [once.filter(record) for _ in range(4)] == [True, False, False, False]
    now[0] += 61
    assert once.filter(record)
    assert record.getMessage() == "Exception ignored (3 like it in the last 60 s not logged)"
