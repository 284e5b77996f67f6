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
