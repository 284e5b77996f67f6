"""The content API's story endpoints: what a story carries, filters, pagination, 410 for killed stories."""
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api_helpers import full_story, make_key
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def get(client, url, key=None, **headers):
    if key:
        headers["HTTP_X_API_KEY"] = key
    return client.get(url, **headers)


def test_story_detail_carries_what_the_page_shows(client, no_avif):
    story = full_story()
    response = get(client, f"/api/v1/stories/{story.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["headline"] == story.headline
    assert data["standfirst"] == story.dek
    assert data["body_html"] == story.body
    assert data["dateline"] == "SEOUL"
    assert data["attribution"] == "(Yonhap)"
    assert data["source"]["name"] == "Yonhap"
    authors = [a["name"] for a in data["authors"]]
    assert data["byline"] == f"By {authors[0]} and {authors[1]}"
    assert data["url"].endswith(story.get_absolute_url())
    assert {t["slug"] for t in data["tags"]} == {"harbour", "council"}
    assert data["corrections"][0]["text"] == "An earlier version misspelt the mayor's name."
    photo = data["photos"][0]
    assert (photo["caption"], photo["credit"], photo["role"]) == ("Cranes at the harbour.", "AFP-Yonhap", "lead")
    assert (photo["width"], photo["height"]) == (800, 533)
    assert {(r["width"], r["format"]) for r in photo["renditions"]} == {(320, "jpeg"), (640, "webp")}
    assert data["lead_photo"]["id"] == photo["id"]
    assert data["embargo"] == {
        "under_embargo": False, "embargoed_until": None, "is_released": True,
        "release_at": data["published_at"],
    }


def test_killed_story_answers_410_with_no_content(client):
    story = ArticleFactory(killed=True, first_published_at=timezone.now() - timedelta(days=1))
    response = get(client, f"/api/v1/stories/{story.pk}")
    assert response.status_code == 410
    assert response.content == b""


def test_unknown_story_is_404(client):
    assert get(client, "/api/v1/stories/999999").status_code == 404


def test_list_filters_by_section_tag_source_author_and_dates(client):
    story = full_story()
    other = ArticleFactory(section=SectionFactory(name="Sport"), published_at=timezone.now() - timedelta(days=3))
    author = story.authors.first()

    def ids(query):
        response = get(client, f"/api/v1/stories?{query}")
        assert response.status_code == 200, response.content
        return [s["id"] for s in response.json()["results"]]

    assert ids("") == [story.pk, other.pk]
    assert ids("section=sport") == [other.pk]
    assert ids("tag=harbour") == [story.pk]
    assert ids("source=yonhap") == [story.pk]
    assert ids(f"author={author.slug}") == [story.pk]
    since = (timezone.now() - timedelta(days=1)).isoformat().replace("+", "%2B")
    assert ids(f"published_after={since}") == [story.pk]
    assert ids(f"published_before={since}") == [other.pk]
    assert ids("section=no-such-section") == []


def test_updated_since_finds_stories_changed_after_a_time(client):
    old = ArticleFactory(published_at=timezone.now() - timedelta(days=5))
    mark = timezone.now()
    changed = ArticleFactory(published_at=timezone.now() - timedelta(days=6))
    response = client.get("/api/v1/stories", {"updated_since": mark.isoformat()})
    ids = [s["id"] for s in response.json()["results"]]
    assert changed.pk in ids and old.pk not in ids


def test_search_goes_through_the_site_search(client):
    match = ArticleFactory(headline="Lighthouse keepers strike over pay")
    ArticleFactory(headline="Council approves budget")
    response = client.get("/api/v1/stories", {"q": "lighthouse"})
    assert [s["id"] for s in response.json()["results"]] == [match.pk]


def test_cursor_pagination_is_stable_when_new_stories_arrive(client):
    now = timezone.now()
    stories = [ArticleFactory(published_at=now - timedelta(minutes=n)) for n in range(1, 6)]
    first = client.get("/api/v1/stories", {"page_size": 2}).json()
    assert [s["id"] for s in first["results"]] == [stories[0].pk, stories[1].pk]
    ArticleFactory(published_at=now)  # arrives while the partner pages through
    second = client.get(first["next"]).json()
    assert [s["id"] for s in second["results"]] == [stories[2].pk, stories[3].pk]
    third = client.get(second["next"]).json()
    assert [s["id"] for s in third["results"]] == [stories[4].pk]
    assert third["next"] is None


def test_etag_and_last_modified_answer_304(client):
    story = ArticleFactory()
    first = client.get(f"/api/v1/stories/{story.pk}")
    assert first["ETag"] and first["Last-Modified"]
    # The public pages' policy: browsers revalidate, shared caches keep it briefly, purged by surrogate key.
    assert first["Cache-Control"] == "public, max-age=0, s-maxage=60, stale-while-revalidate=30"
    assert f"story-{story.pk}" in first["Surrogate-Key"].split() and "api" in first["Surrogate-Key"].split()
    assert client.get(f"/api/v1/stories/{story.pk}", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(f"/api/v1/stories/{story.pk}", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    listing = client.get("/api/v1/stories")
    assert {f"story-{story.pk}", "feeds"} <= set(listing["Surrogate-Key"].split())
    assert client.get("/api/v1/stories", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304
    story.headline = "A new headline"
    story.save()
    assert client.get(f"/api/v1/stories/{story.pk}", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_keyed_answers_are_private(client):
    _key, raw = make_key()
    story = ArticleFactory()
    response = get(client, f"/api/v1/stories/{story.pk}", raw)
    assert response["Cache-Control"] == "private, max-age=60"
    assert not response.has_header("Surrogate-Key")
    assert "X-API-Key" in response["Vary"]
