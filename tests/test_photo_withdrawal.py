"""Killed stories' photos lose their public renditions (issue #11: they stayed public with a one-year cache)."""

import pytest
from django.core.files.storage import default_storage

from articles import images
from articles.models import Article, Rendition
from articles.publishing import set_status
from tests.factories import ArticleFactory, CaptionFactory, PhotoFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("no_avif")]


def test_killing_a_story_removes_its_photos_rendition_files(client):
    story = ArticleFactory()
    photo = PhotoFactory()
    CaptionFactory(article=story, photo=photo)
    client.get(story.get_absolute_url())
    names = list(Rendition.objects.filter(photo=photo).values_list("file", flat=True))
    assert names and all(default_storage.exists(name) for name in names)
    set_status(story, Article.Status.KILLED)
    assert not any(default_storage.exists(name) for name in names)
    assert not Rendition.objects.filter(photo=photo).exists()
    # Published again: renditions are made afresh on the first view.
    set_status(story, Article.Status.PUBLISHED)
    assert images.rendition_prefix(photo) in client.get(story.get_absolute_url()).content.decode()


def test_a_photo_another_live_story_shows_keeps_its_renditions(client):
    photo = PhotoFactory()
    killed, other = ArticleFactory(), ArticleFactory()
    CaptionFactory(article=killed, photo=photo)
    CaptionFactory(article=other, photo=photo)
    client.get(other.get_absolute_url())
    names = list(Rendition.objects.filter(photo=photo).values_list("file", flat=True))
    set_status(killed, Article.Status.KILLED)
    assert names and all(default_storage.exists(name) for name in names)
