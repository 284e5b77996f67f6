"""Query counts per page are constant, whatever the number of tags, authors, photos and stories."""
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
