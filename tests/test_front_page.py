"""Front page curation: pinned home lead, top slots and section leads; expiry and fallback; no
unpublished story ever shown; each story once; scheduled layouts; the whole-page cache follows."""

import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from articles.front_page import front_page_ids
from articles.models import Article
from frontpage.layouts import SlotChoice, StaleLayout, desk_draft, publish_draft, save_draft
from frontpage.models import LIVE_LAYOUT_SQL, FrontLayout
from pagecache.generation import read_generation as read_full_generation
from tests.factories import ArticleFactory, SectionFactory
from tests.front_helpers import lead_headline, publish_front, section_block_headlines, top_headlines

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def read_generation(now):
    return read_full_generation(now).value


def story(headline, *, hours_ago=1, **kwargs):
    return ArticleFactory(headline=headline, published_at=timezone.now() - hours_ago * HOUR, **kwargs)


@pytest.fixture
def stories():
    """Five live stories, newest first: "Newest", "Second", ... "Oldest"."""
    names = ["Newest", "Second", "Third", "Fourth", "Oldest"]
    return [story(name, hours_ago=i + 1) for i, name in enumerate(names)]


def test_without_a_layout_the_lead_is_the_newest_story(client, stories):
    html = client.get("/").content.decode()
    assert lead_headline(html) == "Newest"
    assert top_headlines(html) == ["Second", "Third", "Fourth", "Oldest"]


def test_a_pinned_lead_and_top_slot_show_in_their_places_and_the_rest_fall_back_newest_first(client, stories):
    publish_front(SlotChoice(stories[4], position=1), SlotChoice(stories[3], position=3))
    html = client.get("/").content.decode()
    assert lead_headline(html) == "Oldest"
    assert top_headlines(html) == ["Newest", "Fourth", "Second", "Third"]


def test_no_story_appears_twice_on_the_front(client, stories):
    section = stories[0].section
    publish_front(SlotChoice(stories[2]))
    html = client.get("/").content.decode()
    shown = [lead_headline(html), *top_headlines(html), *section_block_headlines(html, section)]
    assert sorted(shown) == sorted(s.headline for s in stories)


@pytest.mark.parametrize(
    "unpublished",
    [
        {"draft": True},
        {"scheduled": True},
        {"embargo_until": timezone.now() + timedelta(days=1)},
        {"killed": True},
        {"status": Article.Status.READY, "published_at": None},
    ],
    ids=["draft", "scheduled", "embargoed", "killed", "ready"],
)
def test_a_pinned_story_readers_may_not_see_never_shows_and_the_slot_falls_back(client, stories, unpublished):
    hidden = ArticleFactory(headline="Not for readers", **unpublished)
    publish_front(SlotChoice(hidden, position=1), SlotChoice(story("Pinned second", hours_ago=9), position=2))
    html = client.get("/").content.decode()
    assert "Not for readers" not in html
    assert lead_headline(html) == "Newest"
    assert top_headlines(html)[0] == "Pinned second"
    assert hidden.slug not in client.get(hidden.section.get_absolute_url()).content.decode()


def test_a_story_killed_after_it_was_pinned_leaves_the_lead_at_once(client, stories):
    publish_front(stories[3])
    assert lead_headline(client.get("/").content.decode()) == "Fourth"
    Article.objects.filter(pk=stories[3].pk).update(status=Article.Status.KILLED)  # no signal, no Python hook
    html = client.get("/").content.decode()
    assert "Fourth" not in html
    assert lead_headline(html) == "Newest"


def test_a_pinned_scheduled_story_takes_its_slot_when_it_is_due(stories):
    later = ArticleFactory(headline="Embargoed budget", scheduled=True)
    publish_front(later)
    assert front_page_ids().lead == stories[0].pk
    assert front_page_ids(now=later.published_at + timedelta(seconds=1)).lead == later.pk


def test_an_expired_slot_falls_back_to_the_newest_story(stories):
    now = timezone.now()
    publish_front(SlotChoice(stories[4], expires_at=now + HOUR), now=now)
    assert front_page_ids(now=now + timedelta(minutes=59)).lead == stories[4].pk
    assert front_page_ids(now=now + HOUR).lead == stories[0].pk


def test_the_generation_moves_when_a_slot_expires_or_a_layout_goes_live_without_any_write(stories):
    now = timezone.now()
    publish_front(SlotChoice(stories[4], expires_at=now + HOUR), now=now)
    publish_front(stories[3], at=now + 2 * HOUR, now=now)
    before = read_generation(now + timedelta(minutes=30))
    assert read_generation(now + timedelta(minutes=50)) == before
    expired = read_generation(now + HOUR)
    assert expired != before
    assert read_generation(now + timedelta(minutes=90)) == expired
    assert read_generation(now + 2 * HOUR) != expired


def test_the_raw_sql_copy_of_live_at_picks_the_same_layout():
    now = timezone.now()
    FrontLayout.objects.create(kind=FrontLayout.Kind.DRAFT)
    FrontLayout.objects.create(kind=FrontLayout.Kind.PUBLISHED, live_from=now - 2 * HOUR)
    # Two live from the same moment: the later one wins.
    tied = [FrontLayout.objects.create(kind=FrontLayout.Kind.PUBLISHED, live_from=now - HOUR) for _ in range(2)]
    FrontLayout.objects.create(kind=FrontLayout.Kind.PUBLISHED, live_from=now + HOUR)
    picked = []
    for moment in (now - 3 * HOUR, now - 2 * HOUR, now, now + 2 * HOUR):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {LIVE_LAYOUT_SQL}", {"now": moment})
            picked.append(cursor.fetchone()[0])
        assert picked[-1] == FrontLayout.objects.live_at(moment).values_list("pk", flat=True).first()
    assert picked[0] is None and picked[2] == tied[1].pk


def test_a_scheduled_layout_goes_live_at_its_time_and_the_cached_home_page_follows(client, stories, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    go_live = timezone.now() + timedelta(minutes=10)
    publish_front(stories[4], at=go_live)
    client.get("/")
    response = client.get("/")
    assert response["X-Page-Cache"] == "hit" and lead_headline(response.content.decode()) == "Newest"
    assert front_page_ids(now=go_live).lead == stories[4].pk
    # The page cache keys by the generation, which holds the latest go-live time that has passed.
    assert read_generation(go_live) != read_generation(go_live - timedelta(seconds=1))


def test_publishing_a_layout_changes_the_cached_home_page_on_the_next_request(client, stories, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    publish_front(stories[2])
    response = client.get("/")
    assert response["X-Page-Cache"] != "hit"
    assert lead_headline(response.content.decode()) == "Third"


def test_a_section_lead_heads_its_section_on_the_home_page_and_on_the_section_page(client):
    world = SectionFactory(name="World")
    old = story("Old world story", hours_ago=30, section=world)
    for i in range(9):
        story(f"World news {i}", hours_ago=i + 1, section=world)  # 0-3 fill the home page's top slots
    publish_front(SlotChoice(old, section=world))
    home = client.get("/").content.decode()
    assert section_block_headlines(home, world) == ["Old world story", "World news 5", "World news 6", "World news 7"]
    page = client.get(world.get_absolute_url()).content.decode()
    assert lead_headline(page) == "Old world story"
    assert page.count(f'href="{old.get_absolute_url()}"') == 1  # the lead, and not again in the list
    assert "World news 8" in page


def test_a_section_lead_killed_after_its_page_was_read_leaves_it_at_once(client):
    """The section's lead is kept per content generation (front_page.section_lead_ids)."""
    world = SectionFactory(name="World")
    pinned = story("Pinned then killed", hours_ago=10, section=world)
    story("World latest", section=world)
    publish_front(SlotChoice(pinned, section=world))
    assert lead_headline(client.get(world.get_absolute_url()).content.decode()) == "Pinned then killed"
    pinned.unpublish()
    pinned.save()
    page = client.get(world.get_absolute_url()).content.decode()
    assert lead_headline(page) is None and "Pinned then killed" not in page


def test_a_section_lead_leaves_its_page_when_its_slot_expires(client):
    world = SectionFactory(name="World")
    pinned = story("Pinned for a moment", hours_ago=10, section=world)
    story("World latest", section=world)
    expires = timezone.now() + timedelta(seconds=2)
    publish_front(SlotChoice(pinned, section=world, expires_at=expires))
    assert lead_headline(client.get(world.get_absolute_url()).content.decode()) == "Pinned for a moment"
    time.sleep(max(0.0, (expires - timezone.now()).total_seconds()) + 0.2)
    page = client.get(world.get_absolute_url()).content.decode()
    assert lead_headline(page) is None and "Pinned for a moment" in page  # back in the list


def test_a_section_lead_moved_to_another_section_no_longer_leads(client):
    world, sport = SectionFactory(name="World"), SectionFactory(name="Sport")
    pinned = story("Moved story", hours_ago=10, section=world)
    story("World latest", section=world)
    publish_front(SlotChoice(pinned, section=world))
    Article.objects.filter(pk=pinned.pk).update(section=sport)
    assert lead_headline(client.get(world.get_absolute_url()).content.decode()) is None


def test_the_draft_is_private_until_published(client, stories):
    save_draft([SlotChoice(stories[4])], version=desk_draft().version, by=None)
    assert lead_headline(client.get("/").content.decode()) == "Newest"


def test_a_story_twice_in_one_layout_is_refused_with_a_clear_message(stories):
    with pytest.raises(ValidationError) as error:
        save_draft([SlotChoice(stories[0]), SlotChoice(stories[0], position=2)], version=desk_draft().version, by=None)
    assert "already in Home lead" in " ".join(error.value.messages)


def test_a_section_lead_from_another_section_is_refused(stories):
    world = SectionFactory(name="World")
    with pytest.raises(ValidationError) as error:
        save_draft([SlotChoice(stories[0], section=world)], version=desk_draft().version, by=None)
    assert "not World" in " ".join(error.value.messages)


def test_an_expiry_in_the_past_is_refused(stories):
    with pytest.raises(ValidationError, match="expiry time has passed"):
        save_draft([SlotChoice(stories[0], expires_at=timezone.now() - HOUR)], version=desk_draft().version, by=None)


def test_a_save_from_an_older_version_is_refused_not_lost(stories, editor):
    opened = desk_draft().version
    save_draft([SlotChoice(stories[1])], version=opened, by=editor)
    with pytest.raises(StaleLayout, match="saved the front page"):
        save_draft([SlotChoice(stories[2])], version=opened, by=None)
    with pytest.raises(StaleLayout):
        publish_draft(version=opened, by=None)
    assert [s.article_id for s in desk_draft().slots.all()] == [stories[1].pk]


def test_publishing_copies_the_draft_so_later_draft_edits_stay_private(stories):
    live = publish_front(stories[1])
    save_draft([SlotChoice(stories[2])], version=desk_draft().version, by=None)
    assert FrontLayout.objects.live_at(timezone.now()).get() == live
    assert front_page_ids().lead == stories[1].pk
