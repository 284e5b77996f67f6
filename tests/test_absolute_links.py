"""Every absolute link is on the site's address: NEWSROOM_SITE_URL, else the request's host (development)."""

import re
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from articles.admin.reference import public_page
from newsroom.links import DEFAULT_SITE_URL, absolute_url, site_url
from tests.api_helpers import full_story
from tests.factories import ArticleFactory, SectionFactory
from tests.workflow_helpers import desk_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

SITE = "https://news.example"
DEV = {"HTTP_HOST": "127.0.0.1:8123"}
DEV_URL = "http://127.0.0.1:8123"


@pytest.fixture
def configured(settings):
    settings.NEWSROOM_SITE_URL = SITE


@pytest.fixture
def unset(settings):
    settings.NEWSROOM_SITE_URL = ""


def own_links(text, base):
    """The absolute links in `text` that point at our site (not schemas, namespaces or agencies)."""
    return [url for url in re.findall(r"https?://[^\s\"'<>]+", text) if "127.0.0.1" in url or "example" in url
            or "testserver" in url or url.startswith(base)]


@pytest.mark.usefixtures("unset")
def test_without_the_setting_links_follow_the_requests_host(client):
    story = ArticleFactory(headline="Harbour reopens")
    url = story.get_absolute_url()
    page = client.get(url, **DEV).content.decode()
    assert f'<link rel="canonical" href="{DEV_URL}{url}">' in page
    assert f'<meta property="og:url" content="{DEV_URL}{url}">' in page
    for feed_url in ["/feeds/rss/", "/feeds/atom/", "/sitemap.xml", f"/sitemap-{story.section.slug}.xml",
                     "/sitemap-news.xml", "/robots.txt"]:
        body = client.get(feed_url, **DEV).content.decode()
        links = own_links(body, DEV_URL)
        assert links, feed_url
        assert all(link.startswith(DEV_URL) for link in links), (feed_url, links)


@pytest.mark.usefixtures("unset")
def test_without_the_setting_api_urls_follow_the_requests_host(client):
    story = full_story()
    data = client.get(f"/api/v1/stories/{story.pk}", **DEV).json()
    assert data["url"] == f"{DEV_URL}{story.get_absolute_url()}"
    assert data["api_url"] == f"{DEV_URL}/api/v1/stories/{story.pk}"
    links = own_links(str(data), DEV_URL)
    assert all(link.startswith(DEV_URL) for link in links), links


@pytest.mark.usefixtures("unset")
def test_without_the_setting_the_newsletter_confirmation_mail_links_to_the_requests_host(client):
    client.post("/newsletter/", {"email": "reader@example.com"}, REMOTE_ADDR="203.0.113.9", **DEV)
    assert len(mail.outbox) == 1
    links = re.findall(r"https?://\S+", mail.outbox[0].body)
    assert links[0].startswith(f"{DEV_URL}/newsletter/confirm/")
    assert all(link.startswith(DEV_URL) for link in links)  # the site's own address in the footer too


@pytest.mark.usefixtures("unset")
def test_with_no_request_and_no_setting_links_use_the_quick_start_address():
    assert site_url() == DEFAULT_SITE_URL
    assert absolute_url("/x/") == f"{DEFAULT_SITE_URL}/x/"


@pytest.mark.usefixtures("configured")
def test_the_configured_address_wins_over_the_requests_host(client):
    story = ArticleFactory()
    page = client.get(story.get_absolute_url(), **DEV).content.decode()
    assert f'<link rel="canonical" href="{SITE}{story.get_absolute_url()}">' in page
    feed = client.get("/feeds/rss/", **DEV).content.decode()
    assert f"{SITE}{story.get_absolute_url()}" in feed and DEV_URL not in feed
    client.post("/newsletter/", {"email": "reader@example.com"}, REMOTE_ADDR="203.0.113.9", **DEV)
    assert re.search(r"https?://\S+", mail.outbox[0].body).group(0).startswith(f"{SITE}/newsletter/")


@pytest.mark.usefixtures("configured")
def test_view_on_site_goes_to_the_live_page_on_the_sites_address(client, editor):
    live = ArticleFactory()
    draft = ArticleFactory(draft=True)
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[live.pk]), **DEV).content.decode()
    assert f'href="{SITE}{live.get_absolute_url()}" class="viewsitelink"' in page
    page = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert "viewsitelink" not in page  # readers cannot see it yet: the form's Preview link is the way
    section = SectionFactory()
    page = client.get(reverse("admin:articles_section_change", args=[section.pk])).content.decode()
    assert f'href="{SITE}{section.get_absolute_url()}" class="viewsitelink"' in page
    assert public_page(section) == f"{SITE}{section.get_absolute_url()}"


@pytest.mark.usefixtures("configured")
def test_share_links_are_on_the_sites_address(client):
    story = ArticleFactory(draft=True)
    client.force_login(desk_user("Editor"))
    page = client.post(reverse("admin:articles_article_share", args=[story.pk]), {"hours": 4}, **DEV)
    link = re.search(r'value="(https?://[^"]+)"[^>]*id="share-link"', page.content.decode()).group(1)
    assert link.startswith(f"{SITE}/preview/shared/")


def test_make_run_builds_links_on_its_own_port():
    root = Path(__file__).resolve().parent.parent
    plan = subprocess.run(
        ["make", "-n", "-W", ".venv/.installed", "run", "PORT=8123"], cwd=root, capture_output=True, text=True,
        check=True, env={"PATH": "/usr/bin:/bin"},
    ).stdout
    runserver = next(line for line in plan.splitlines() if "runserver" in line)
    assert "NEWSROOM_SITE_URL=${NEWSROOM_SITE_URL:-http://127.0.0.1:8123}" in runserver
    assert "runserver 127.0.0.1:8123" in runserver
