from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from tests.factories import (
    ArticleAuthorFactory,
    ArticleFactory,
    AuthorFactory,
    CaptionFactory,
    SectionFactory,
    SourceFactory,
)
from tests.plans import index_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def wire_story():
    """A story shaped like the reference: Yonhap copy, an AFP photo credited AFP-Yonhap, tags."""
    story = ArticleFactory(
        headline="Allies raise alarm over arms transfers",
        source=SourceFactory(name="Yonhap"),
        dateline="WASHINGTON",
        tags=["North Korea", "NATO"],
    )
    CaptionFactory(article=story, caption="Portraits outside the stadium.", credit="AFP-Yonhap")
    return story


def test_story_page_shows_caption_and_credit_once_and_source_line_once(client, wire_story):
    html = client.get(wire_story.get_absolute_url()).content.decode()
    assert html.count("Portraits outside the stadium.") == 1
    assert html.count("<figcaption>") == 1
    assert html.count("AFP-Yonhap") == 1
    assert html.count("(Yonhap)") == 1
    assert "WASHINGTON" in html


def test_story_page_links_its_tags(client, wire_story):
    html = client.get(wire_story.get_absolute_url()).content.decode()
    assert f'href="{reverse("reader:tag", args=["north-korea"])}"' in html
    assert f'href="{reverse("reader:tag", args=["nato"])}"' in html


def test_a_tag_in_korean_links_to_its_own_page_and_feed(client):
    story = ArticleFactory(headline="Busan port expands", tags=["부산"])
    html = client.get(story.get_absolute_url()).content.decode()
    assert 'href="/tag/%EB%B6%80%EC%82%B0/"' in html  # taggit keeps the script in the slug
    tag_page = client.get("/tag/%EB%B6%80%EC%82%B0/")
    assert tag_page.status_code == 200 and "Busan port expands" in tag_page.content.decode()
    assert "Busan port expands" in client.get(reverse("reader:feed-tag-atom", args=["부산"])).content.decode()


def test_story_page_has_canonical_link(client, wire_story, settings):
    html = client.get(wire_story.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="{settings.NEWSROOM_SITE_URL}{wire_story.get_absolute_url()}">' in html


def test_byline_names_authors_in_order_else_the_source(client):
    story = ArticleFactory(source=SourceFactory(name="AFP", slug="afp"))
    ArticleAuthorFactory(article=story, author=AuthorFactory(name="Second Writer"), position=2)
    ArticleAuthorFactory(article=story, author=AuthorFactory(name="First Writer"), position=1)
    html = client.get(story.get_absolute_url()).content.decode()
    assert html.index("First Writer") < html.index("Second Writer")
    no_byline = ArticleFactory(source=SourceFactory(name="AP", slug="ap"))
    assert 'href="/source/ap/">AP</a>' in client.get(no_byline.get_absolute_url()).content.decode()


@pytest.mark.parametrize("traits", [{"draft": True}, {"scheduled": True}, {"killed": True}])
def test_unpublished_story_is_404_for_readers(client, traits):
    story = ArticleFactory(**traits, slug="not-yet")
    url = reverse("reader:detail", kwargs={**story.url_kwargs(), "slug": "not-yet"})
    response = client.get(url)
    assert response.status_code == 404
    assert "couldn't find that page" in response.content.decode()


@pytest.mark.parametrize("traits", [{"draft": True}, {"scheduled": True}, {"killed": True}])
def test_unpublished_story_is_on_no_listing(client, traits):
    section, source, author = SectionFactory(name="World"), SourceFactory(), AuthorFactory()
    hidden = ArticleFactory(**traits, headline="Secret plan", section=section, source=source, tags=["Leak"])
    ArticleAuthorFactory(article=hidden, author=author)
    ArticleFactory(section=section, source=source, tags=["Leak"])
    for url in ["/", section.get_absolute_url(), source.get_absolute_url(), author.get_absolute_url(),
                reverse("reader:tag", args=["leak"])]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Secret plan" not in response.content.decode(), url


def test_wrong_date_redirects_to_canonical_url(client):
    story = ArticleFactory(slug="moved")
    response = client.get("/2001/01/01/moved/")
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_listing_pages_are_paginated(client):
    section = SectionFactory(name="Business")
    ArticleFactory.create_batch(25, section=section)
    first = client.get(section.get_absolute_url())
    assert len(first.context["articles"]) == 20
    assert 'rel="next"' in first.content.decode()
    assert len(client.get(section.get_absolute_url() + "?page=2").context["articles"]) == 5


def test_home_shows_lead_sections_and_top_stories(client):
    lead = ArticleFactory(headline="Lead story of the day")
    CaptionFactory(article=lead)
    others = ArticleFactory.create_batch(3, section=SectionFactory(name="Culture"))
    html = client.get("/").content.decode()
    assert "Lead story of the day" in html and "Top 10 Stories" in html and "Sign up for eNewsletter" in html
    assert all(story.headline in html for story in others)


def test_unknown_pages_are_friendly_404s(client):
    for url in ["/section/nope/", "/tag/nope/", "/source/nope/", "/author/nope/", "/nothing-here/"]:
        assert client.get(url).status_code == 404


def test_story_without_photo_or_source_renders(client):
    story = ArticleFactory(source=None)
    assert client.get(story.get_absolute_url()).status_code == 200
    assert Article.objects.published().count() == 1


@pytest.mark.parametrize("listing", ["tag", "author"])
def test_tag_and_author_pages_read_their_rows_by_id_without_the_join_again(client, listing):
    """The page's ids come through the tag or byline join; its rows by id alone, still published only."""
    author = AuthorFactory(name="Kim Reporter")
    stories = ArticleFactory.create_batch(22, tags=["harbour"])
    for story in stories:
        ArticleAuthorFactory(article=story, author=author)
    hidden = ArticleFactory(tags=["harbour"], draft=True)
    ArticleAuthorFactory(article=hidden, author=author)
    path = "/tag/harbour/" if listing == "tag" else author.get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    shown = [story.pk for story in response.context["articles"]]
    assert shown == [story.pk for story in sorted(stories, key=lambda s: (s.published_at, s.pk), reverse=True)[:20]]
    assert hidden.headline not in response.content.decode()
    # The page's rows: the query that reads the cards' stored pictures (not the one storing them).
    (rows,) = [q["sql"] for q in queries.captured_queries
               if '"articles_article"."headline"' in q["sql"] and '"articles_storyfragment"."card_image"' in q["sql"]]
    joined = "taggit_taggeditem" if listing == "tag" else "articles_articleauthor"
    assert joined not in rows and "'published'" in rows.replace('"', "'")
    assert 'rel="next"' in response.content.decode()


def test_a_source_page_walks_its_own_stories_not_the_newer_archive(client):
    """A wire that stopped sending: its page reads its newest stories from the (source, newest first)
    index, not by walking every newer story of other sources (an archive scan at 100,000 stories)."""
    old_wire = SourceFactory(name="Old Wire", slug="old-wire")
    live_wire = SourceFactory(name="Live Wire", slug="live-wire")
    now = timezone.now()
    old = [ArticleFactory(source=old_wire, published_at=now - timedelta(days=900 + n)) for n in range(3)]
    ArticleFactory.create_batch(5, source=live_wire)
    ArticleFactory(source=old_wire, draft=True)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(old_wire.get_absolute_url())
    assert [story.pk for story in response.context["articles"]] == [story.pk for story in old]
    (listing,) = [q["sql"] for q in queries.captured_queries if '"articles_article"."source_id" =' in q["sql"]]
    assert "article_source_pub_idx" in index_plan(listing)


def test_a_section_page_finds_its_section_in_the_cached_navigation_and_follows_a_rename(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    section = SectionFactory(name="Harbour", slug="harbour")
    ArticleFactory(section=section, headline="Cranes arrive")
    assert "Cranes arrive" in client.get("/section/harbour/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get("/section/harbour/")
    assert not any(q["sql"].lstrip().startswith('SELECT "articles_section"') for q in queries)
    Section.objects.filter(pk=section.pk).update(slug="port")
    assert client.get("/section/harbour/").status_code == 404
    assert "Cranes arrive" in client.get("/section/port/").content.decode()
