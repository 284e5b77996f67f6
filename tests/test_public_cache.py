"""Cached public lists (navigation, Top 10) change as soon as a section or story is saved."""

import pytest

from articles.top_stories import top_stories
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_a_new_section_appears_in_the_navigation_at_once(client):
    SectionFactory(name="World")
    client.get("/")
    SectionFactory(name="Science")
    assert ">Science</a>" in client.get("/").content.decode()


def test_a_renamed_section_is_shown_with_its_new_name(client):
    section = SectionFactory(name="Tech")
    client.get("/")
    section.name = "Technology"
    section.save()
    assert ">Technology</a>" in client.get("/").content.decode()


def test_a_story_excluded_by_an_editor_leaves_the_cached_box_at_once():
    story = ArticleFactory()
    assert top_stories() == [story]
    story.exclude_from_top_stories = True
    story.save()
    assert top_stories() == []


def test_a_deleted_story_leaves_the_cached_box_at_once():
    story = ArticleFactory()
    assert top_stories() == [story]
    story.delete()
    assert top_stories() == []


def page_templates(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return {template.name for template in response.templates}


CHROME = {"articles/includes/section_nav.html", "articles/includes/sidebar.html"}


def test_the_navigation_and_sidebar_are_rendered_once_per_content_change(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # the whole-page cache would hide the second render
    story = ArticleFactory()
    assert CHROME <= page_templates(client, "/")
    assert not CHROME & page_templates(client, story.get_absolute_url())
    story.headline = "A new headline"
    story.save()
    assert CHROME <= page_templates(client, story.get_absolute_url())


def test_a_killed_story_leaves_the_sidebar_of_every_page_at_once(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    killed = ArticleFactory(headline="Soon to be withdrawn")
    other = ArticleFactory()
    for path in ("/", other.get_absolute_url()):
        assert "Soon to be withdrawn" in client.get(path).content.decode()
    killed.unpublish()
    killed.save()
    for path in ("/", other.get_absolute_url()):
        assert "Soon to be withdrawn" not in client.get(path).content.decode()
