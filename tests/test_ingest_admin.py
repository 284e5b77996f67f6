"""The admin's wire upload page: who may use it, and the per-item results it shows."""
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Caption

from .factories import UserFactory
from .ingest_helpers import EXPORTS, PHOTOS, SUMMIT_V1, ninjs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

UPLOAD_URL = reverse("admin:wire_upload")


def staff(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes())


@pytest.fixture
def editor(client):
    user = staff("add_article", "change_article", "view_article", "publish_article")
    client.force_login(user)
    return user


def test_upload_page_needs_permission_to_add_stories(client):
    client.force_login(staff("view_article"))

    assert client.get(UPLOAD_URL).status_code == 403
    assert client.post(UPLOAD_URL, {"files": [upload(EXPORTS)]}).status_code == 403
    assert not Article.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(UPLOAD_URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_editor_uploads_items_and_sees_a_result_per_item(client, editor):
    response = client.post(UPLOAD_URL, {"files": [upload(EXPORTS), SimpleUploadedFile("broken.json", b"{")]})

    assert response.status_code == 200
    html = response.content.decode()
    assert "imported 1, updated 0, unchanged 0, failed 1" in html
    assert "Not valid JSON" in html
    article = Article.objects.get()
    assert article.status == Article.Status.READY
    assert article.created_by == editor
    assert reverse("admin:articles_article_change", args=[article.pk]) in html


def test_pictures_uploaded_with_the_item_are_attached(client, editor):
    files = [upload(SUMMIT_V1), upload(PHOTOS / "afp_yonhap_pyongyang_portraits.jpg")]

    response = client.post(UPLOAD_URL, {"files": files})

    assert "imported 1," in response.content.decode()
    caption = Caption.objects.get()
    assert caption.credit == "AFP-Yonhap"
    assert caption.photo.uploaded_by == editor


def test_publish_box_is_offered_only_to_editors_who_may_publish(client):
    reporter = staff("add_article", "change_article", "view_article")
    client.force_login(reporter)

    assert 'name="publish"' not in client.get(UPLOAD_URL).content.decode()
    client.post(UPLOAD_URL, {"files": [upload(EXPORTS)], "publish": "on"})

    assert Article.objects.get().status == Article.Status.READY


def test_editor_can_publish_at_upload(client, editor):
    item = SimpleUploadedFile("item.json", json.dumps(ninjs()).encode())

    client.post(UPLOAD_URL, {"files": [item], "publish": "on"})

    assert Article.objects.published().count() == 1


def test_ingest_log_lists_applied_versions(client, editor):
    client.post(UPLOAD_URL, {"files": [upload(EXPORTS)]})

    response = client.get(reverse("admin:wire_wireversion_changelist"))

    assert response.status_code == 200
    assert "urn:newsml:example-wire.com:20240703:SKOREA-EXPORTS" in response.content.decode()
    assert "Upload wire files" in response.content.decode()
