"""Query budgets of reader pages: constant whatever the number of tags, authors, photos and stories.

The one file for reader page budgets (feeds, sitemaps and search pin theirs beside their other
tests; the content API's are in test_api_queries.py)."""
import pytest

from tests.factories import (
    ArticleAuthorFactory,
    ArticleFactory,
    CaptionFactory,
    SectionFactory,
)
from tests.workflow_helpers import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]

ARTICLE_PAGE_BUDGET = 8
LIST_PAGE_BUDGET = 6  # home, section, tag, source and author pages (navigation and Top 10 cached)


def story_with(n):
    story = ArticleFactory(tags=[f"tag {i}" for i in range(n)])
    for i in range(n):
        ArticleAuthorFactory(article=story, position=i)
        CaptionFactory(article=story, role="lead" if i == 0 else "inline", position=i)
    return story


def test_article_page_query_count_is_constant_and_within_budget(client):
    small = count_queries(client, story_with(1).get_absolute_url())
    large = count_queries(client, story_with(6).get_absolute_url())
    assert small == large
    assert large <= ARTICLE_PAGE_BUDGET


def test_home_page_query_count_does_not_grow_with_stories(client):
    for _ in range(2):
        story_with(2)
    few = count_queries(client, "/")
    for name in ["World", "Business", "Culture"]:
        for _ in range(5):
            CaptionFactory(article=ArticleFactory(section=SectionFactory(name=name), tags=["a", "b", "c"]))
    assert count_queries(client, "/") == few <= LIST_PAGE_BUDGET


def test_section_page_query_count_does_not_grow_with_stories(client):
    section = SectionFactory(name="Nation")
    CaptionFactory(article=ArticleFactory(section=section))
    few = count_queries(client, section.get_absolute_url())
    for _ in range(8):
        story = story_with(3)
        story.section = section
        story.save()
    assert count_queries(client, section.get_absolute_url()) == few <= LIST_PAGE_BUDGET


def rich_story(n):
    caption = CaptionFactory(article__tags=[f"tag{i}" for i in range(n)])
    article = caption.article
    for _ in range(n):
        ArticleAuthorFactory(article=article)
        CaptionFactory(article=article, role="inline")
    for i in range(n):
        ArticleFactory(tags=[f"tag{i}"], section=article.section)
    return article


@pytest.mark.parametrize("n", [1, 6])
def test_story_page_stays_within_eight_queries(client, django_assert_max_num_queries, n):
    SectionFactory.create_batch(4)
    article = rich_story(n)
    client.get(article.get_absolute_url())  # renditions made, navigation and Top 10 cached
    with django_assert_max_num_queries(8):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200


def test_story_page_on_a_cold_cache_needs_at_most_three_more(client, django_assert_max_num_queries):
    from django.core.cache import cache

    article = rich_story(3)
    client.get(article.get_absolute_url())
    cache.clear()
    with django_assert_max_num_queries(11):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200


def test_navigation_and_top_stories_come_from_the_cache_on_a_warm_page(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rich_story(2)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert 'FROM "articles_section"' not in sql
    assert "readership_readcount" not in sql


def story_with_body_photos(n):
    """A story whose body shows `n` of its photos in place (articles/body.py)."""
    story = story_with(n + 1)
    inline = list(story.captions.filter(role="inline"))
    figures = [f'<p>Paragraph {i}.</p><figure data-photo="{c.photo_id}"></figure>' for i, c in enumerate(inline)]
    story.body = "".join(figures)
    story.save()
    return story


def test_article_page_with_photos_in_the_body_keeps_its_query_count(client):
    plain = count_queries(client, story_with(2).get_absolute_url())
    one = count_queries(client, story_with_body_photos(1).get_absolute_url())
    many = count_queries(client, story_with_body_photos(5).get_absolute_url())
    assert plain == one == many <= ARTICLE_PAGE_BUDGET


def curate(n):
    """A published front page with the lead, n top slots and n section leads pinned (stories with photos)."""
    from frontpage.layouts import SlotChoice
    from tests.front_helpers import publish_front

    choices = [SlotChoice(story_with(2), position=position) for position in range(1, n + 2)]
    for i in range(n):
        section = SectionFactory(name=f"Pinned section {i}")
        lead = story_with(2)
        lead.section = section
        lead.save()
        choices.append(SlotChoice(lead, section=section))
    publish_front(*choices)


def test_home_page_query_count_is_the_same_with_curated_slots_whatever_their_number(client):
    for name in ["World", "Business"]:
        for _ in range(5):
            CaptionFactory(article=ArticleFactory(section=SectionFactory(name=name)))
    uncurated = count_queries(client, "/")
    curate(1)
    one = count_queries(client, "/")
    curate(3)
    assert count_queries(client, "/") == one == uncurated <= LIST_PAGE_BUDGET


def test_section_page_with_a_pinned_lead_stays_within_budget(client):
    # Page 1 looks the desk's lead up (one query) and prefetches its photos with the list's.
    from frontpage.layouts import SlotChoice
    from tests.front_helpers import publish_front

    section = SectionFactory(name="Nation")
    for _ in range(3):
        CaptionFactory(article=ArticleFactory(section=section))
    lead = story_with(3)
    publish_front(SlotChoice(lead, section=section))
    few = count_queries(client, section.get_absolute_url())
    for _ in range(8):
        CaptionFactory(article=ArticleFactory(section=section))
    assert count_queries(client, section.get_absolute_url()) == few <= LIST_PAGE_BUDGET
