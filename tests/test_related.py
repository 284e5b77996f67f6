"""'More on this': stories sharing tags, most shared first, then newest; published only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.related import related_articles, story_links
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def pks(stories):
    return [story.pk for story in stories]


def hours_ago(n):
    return timezone.now() - timedelta(hours=n)


def test_stories_sharing_more_tags_come_first_then_newer_ones():
    story = ArticleFactory(tags=["rail", "budget", "seoul"])
    one_tag_new = ArticleFactory(tags=["rail"], published_at=hours_ago(1))
    two_tags_old = ArticleFactory(tags=["rail", "budget"], published_at=hours_ago(20))
    one_tag_old = ArticleFactory(tags=["seoul"], published_at=hours_ago(30))
    ArticleFactory(tags=["weather"])
    assert pks(related_articles(story)) == pks([two_tags_old, one_tag_new, one_tag_old])
    assert related_articles(story)[0].url == two_tags_old.get_absolute_url()


def test_story_is_not_related_to_itself_and_untagged_story_has_none():
    story = ArticleFactory(tags=["rail"])
    assert related_articles(story) == []
    assert related_articles(ArticleFactory()) == []


@pytest.mark.parametrize("trait", ["draft", "scheduled", "killed"])
def test_unpublished_stories_are_never_related(trait):
    story = ArticleFactory(tags=["rail"])
    ArticleFactory(tags=["rail"], **{trait: True})
    assert related_articles(story) == []


def test_related_stories_cost_one_query_however_many_tags(django_assert_num_queries):
    story = ArticleFactory(tags=[f"t{n}" for n in range(12)])
    for n in range(12):
        ArticleFactory(tags=[f"t{n}"])
    story = Article.objects.prefetch_related("tags").get(pk=story.pk)
    with django_assert_num_queries(1):
        assert len(related_articles(story, limit=5)) == 5


def test_story_page_shows_more_on_this(client):
    story = ArticleFactory(tags=["rail"])
    ArticleFactory(headline="Rail fares frozen", tags=["rail"])
    html = client.get(story.get_absolute_url()).content.decode()
    section = html.split('id="related-title"')[1].split("</section>")[0]
    assert "Rail fares frozen" in section


def test_more_from_the_section_leaves_out_the_stories_already_under_more_on_this(client, django_assert_num_queries):
    story = ArticleFactory(tags=["rail"])
    related = [ArticleFactory(section=story.section, tags=["rail"], published_at=hours_ago(n)) for n in range(1, 4)]
    others = [ArticleFactory(section=story.section, published_at=hours_ago(n)) for n in range(5, 12)]
    story = Article.objects.prefetch_related("tags").get(pk=story.pk)
    with django_assert_num_queries(1):
        more_from_section, more_on_this = story_links(story, limit=5)
    assert pks(more_on_this) == pks(related)
    assert pks(more_from_section) == pks(others[:5])  # still five, none of them repeated
    html = client.get(story.get_absolute_url()).content.decode()
    both_lists = html.split('id="related-title"')[1].split('<aside class="sidebar">')[0]  # not the Top 10
    assert all(both_lists.count(f">{a.headline}</a>") == 1 for a in [*related, *others[:5]])
