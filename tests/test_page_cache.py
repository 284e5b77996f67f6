"""The anonymous whole-page cache: what it keeps, for whom, its headers, 304s and the CDN purge."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.preview import share_url
from articles.publishing import append_note, mark_updated
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

PURGE_PORT = 8543


def test_an_anonymous_page_is_served_from_the_cache_the_second_time(client):
    story = ArticleFactory()
    first = client.get(story.get_absolute_url())
    second = client.get(story.get_absolute_url())
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert first.content == second.content


def lifetimes_of(response):
    """(s-maxage, stale-while-revalidate) of a response's Cache-Control."""
    parts = dict(part.strip().partition("=")[::2] for part in response["Cache-Control"].split(","))
    return int(parts["s-maxage"]), int(parts["stale-while-revalidate"])


@pytest.mark.parametrize("path", ["story", "/", "/api/v1/stories"])
def test_no_shared_cache_may_keep_an_answer_past_the_next_clock_moment(client, path):
    """A story due in 20 s (like a licence end or an embargo lift) is no write a CDN purge could follow."""
    story = ArticleFactory(headline="Port strike talks resume")
    ArticleFactory(published_at=timezone.now() + timedelta(seconds=20))  # scheduled
    path = story.get_absolute_url() if path == "story" else path
    for response in (client.get(path), client.get(path)):  # built, then (pages) served from the cache
        s_maxage, stale = lifetimes_of(response)
        assert 18 <= s_maxage and s_maxage + stale <= 20, response["Cache-Control"]
        assert int(response.get("X-Accel-Expires", 0)) <= 1


def test_public_responses_say_how_shared_caches_may_keep_them(client, settings):
    story = ArticleFactory(tags=["rail"])
    response = client.get(story.get_absolute_url())
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "s-maxage=60", "stale-while-revalidate=30"} <= cache_control
    assert response["X-Accel-Expires"] == "1"
    keys = response["Surrogate-Key"].split()
    tag = story.tags.get()
    assert {"site", f"story-{story.pk}", f"section-{story.section_id}", f"tag-{tag.pk}", "top-stories"} <= set(keys)
    assert "home" in client.get("/")["Surrogate-Key"].split()
    assert f"section-{story.section_id}" in client.get(story.section.get_absolute_url())["Surrogate-Key"].split()
    assert "feeds" in client.get(reverse("reader:feed-latest-rss"))["Surrogate-Key"].split()


@pytest.mark.parametrize("path", ["/", "story", "/feeds/rss/", "/feeds/atom/", "/sitemap-news.xml"])
def test_a_reader_with_a_current_copy_gets_304(client, path):
    story = ArticleFactory()
    path = story.get_absolute_url() if path == "story" else path
    for _ in range(2):  # once built, once from the cache
        response = client.get(path)
        assert client.get(path, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
        assert client.get(path, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    story.headline = "A new headline"
    story.save()
    assert client.get(path, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200


def test_staff_are_never_served_or_stored_from_the_cache(client, admin_user):
    story = ArticleFactory()
    client.force_login(admin_user)
    assert "X-Page-Cache" not in client.get(story.get_absolute_url())
    client.logout()
    client.cookies.clear()
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "miss"


def test_previews_and_share_links_are_never_cached(client, admin_user):
    draft = ArticleFactory(draft=True)
    link = share_url(draft)
    for _ in range(2):
        response = client.get(link)
        assert response.status_code == 200 and "X-Page-Cache" not in response
    client.force_login(admin_user)
    assert "X-Page-Cache" not in client.get(reverse("reader:preview", args=[draft.pk]))


def test_a_page_cached_for_one_search_is_not_served_for_another(client):
    ArticleFactory(headline="Harbour bridge reopens")
    ArticleFactory(headline="Rail strike ends")
    assert "Harbour bridge" in client.get("/search/?q=harbour").content.decode()
    assert client.get("/search/?q=harbour")["X-Page-Cache"] == "hit"
    body = client.get("/search/?q=rail").content.decode()
    assert "Rail strike" in body and "Harbour bridge" not in body


@pytest.mark.parametrize("change", ["kill", "update", "correction", "section-rename", "tag-removed"])
def test_every_change_shows_on_the_next_request(client, change):
    story = ArticleFactory(headline="Harbour bridge reopens", tags=["bridges"])
    tag_url = f"/tag/{story.tags.get().slug}/"
    pages = ["/", story.section.get_absolute_url(), tag_url, story.get_absolute_url()]
    for path in pages:
        client.get(path)
    if change == "kill":
        Article.objects.filter(pk=story.pk).update(status=Article.Status.KILLED)
        assert all(story.slug not in client.get(path).content.decode() for path in pages[:3])
        assert client.get(story.get_absolute_url()).status_code == 404
    elif change == "update":
        story.headline = "Harbour bridge stays shut"
        story.save()
        assert all("Harbour bridge stays shut" in client.get(path).content.decode() for path in pages)
    elif change == "correction":
        append_note(story, kind="correction", text="The bridge is 2 km long, not 3.")
        assert "2 km long" in client.get(story.get_absolute_url()).content.decode()
    elif change == "section-rename":
        story.section.name = "Harbours"
        story.section.save()
        assert all(">Harbours</a>" in client.get(path).content.decode() for path in pages)
    else:
        story.tags.clear()
        assert story.slug not in client.get(tag_url).content.decode()


class PurgeRecorder(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        self.received.append((self.path, dict(self.headers)))
        body = json.dumps({"status": "ok"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fastly_on_localhost(settings):
    server = HTTPServer(("127.0.0.1", PURGE_PORT), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    PurgeRecorder.received = []
    settings.NEWSROOM_CDN_PURGE_BACKEND = "pagecache.purge.FastlyPurge"
    settings.NEWSROOM_CDN_API_URL = f"http://127.0.0.1:{PURGE_PORT}"
    settings.NEWSROOM_CDN_SERVICE_ID = "svc123"
    settings.NEWSROOM_CDN_API_TOKEN = "token-abc"
    yield PurgeRecorder.received
    server.shutdown()
    server.server_close()


def test_a_saved_story_is_purged_from_the_cdn_by_its_surrogate_keys(
    fastly_on_localhost, django_capture_on_commit_callbacks
):
    story = ArticleFactory(tags=["rail"])
    with django_capture_on_commit_callbacks(execute=True):
        story.status = Article.Status.KILLED
        story.save()
    path, headers = fastly_on_localhost[-1]
    assert path == "/service/svc123/purge"
    assert headers["Fastly-Key"] == "token-abc"
    keys = set(headers["Surrogate-Key"].split())
    assert {f"story-{story.pk}", f"section-{story.section_id}", f"tag-{story.tags.get().pk}", "home", "feeds"} <= keys


def test_a_fresh_updated_time_purges_the_story_from_the_cdn(fastly_on_localhost, django_capture_on_commit_callbacks):
    """mark_updated() once wrote through QuerySet.update(), which sends no signal: no purge."""
    story = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        mark_updated(story, timezone.now())
    assert fastly_on_localhost, "no purge was sent"
    path, headers = fastly_on_localhost[-1]
    assert {f"story-{story.pk}", "home", "feeds"} <= set(headers["Surrogate-Key"].split())


def test_a_section_change_purges_the_whole_site(fastly_on_localhost, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        SectionFactory(name="Science")
    assert fastly_on_localhost[-1][1]["Surrogate-Key"] == "site"


def test_a_cdn_that_is_down_does_not_fail_the_save(settings, django_capture_on_commit_callbacks):
    settings.NEWSROOM_CDN_PURGE_BACKEND = "pagecache.purge.FastlyPurge"
    settings.NEWSROOM_CDN_API_URL = f"http://127.0.0.1:{PURGE_PORT + 1}"  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory()
    assert Article.objects.filter(pk=story.pk).exists()
