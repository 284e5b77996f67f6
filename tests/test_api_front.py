"""GET /api/v1/front: the home page's arrangement as readers see it now (pinned or newest), never
a story readers may not see."""

from datetime import timedelta

import pytest
from django.utils import timezone

from frontpage.layouts import SlotChoice
from tests.api_helpers import leak_stories, make_key
from tests.factories import ArticleFactory, SectionFactory
from tests.front_helpers import publish_front

pytestmark = pytest.mark.django_db


def front(client):
    response = client.get("/api/v1/front")
    assert response.status_code == 200
    return response.json()


def test_the_front_lists_the_pinned_lead_then_the_newest_stories_and_each_section_lead(client):
    now = timezone.now()
    world = SectionFactory(name="World", position=1)
    newest = ArticleFactory(headline="Newest story")
    pinned = ArticleFactory(headline="Desk pick", published_at=now - timedelta(hours=5))
    world_lead = ArticleFactory(headline="World pick", section=world, published_at=now - timedelta(hours=9))
    publish_front(SlotChoice(pinned), SlotChoice(world_lead, section=world))
    data = front(client)
    assert [(s["slot"], s["pinned"], s["story"]["headline"]) for s in data["home"]] == [
        ("Home lead", True, "Desk pick"),
        ("Top story 1", False, "Newest story"),
    ]
    assert ("World lead", True, "World pick") in [
        (s["slot"], s["pinned"], s["story"]["headline"]) for s in data["sections"]
    ]
    assert data["home"][0]["story"]["id"] == pinned.pk and newest.pk != pinned.pk


def test_a_pinned_story_readers_may_not_see_is_never_in_the_front(client):
    stories = leak_stories()
    live = ArticleFactory(headline="Live story")
    publish_front(*[SlotChoice(story, position=i + 1) for i, story in enumerate(list(stories.values())[:5])])
    body = client.get("/api/v1/front").content.decode()
    for story in stories.values():
        assert story.headline not in body
    assert front(client)["home"][0]["story"]["id"] == live.pk


@pytest.mark.parametrize("scopes", [("content",), ("content", "embargo")])
def test_no_key_sees_a_hidden_story_in_the_front_not_even_an_embargo_key(client, scopes):
    """Embargo access is for the story endpoints; the front is what readers see now, whoever asks."""
    stories = leak_stories()
    publish_front(*[SlotChoice(story, position=i + 1) for i, story in enumerate(stories.values())])
    ArticleFactory(headline="Live story")
    _key, raw = make_key(*scopes)
    response = client.get("/api/v1/front", HTTP_X_API_KEY=raw)
    assert response.status_code == 200
    for story in stories.values():
        assert story.headline not in response.content.decode()


def test_the_front_query_count_does_not_grow_with_pins(client, django_assert_max_num_queries):
    stories = [ArticleFactory(published_at=timezone.now() - timedelta(hours=i)) for i in range(6)]
    publish_front(stories[5])
    with django_assert_max_num_queries(12) as one:
        front(client)
    publish_front(*[SlotChoice(s, position=i + 1) for i, s in enumerate(stories[:5])])
    with django_assert_max_num_queries(len(one.captured_queries)):
        front(client)
