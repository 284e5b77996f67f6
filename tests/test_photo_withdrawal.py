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
    photo.refresh_from_db()  # it has a new rendition key now
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


def test_rendition_names_are_secret_not_derived_from_the_file():
    photo = PhotoFactory()
    images.ensure_renditions(photo, ["w320"])
    name = Rendition.objects.get(photo=photo).file.name
    assert photo.sha256[:8] not in name and photo.rendition_key in name
    assert PhotoFactory().rendition_key != photo.rendition_key


def test_a_killed_photo_comes_back_under_new_addresses(client):
    story = ArticleFactory()
    photo = PhotoFactory()
    CaptionFactory(article=story, photo=photo)
    old_page = client.get(story.get_absolute_url()).content.decode()
    old_prefix = images.rendition_prefix(photo)
    set_status(story, Article.Status.KILLED)
    set_status(story, Article.Status.PUBLISHED)
    photo.refresh_from_db()
    new_page = client.get(story.get_absolute_url()).content.decode()
    assert old_prefix in old_page and old_prefix not in new_page
    assert images.rendition_prefix(photo) in new_page


def test_expired_photos_lose_their_files_and_legacy_unpublished_ones_too():
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    expired = PhotoFactory(expires_at=timezone.now() - timedelta(minutes=1))
    legacy = PhotoFactory(rendition_key="")
    live_legacy = PhotoFactory(rendition_key="")
    CaptionFactory(photo=live_legacy)
    for photo in (expired, legacy, live_legacy):
        images.ensure_renditions(photo, ["w320"])
    names = {p: Rendition.objects.get(photo=p).file.name for p in (expired, legacy, live_legacy)}
    assert names[legacy].startswith(f"renditions/{legacy.sha256[:2]}/{legacy.sha256[:16]}")
    call_command("withdraw_renditions")
    assert not default_storage.exists(names[expired]) and default_storage.exists(names[legacy])
    call_command("withdraw_renditions", "--legacy")
    assert not default_storage.exists(names[legacy]) and default_storage.exists(names[live_legacy])


def test_expired_photos_are_withdrawn_once_and_never_remade_by_the_renditions_sweep():
    from datetime import timedelta

    from django.utils import timezone

    from articles.renditions import photos_missing_renditions
    from articles.withdrawal import withdraw_expired
    from pipeline.schedule import periodic_jobs

    photo = PhotoFactory(expires_at=timezone.now() - timedelta(minutes=1))
    images.ensure_renditions(photo, ["w320", "thumb"])
    assert photo not in photos_missing_renditions()
    assert withdraw_expired() == 1
    images.get_rendition(photo, "thumb")  # an editor opens the photo page
    assert withdraw_expired() == 0
    assert "articles.withdrawal.withdraw_expired_photos" in {job.task for job in periodic_jobs()}
