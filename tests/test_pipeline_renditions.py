"""Renditions off the upload request: the upload stores and checks the original, a task renders.

Until the task has run, pages show a real, small JPEG (never a broken image); with the immediate
backend everything is made at once, as the rest of the suite expects.
"""

import re
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from rq import Queue

from articles.models import Rendition
from articles.photos import import_photo
from articles.renditions import make_renditions, photos_missing_renditions
from pipeline.queue import enqueue
from tests.factories import PhotoFactory
from tests.queue_helpers import drain, rq_backend  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

PHOTO = Path(__file__).parent / "fixtures" / "photos" / "iptc_only_4000x2667.jpg"


def render_picture(photo, spec="w1200"):
    return Template('{% load photos %}{% picture photo spec %}').render(Context({"photo": photo, "spec": spec}))


def image_urls(html):
    return re.findall(r"(/media/[^\s\"]+)", html)


def upload():
    return import_photo(SimpleUploadedFile("harbour.jpg", PHOTO.read_bytes()))[0]


def test_with_a_queue_the_upload_stores_the_original_and_leaves_renditions_to_a_worker(
    rq_backend, django_capture_on_commit_callbacks  # noqa: F811
):
    with django_capture_on_commit_callbacks(execute=True):
        photo = upload()
    assert photo.image.storage.exists(photo.image.name)  # the original is stored (and was checked)
    assert not Rendition.objects.filter(photo=photo).exists()
    assert Queue("media", connection=rq_backend).count == 1
    assert list(photos_missing_renditions()) == [photo]

    drain(rq_backend)
    assert Rendition.objects.filter(photo=photo).count() > 20
    assert not photos_missing_renditions().exists()


def test_until_the_worker_has_run_a_page_gets_a_small_real_jpeg_and_the_task_is_queued(rq_backend):  # noqa: F811
    photo = PhotoFactory()
    html = render_picture(photo)
    assert "<source" not in html  # no format without a file behind it
    urls = image_urls(html)
    assert urls and all(default_storage.exists(url.removeprefix("/media/")) for url in urls)
    assert 'width="320" height="213"' in html  # the photo's proportions: no layout jump later
    assert Queue("media", connection=rq_backend).count == 1
    render_picture(photo)
    assert Queue("media", connection=rq_backend).count == 1  # asked once, not once per page view

    drain(rq_backend)
    html = render_picture(photo)
    assert 'type="image/webp"' in html
    assert re.findall(r" (\d+)w", html)[-3:] == ["320", "640", "800"]


def test_with_the_immediate_backend_the_upload_makes_every_rendition_at_once():
    photo = upload()
    assert not photos_missing_renditions().filter(pk=photo.pk).exists()


def test_the_task_is_idempotent_and_forgets_deleted_photos():
    photo = PhotoFactory()
    enqueue(make_renditions, photo.pk)
    count = Rendition.objects.filter(photo=photo).count()
    assert enqueue(make_renditions, photo.pk).return_value == count
    assert Rendition.objects.filter(photo=photo).count() == count
    photo_id = photo.pk
    photo.delete()
    assert enqueue(make_renditions, photo_id).return_value == 0


def test_the_sweep_leaves_the_photos_of_killed_stories_without_renditions(rq_backend):  # noqa: F811
    from articles.renditions import queue_missing_renditions
    from tests.factories import ArticleFactory, CaptionFactory

    waiting = PhotoFactory()
    killed_story = ArticleFactory(killed=True)
    withdrawn = CaptionFactory(article=killed_story).photo

    assert list(photos_missing_renditions()) == [waiting]
    enqueue(queue_missing_renditions)
    drain(rq_backend)
    assert not Rendition.objects.filter(photo=withdrawn).exists()
    assert Rendition.objects.filter(photo=waiting).exists()
