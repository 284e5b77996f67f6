"""The story page on PostgreSQL is stored whole with its story, its live parts filled per request
(articles/story_page.py): what other stories and the clock change shows at once, the rest is never
rendered twice, and both ways of building the page give the same bytes."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import story_page
from articles.models import Article, Section, StoryFragment
from tests.factories import ArticleFactory, SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif", "uncached_pages")]


def hours_ago(n):
    return timezone.now() - timedelta(hours=n)


def page(client, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def story():
    story = ArticleFactory(headline="Ferry timetable changes", body="<p>Crossings move to the hour.</p>")
    story.tags.add("ferries", "harbour")
    return story


def test_what_is_stored_leaves_every_live_part_open(client, story):
    neighbour = ArticleFactory(section=story.section, headline="Pier repairs begin")
    neighbour.tags.add("ferries")
    assert "Pier repairs begin" in page(client, story)
    stored = StoryFragment.objects.get(pk=story.pk).html
    assert "Crossings move to the hour." in stored and "Ferry timetable changes" in stored
    for name in story_page.LIVE_PARTS:
        assert story_page.marker(name) in stored
    # No other story's headline, no section list, no Top 10 and no year are kept with this one.
    assert "Pier repairs begin" not in stored
    assert "Top 10" not in stored and str(timezone.localtime().year) not in stored.split("site-footer")[1]


def test_the_filled_page_is_the_page_the_template_renders(client, story, settings):
    # Enough links that their order shows: shared tags, then time, and the section's latest.
    for n in range(8):
        tags = ["ferries", "harbour"] if n % 3 == 0 else ["harbour"]
        ArticleFactory(headline=f"Harbour story {n}", published_at=hours_ago(n), tags=tags)
    for n in range(12):
        ArticleFactory(section=story.section, headline=f"Section story {n}", published_at=hours_ago(n + 0.5))
    stored_html = (page(client, story), page(client, story))[1]
    links = stored_html.split('id="related-title"')[1].split('<aside class="sidebar">')[0]  # not the Top 10
    related, more_from_section = links.split('id="more-title"')
    assert related.count("<li>") == 5 and more_from_section.count("<li>") == 5
    settings.NEWSROOM_STORY_FRAGMENTS = False
    assert page(client, story) == stored_html


def test_a_story_published_later_shows_under_more_on_this_at_once(client, story):
    page(client, story)
    later = ArticleFactory(headline="Night crossings return", section=SectionFactory())
    later.tags.add("ferries", "harbour")
    html = page(client, story)
    assert "Night crossings return" in html.split('id="related-title"')[1]
    Article.objects.filter(pk=later.pk).update(status=Article.Status.KILLED)
    assert "Night crossings return" not in page(client, story)


def test_a_new_section_shows_in_the_navigation_of_a_stored_page(client, story):
    page(client, story)
    Section.objects.create(name="Weather desk", slug="weather-desk", position=99)
    assert "Weather desk" in page(client, story)


def test_the_footer_year_follows_the_clock_not_the_day_the_page_was_stored(client, story):
    zone = ZoneInfo(django_settings.TIME_ZONE)
    with time_machine.travel(datetime(2031, 12, 31, 23, 0, tzinfo=zone)):
        Article.objects.filter(pk=story.pk).update(published_at=timezone.now() - timedelta(hours=1))
        story.refresh_from_db()
        assert "&copy; 2031" in page(client, story)
    with time_machine.travel(datetime(2032, 1, 1, 0, 30, tzinfo=zone)):
        assert "&copy; 2032" in page(client, story)


def test_a_stray_mark_in_unsaved_text_cannot_open_a_part(client, story):
    # Saves strip control characters; a bulk write does not. The mark alone is kept as text.
    Article.objects.filter(pk=story.pk).update(headline=f"Ferry {story_page.MARK}links timetable")
    html = (page(client, story), page(client, story))[1]
    assert f"{story_page.MARK}links" in html and 'id="more-title"' not in html.split("</h1>")[0]


def test_a_stored_page_costs_one_query_the_story_with_its_links_and_the_generation(client, story):
    page(client, story)
    with CaptureQueriesContext(connection) as queries:
        page(client, story)
    assert len(queries) == 1
    sql = queries[0]["sql"]
    assert "articles_storyfragment" in sql and "taggit_taggeditem" in sql and "pagecache_generation" in sql


def test_the_generation_read_with_the_story_is_the_one_its_caches_and_etag_use(client, story, settings):
    first = client.get(story.get_absolute_url())
    assert client.get(story.get_absolute_url())["ETag"] == first["ETag"]
    Section.objects.create(name="Weather desk", slug="weather-desk", position=99)  # a new generation
    second = client.get(story.get_absolute_url())
    assert second["ETag"] != first["ETag"] and "Weather desk" in second.content.decode()


def test_with_the_page_cache_on_the_story_query_leaves_the_generation_to_the_cache(client, story, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    client.get(story.get_absolute_url())  # stores the page
    Article.objects.filter(pk=story.pk).update(headline="Ferry timetable changes again")
    with CaptureQueriesContext(connection) as queries:
        html = page(client, story)
    assert "Ferry timetable changes again" in html
    assert sum("pagecache_generation" in query["sql"] for query in queries) == 1


def test_a_moved_story_redirects_from_its_old_date_and_an_unknown_slug_is_404(client, story):
    page(client, story)
    right = story.get_absolute_url()
    wrong = right.replace(f"/{story.published_at:%Y}/", f"/{story.published_at.year - 1}/")
    response = client.get(wrong)
    assert response.status_code == 301 and response["Location"] == right
    assert client.get(right.replace(story.slug, "no-such-story")).status_code == 404
