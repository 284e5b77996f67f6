"""RSS 2.0 and Atom feeds: published stories only, clean parse, byline, times and lead photo."""

import feedparser
import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import (
    ArticleAuthorFactory,
    ArticleFactory,
    AuthorFactory,
    CaptionFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

FORMATS = ["rss", "atom"]


def fetch(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize("fmt", FORMATS)
def test_latest_feed_parses_cleanly_and_lists_published_stories(client, fmt, settings):
    story = ArticleFactory(headline="Bridge reopens to traffic")
    feed = fetch(client, f"reader:feed-latest-{fmt}")
    assert [e.title for e in feed.entries] == ["Bridge reopens to traffic"]
    assert feed.entries[0].link == f"{settings.NEWSROOM_SITE_URL}{story.get_absolute_url()}"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("trait", ["draft", "scheduled", "killed"])
def test_unpublished_stories_never_reach_a_feed(client, fmt, trait):
    ArticleFactory(headline="Not for readers yet", **{trait: True})
    ArticleFactory(headline="Public story")
    feed = fetch(client, f"reader:feed-latest-{fmt}")
    assert [e.title for e in feed.entries] == ["Public story"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_entry_has_byline_publish_time_and_lead_photo(client, fmt, settings):
    settings.NEWSROOM_SITE_URL = "https://news.example"
    caption = CaptionFactory(article__headline="Harbour cranes arrive", caption="Cranes at dawn.", credit="Staff")
    ArticleAuthorFactory(article=caption.article, author=AuthorFactory(name="Min-ji Park"))
    entry = fetch(client, f"reader:feed-latest-{fmt}").entries[0]
    assert entry.author == "Min-ji Park"
    assert entry.link == f"https://news.example{caption.article.get_absolute_url()}"
    published = caption.article.published_at
    assert entry.published_parsed[:6] == published.utctimetuple()[:6]
    enclosure = next(link for link in entry.links if link.rel == "enclosure")
    assert enclosure.href.startswith("https://news.example/")
    assert enclosure.type.startswith("image/")
    assert int(enclosure.length) > 0
    assert entry.media_content[0]["url"] == enclosure.href
    assert entry.media_credit[0]["content"] == "Staff"


@pytest.mark.parametrize("fmt", FORMATS)
def test_wire_story_without_authors_is_credited_to_its_source(client, fmt):
    ArticleFactory(source=SourceFactory(name="Yonhap"))
    assert fetch(client, f"reader:feed-latest-{fmt}").entries[0].author == "Yonhap"


@pytest.mark.parametrize("fmt", FORMATS)
def test_section_tag_source_and_author_feeds_narrow_the_list(client, fmt):
    sport = SectionFactory(name="Sport")
    author = AuthorFactory(slug="jae-kim")
    source = SourceFactory(name="Partner Wire", slug="partner-wire")
    in_sport = ArticleFactory(headline="Cup final tonight", section=sport, tags=["football"], source=source)
    ArticleAuthorFactory(article=in_sport, author=author)
    ArticleFactory(headline="Budget vote delayed")
    ArticleFactory(headline="Hidden sport draft", section=sport, draft=True, tags=["football"])
    for name, slug in [("section", "sport"), ("tag", "football"), ("source", source.slug), ("author", "jae-kim")]:
        feed = fetch(client, f"reader:feed-{name}-{fmt}", slug)
        assert [e.title for e in feed.entries] == ["Cup final tonight"], name


def test_feed_for_unknown_subject_is_404(client):
    assert client.get(reverse("reader:feed-section-rss", args=["nope"])).status_code == 404


def test_feed_query_count_is_constant(client, django_assert_max_num_queries):
    for n in range(8):
        caption = CaptionFactory(article__tags=[f"t{n}", "x"])
        ArticleAuthorFactory(article=caption.article)
    client.get(reverse("reader:feed-latest-rss"))  # renditions are made on first use
    cache.clear()  # measure the uncached feed; renditions exist now
    with django_assert_max_num_queries(8):
        client.get(reverse("reader:feed-latest-rss"))


def test_pages_announce_their_feeds(client):
    section = SectionFactory(name="Science")
    ArticleFactory(section=section)
    home = client.get("/").content.decode()
    assert 'rel="alternate" type="application/rss+xml"' in home
    assert reverse("reader:feed-latest-atom") in home
    section_page = client.get(section.get_absolute_url()).content.decode()
    assert reverse("reader:feed-section-rss", args=["science"]) in section_page
    assert reverse("reader:feed-section-atom", args=["science"]) in section_page


def test_cached_feed_drops_a_killed_story_at_once(client):
    story = ArticleFactory(headline="Soon retracted")
    assert [e.title for e in fetch(client, "reader:feed-latest-rss").entries] == ["Soon retracted"]
    story.unpublish()
    story.save()
    assert fetch(client, "reader:feed-latest-rss").entries == []


def test_repeated_feed_requests_are_served_from_the_cache(client, django_assert_num_queries):
    ArticleFactory()
    client.get(reverse("reader:feed-latest-atom"))
    # The one query reads the content generation (pagecache.generation): the price of every
    # process seeing a kill on its very next request, with or without Redis.
    with django_assert_num_queries(1):
        fetch(client, "reader:feed-latest-atom")
