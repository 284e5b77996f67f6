"""Search results in the anonymous page cache: kept briefly, gone at once after a kill, never for staff."""

import pytest
from django.urls import reverse

from articles.publishing import set_status
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_anonymous_search_results_come_from_the_cache(client):
    ArticleFactory(headline="평양 회담 소식", body="<p>평양에서 회담이 열렸다.</p>")
    first = client.get(reverse("reader:search"), {"q": "평양"})
    second = client.get(reverse("reader:search"), {"q": "평양"})
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert "평양 회담 소식" in second.content.decode()


def test_a_killed_story_leaves_cached_results_on_the_next_request(client, editor):
    story = ArticleFactory(headline="Harbour bridge reopens", body="<p>평양에서</p>")
    for query in ("harbour bridge", "평양"):
        assert "Harbour bridge reopens" in client.get(reverse("reader:search"), {"q": query}).content.decode()
    set_status(story, "killed", by=editor)
    for query in ("harbour bridge", "평양"):
        response = client.get(reverse("reader:search"), {"q": query})
        assert response["X-Page-Cache"] == "miss"
        assert "Harbour bridge reopens" not in response.content.decode()


def test_staff_searches_are_never_cached(client, editor):
    ArticleFactory(headline="Harbour bridge reopens")
    client.force_login(editor)
    for _ in range(2):
        response = client.get(reverse("reader:search"), {"q": "harbour"})
        assert "X-Page-Cache" not in response
        assert "Harbour bridge reopens" in response.content.decode()


def test_the_search_cache_lifetime_is_its_own_setting(client, settings):
    settings.NEWSROOM_SEARCH_CACHE_SECONDS = 0
    ArticleFactory(headline="Harbour bridge reopens")
    for _ in range(2):
        assert "X-Page-Cache" not in client.get(reverse("reader:search"), {"q": "harbour"})
