"""Tag and author pages and feeds read their ids from the subject's own links in publication order
(articles/listings.py, migration 0015): exact whoever writes, and never a walk of the archive."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.listings import SQL
from articles.models import Article, ArticleAuthor
from tests.factories import ArticleAuthorFactory, ArticleFactory, AuthorFactory
from tests.plans import index_plan

pytestmark = pytest.mark.django_db


def link_times(story):
    """The publication time each of `story`'s link rows carries."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT story_published_at FROM taggit_taggeditem WHERE object_id = %s", [story.pk])
        tagged = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT story_published_at FROM articles_articleauthor WHERE article_id = %s", [story.pk])
        return tagged, [row[0] for row in cursor.fetchall()]


def old_and_new(listing):
    """Three stories of a subject last used 900 days ago, among newer stories of another; its page's path."""
    author, other = AuthorFactory(name="Former Reporter"), AuthorFactory(name="Staff Reporter")
    now = timezone.now()
    old = [ArticleFactory(tags=["old event"], published_at=now - timedelta(days=900 + n)) for n in range(3)]
    for story in old:
        ArticleAuthorFactory(article=story, author=author)
    for story in ArticleFactory.create_batch(5, tags=["today"]):
        ArticleAuthorFactory(article=story, author=other)
    for traits in ({"draft": True}, {"scheduled": True}, {"killed": True}, {"embargo_until": now + timedelta(hours=2)}):
        hidden = ArticleFactory(tags=["old event"], headline="Not for readers", **traits)
        ArticleAuthorFactory(article=hidden, author=author)
    return old, ("/tag/old-event/" if listing == "tag" else author.get_absolute_url())


@pytest.mark.parametrize("listing", ["tag", "author"])
def test_an_old_subject_lists_only_its_published_stories_newest_first(client, listing):
    old, path = old_and_new(listing)
    response = client.get(path)
    assert [story.pk for story in response.context["articles"]] == [story.pk for story in old]
    assert "Not for readers" not in response.content.decode()
    feed = client.get(f"/feeds{path}rss/")  # /feeds/tag/<slug>/rss/, /feeds/author/<slug>/rss/
    assert feed.status_code == 200 and feed.content.decode().count("<item>") == 3
    assert "Not for readers" not in feed.content.decode()


@pytest.mark.parametrize("listing", ["tag", "author"])
def test_the_page_walks_its_subjects_links_not_the_archive(client, listing):
    """The ids query's plan reads the links' (subject, publication time) index; tables here are tiny,
    where a scan and a sort always win, so both are forbidden to see which index serves the order."""
    _, path = old_and_new(listing)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    (ids_query,) = [q["sql"] for q in queries.captured_queries if "story_published_at" in q["sql"]]
    plan = index_plan(ids_query)
    index = "article_taggeditem_tag_published_idx" if listing == "tag" else "article_author_published_idx"
    assert index in plan


def test_links_follow_their_storys_publication_time_whoever_writes(client):
    author = AuthorFactory()
    story = ArticleFactory(tags=["harbour", "budget"], scheduled=True)
    ArticleAuthorFactory(article=story, author=author)
    assert link_times(story) == ([story.published_at] * 2, [story.published_at])
    # A plain update (what the scheduler, the shell or a bulk action does) moves the links too.
    earlier = timezone.now() - timedelta(minutes=5)
    Article.objects.filter(pk=story.pk).update(published_at=earlier)
    assert link_times(story) == ([earlier] * 2, [earlier])
    assert [s.pk for s in client.get("/tag/harbour/").context["articles"]] == [story.pk]
    # A tag added later, and a byline moved to another story, take their story's time.
    story.tags.add("port")
    other = ArticleFactory(published_at=earlier - timedelta(days=1))
    ArticleAuthor.objects.filter(article=story).update(article=other)
    tagged, bylines = link_times(story)
    assert tagged == [earlier] * 3 and bylines == []
    assert link_times(other)[1] == [other.published_at]
    # Unpublished again: the link keeps no time a reader could see.
    Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT, published_at=None)
    assert link_times(story)[0] == [None] * 3
    assert client.get("/tag/harbour/").context["articles"] == []


def test_pages_past_the_first_follow_the_same_order(client):
    now = timezone.now()
    stories = [ArticleFactory(tags=["harbour"], published_at=now - timedelta(hours=n)) for n in range(25)]
    first = client.get("/tag/harbour/")
    second = client.get("/tag/harbour/?page=2")
    shown = [s.pk for s in first.context["articles"]] + [s.pk for s in second.context["articles"]]
    assert shown == [story.pk for story in stories]
    assert not second.context["page_obj"].has_next()


def test_one_query_shape_per_kind():
    assert "taggit_taggeditem" in SQL["tag"] and "content_type_id" in SQL["tag"]
    assert "articles_articleauthor" in SQL["author"] and "'published'" in SQL["author"]
