"""Query budgets of reader pages: constant whatever the number of tags, photos and authors."""

import pytest

from tests.factories import ArticleAuthorFactory, ArticleFactory, CaptionFactory, SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]


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
        client.get(article.get_absolute_url())


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
