"""Markup the validators asked for: times to the second, heading order, robots and canonical, OG."""

import re

import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_time_elements_carry_whole_seconds(client):
    story = ArticleFactory()
    for path in ["/", story.get_absolute_url(), story.section.get_absolute_url()]:
        stamps = re.findall(r'<time datetime="([^"]+)"', client.get(path).content.decode())
        assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", s) for s in stamps), path


def test_list_pages_do_not_skip_a_heading_level(client):
    story = ArticleFactory()
    html = client.get(story.section.get_absolute_url()).content.decode()
    levels = [int(n) for n in re.findall(r"<h([1-6])", html)]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_story_pages_allow_large_image_previews_and_search_is_crawlable_but_noindex(client):
    story = ArticleFactory()
    assert 'content="max-image-preview:large"' in client.get(story.get_absolute_url()).content.decode()
    assert "Disallow: /search/" not in client.get("/robots.txt").content.decode()
    assert 'content="noindex, follow"' in client.get("/search/?q=x").content.decode()


def test_the_404_page_has_no_canonical_link_and_every_page_a_favicon(client):
    html = client.get("/no/such/page/").content.decode()
    assert 'rel="canonical"' not in html and 'rel="icon"' in html


def test_home_and_list_pages_have_opengraph(client):
    story = ArticleFactory()
    for path in ["/", story.section.get_absolute_url()]:
        html = client.get(path).content.decode()
        assert '<meta property="og:type" content="website">' in html and 'property="og:url"' in html


def test_favicon_ico_sends_browsers_to_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("/img/favicon.svg")
    assert "max-age=86400" in response["Cache-Control"]
    assert client.head("/favicon.ico").status_code == 302 and client.head("/robots.txt").status_code == 200


def test_desk_sign_in_and_admin_pages_link_the_icon(client, editor):
    assert 'rel="icon"' in client.get("/accounts/login/").content.decode()
    client.force_login(editor)
    assert 'rel="icon"' in client.get("/admin/").content.decode()


def test_sign_in_page_carries_the_desk_name_not_djangos(client):
    html = client.get("/accounts/login/").content.decode()
    assert "<title>Sign in | Newsroom desk</title>" in html
    assert "Newsroom desk</a>" in html and "Django administration" not in html
