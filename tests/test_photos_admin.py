"""The photo desk in the admin: multi-file upload, the photo list, metadata panel, keyword suggestions."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Photo
from articles.photos import import_photo
from tests.factories import ArticleFactory, CaptionFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

FIXTURES = Path(__file__).parent / "fixtures"
UPLOAD_URL = "admin:articles_photo_upload"


def upload(kind, name):
    return SimpleUploadedFile(name, (FIXTURES / kind / name).read_bytes())


@pytest.fixture
def photo_desk(client):
    user = UserFactory(username="photo-desk", is_staff=True)
    user.groups.add(Group.objects.get(name="Photo editor"))
    client.force_login(user)
    client.user = user
    return client


def test_dropping_wire_photos_fills_caption_credit_and_photographer(photo_desk):
    files = [
        upload("photos", "afp_yonhap_pyongyang_portraits.jpg"),
        upload("photos", "yonhap_korean_utf8.jpg"),
        upload("bad", "svg_with_script.png"),
        upload("bad", "truncated.jpg"),
    ]
    response = photo_desk.post(reverse(UPLOAD_URL), {"files": files})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 imported, 0 already uploaded, 2 rejected." in html
    assert "svg_with_script.png" in html and "SVG" in html
    assert "truncated.jpg" in html and "damaged or incomplete" in html
    assert Photo.objects.count() == 2
    afp = Photo.objects.get(credit="AFP-Yonhap")
    assert afp.photographer == "KCNA VIA KNS" and afp.caption.startswith("A general view")
    assert afp.uploaded_by == photo_desk.user
    assert Photo.objects.get(photographer="홍길동 기자").credit == "연합뉴스"


def test_uploading_a_file_again_reports_the_duplicate(photo_desk):
    photo_desk.post(reverse(UPLOAD_URL), {"files": [upload("photos", "reuters_gps.jpg")]})
    html = photo_desk.post(reverse(UPLOAD_URL), {"files": [upload("photos", "reuters_gps.jpg")]}).content.decode()
    assert "Already uploaded" in html
    assert Photo.objects.count() == 1


def test_upload_page_needs_a_file_and_the_add_permission(photo_desk, client):
    assert "Choose one or more photo files." in photo_desk.post(reverse(UPLOAD_URL), {}).content.decode()
    reporter = UserFactory(username="no-photos", is_staff=True)
    client.force_login(reporter)
    assert client.get(reverse(UPLOAD_URL)).status_code == 403


def test_photo_list_shows_thumbnail_credit_source_and_filters(photo_desk):
    for name in ["afp_yonhap_pyongyang_portraits.jpg", "reuters_gps.jpg"]:
        import_photo(upload("photos", name))
    changelist = reverse("admin:articles_photo_changelist")
    html = photo_desk.get(changelist).content.decode()
    assert html.count("<img src=") >= 2
    assert "AFP-Yonhap" in html and "REUTERS" in html and "Upload wire photos" in html
    assert "source__id__exact" in html and "credit_sources__id__exact" in html
    searched = photo_desk.get(changelist, {"q": "Pyongyang"}).content.decode()
    assert "AFP-Yonhap" in searched and "REUTERS" not in searched
    by_agency = photo_desk.get(changelist, {"q": "Yonhap"}).content.decode()
    assert "AFP-Yonhap" in by_agency and "REUTERS" not in by_agency


def test_photo_page_shows_the_metadata_read_from_the_file(photo_desk):
    photo, _ = import_photo(upload("photos", "reuters_gps.jpg"))
    html = photo_desk.get(reverse("admin:articles_photo_change", args=[photo.pk])).content.decode()
    assert "Metadata read from the file" in html
    assert "SOUTHKOREA-SEOUL" in html and "EXIF, IPTC, XMP" in html
    assert "GPS in original (never published)" in html


def test_editor_corrects_a_caption(photo_desk):
    photo, _ = import_photo(upload("photos", "reuters_gps.jpg"))
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    data = {
        "caption": "Corrected caption.",
        "credit": "Reuters",
        "alt_text": "",
        "photographer": "John Doe",
        "copyright": photo.copyright,
        "source": photo.source_id,
        "credit_sources": [s.pk for s in photo.credit_sources.all()],
        "headline": photo.headline,
        "date_created": "2024-03-03",
        "city": "Seoul",
        "country": "South Korea",
        "keywords": "Seoul, City Hall",
        "focal_x": "",
        "focal_y": "",
    }
    response = photo_desk.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    photo.refresh_from_db()
    assert photo.caption == "Corrected caption."
    assert photo.keywords == ["Seoul", "City Hall"]


def test_photo_page_offers_no_link_to_the_private_original_and_no_file_swap(photo_desk):
    photo, _ = import_photo(upload("photos", "reuters_gps.jpg"))
    html = photo_desk.get(reverse("admin:articles_photo_change", args=[photo.pk])).content.decode()
    assert photo.image.name not in html
    assert 'type="file"' not in html
    assert "JPG, 1024×683 pixels, kept privately" in html
    assert 'value="Seoul"' in html  # keywords edited as plain text


def test_single_add_form_rejects_bad_files_with_the_reason(photo_desk):
    response = photo_desk.post(reverse("admin:articles_photo_add"), {"image": upload("bad", "text_renamed.jpg")})
    assert response.status_code == 200
    assert "text, not an image" in response.content.decode()
    assert Photo.objects.count() == 0


def test_single_add_form_imports_with_metadata(photo_desk):
    response = photo_desk.post(reverse("admin:articles_photo_add"), {"image": upload("photos", "xmp_only.webp")})
    photo = Photo.objects.get()
    assert response.status_code == 302
    assert photo.credit == "Yonhap" and photo.photographer == "Lee Min-ho"
    assert list(photo.credit_sources.values_list("name", flat=True)) == ["Yonhap"]


def test_story_admin_offers_photo_keywords_as_tags(client):
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))
    photo, _ = import_photo(upload("photos", "afp_yonhap_pyongyang_portraits.jpg"))
    story = ArticleFactory()
    CaptionFactory(article=story, photo=photo)
    html = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert 'data-tag="diplomacy"' in html and 'data-tag="North Korea"' in html
    assert "articles/photo-keywords.js" in html


def test_deleting_a_photo_removes_its_files(photo_desk, settings, django_capture_on_commit_callbacks):
    photo, _ = import_photo(upload("photos", "reuters_gps.jpg"))
    with django_capture_on_commit_callbacks(execute=True):
        response = photo_desk.post(reverse("admin:articles_photo_delete", args=[photo.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Photo.objects.exists()
    roots = [Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)]
    assert [p for root in roots for p in root.rglob("*") if p.is_file()] == []
