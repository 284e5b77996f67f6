"""Photos in the story form: one-step upload, the chooser, alt text, and photos inside the body."""

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.html import photo_ids, sanitize_html
from articles.models import Article, Caption, Photo
from tests.factories import ArticleFactory, CaptionFactory, PhotoFactory, SectionFactory, SourceFactory
from tests.workflow_helpers import change_url, desk_user, form_data, form_errors, open_change_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

FIXTURES = Path(__file__).parent / "fixtures"
UPLOAD = reverse("admin:articles_article_photo_upload")
CHOOSE = reverse("admin:articles_article_photo_choose")
ADD = reverse("admin:articles_article_add")


def upload(client, path):
    data = Path(path).read_bytes()
    return client.post(UPLOAD, {"file": SimpleUploadedFile(Path(path).name, data, content_type="image/jpeg")})


@pytest.fixture
def reporter(client):
    user = desk_user("Reporter")
    client.force_login(user)
    return user


# -- the one-step upload ---------------------------------------------------------------------------


def test_upload_from_the_story_form_imports_the_photo_with_its_iptc_caption(client, reporter):
    response = upload(client, FIXTURES / "photos" / "yonhap_korean_utf8.jpg")
    assert response.status_code == 201
    card = response.json()["photo"]
    photo = Photo.objects.get(pk=card["id"])
    assert photo.uploaded_by == reporter
    assert card["caption"] == photo.caption and "평양" in photo.caption
    assert card["credit"] == photo.credit == "연합뉴스"
    assert card["can_edit_alt_text"] is True
    assert upload(client, FIXTURES / "photos" / "yonhap_korean_utf8.jpg").json()["created"] is False


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [("bad/text_renamed.jpg", "text, not an image"), ("bad/empty.jpg", "empty"), ("bad/animated.gif", "GIF")],
)
def test_a_bad_file_is_refused_with_its_reason_and_leaves_nothing(client, reporter, settings, fixture, reason):
    response = upload(client, FIXTURES / fixture)
    assert response.status_code == 422
    assert reason in response.json()["error"]
    assert not Photo.objects.exists()
    assert not any(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.*"))


def test_a_file_over_the_limit_is_refused(client, reporter, settings):
    settings.NEWSROOM_PHOTO_MAX_BYTES = 10_000
    response = upload(client, FIXTURES / "photos" / "yonhap_korean_utf8.jpg")
    assert response.status_code == 422
    assert "the limit is" in response.json()["error"]
    assert not Photo.objects.exists()


def test_an_already_expired_photo_is_refused_for_the_story(client, reporter):
    first = upload(client, FIXTURES / "photos" / "yonhap_korean_utf8.jpg").json()["photo"]
    Photo.objects.filter(pk=first["id"]).update(expires_at=timezone.now() - timedelta(days=1))
    response = upload(client, FIXTURES / "photos" / "yonhap_korean_utf8.jpg")
    assert response.status_code == 422
    assert "licence ended" in response.json()["error"]


def test_upload_needs_the_add_photo_permission(client):
    assert upload(client, FIXTURES / "photos" / "yonhap_korean_utf8.jpg").status_code == 302  # to sign-in
    user = desk_user("Reporter")
    user.groups.clear()
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert upload(client, FIXTURES / "photos" / "yonhap_korean_utf8.jpg").status_code == 403
    assert client.get(CHOOSE).status_code == 403


# -- the chooser -----------------------------------------------------------------------------------


def test_the_chooser_offers_only_usable_photos_and_filters_them(client, reporter):
    now = timezone.now()
    agency = SourceFactory(name="Harbour Wire")
    kept = PhotoFactory(caption="Cranes at dawn", credit="Harbour Wire", source=agency)
    other = PhotoFactory(caption="Lanterns in the old town", credit="Staff")
    expired = PhotoFactory(caption="Cranes at night", expires_at=now - timedelta(hours=1))
    embargoed = PhotoFactory(caption="Cranes tomorrow", usable_from=now + timedelta(hours=1))

    def shown(**params):
        html = client.get(CHOOSE, params).content.decode()
        return {p.pk for p in [kept, other, expired, embargoed] if f'data-photo-id="{p.pk}"' in html}

    assert shown() == {kept.pk, other.pk}
    assert shown(q="cranes") == {kept.pk}
    assert shown(credit="harbour") == {kept.pk}
    assert shown(source=agency.pk) == {kept.pk}
    assert shown(uploaded="1") == {kept.pk, other.pk}
    assert shown(mine="on") == set()


def test_the_chooser_query_count_does_not_grow_with_photos(client, reporter):
    for _ in range(3):
        PhotoFactory()
    client.get(CHOOSE)  # thumbnails made on the first view
    with CaptureQueriesContext(connection) as few:
        client.get(CHOOSE)
    for _ in range(6):
        PhotoFactory()
    client.get(CHOOSE)
    with CaptureQueriesContext(connection) as many:
        client.get(CHOOSE)
    assert len(many) == len(few)


# -- attaching through the story's save ------------------------------------------------------------


def new_story_data(client, section, **extra):
    data = form_data(client.get(ADD).content.decode())
    data.update({"headline": "Ferry service resumes", "slug": "ferry-service-resumes", "section": str(section.pk),
                 "body": "<p>The first ferry left at dawn.</p>", "status": "ready"})  # fmt: skip
    data.update(extra)
    return data


def caption_row(photo, index=0, role="lead", alt_text=None):
    row = {
        f"captions-{index}-photo": str(photo.pk),
        f"captions-{index}-role": role,
        f"captions-{index}-caption": "",
        f"captions-{index}-credit": "",
        f"captions-{index}-position": str(index),
    }
    if alt_text is not None:
        row[f"captions-{index}-alt_text"] = alt_text
    return row


def test_a_new_story_saves_with_its_uploaded_lead_photo_and_the_uploaders_alt_text(client, reporter):
    card = upload(client, FIXTURES / "photos" / "yonhap_korean_utf8.jpg").json()["photo"]
    photo = Photo.objects.get(pk=card["id"])
    data = new_story_data(client, SectionFactory(), **{"captions-TOTAL_FORMS": "1"})
    data.update(caption_row(photo, alt_text="Pedestrians cross a wide square in Pyongyang"))
    response = client.post(ADD, data)
    assert response.status_code == 302, form_errors(response)
    story = Article.objects.get(slug="ferry-service-resumes")
    lead = story.captions.get()
    assert lead.role == "lead" and lead.photo == photo
    assert lead.caption == photo.caption and lead.credit == "연합뉴스"  # filled from IPTC as before
    photo.refresh_from_db()
    assert photo.alt_text == "Pedestrians cross a wide square in Pyongyang"
    assert story.status == "ready"


def test_a_reporter_cannot_change_the_alt_text_of_someone_elses_photo(client, reporter):
    photo = PhotoFactory(alt_text="A harbour crane", uploaded_by=desk_user("Reporter", username="someone-else"))
    data = new_story_data(client, SectionFactory(), **{"captions-TOTAL_FORMS": "1"})
    data.update(caption_row(photo, alt_text="Something else"))
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert "uploader or a photo editor" in str(response.context["inline_admin_formsets"][1].formset.errors)
    assert not Article.objects.filter(slug="ferry-service-resumes").exists()
    photo.refresh_from_db()
    assert photo.alt_text == "A harbour crane"


def test_an_editor_may_fix_any_photos_alt_text(client):
    editor = desk_user("Editor")
    client.force_login(editor)
    photo = PhotoFactory(alt_text="", uploaded_by=None)
    story = ArticleFactory()
    CaptionFactory(article=story, photo=photo)
    data = open_change_form(client, story)
    data["captions-0-alt_text"] = "Containers stacked on the quay"
    response = client.post(change_url(story), data)
    assert response.status_code == 302, form_errors(response)
    photo.refresh_from_db()
    assert photo.alt_text == "Containers stacked on the quay"


def test_a_reporter_cannot_attach_a_photo_whose_licence_has_ended(client, reporter):
    photo = PhotoFactory(expires_at=timezone.now() - timedelta(days=1))
    data = new_story_data(client, SectionFactory(), **{"captions-TOTAL_FORMS": "1"})
    data.update(caption_row(photo))
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert "licence ended" in str(response.context["inline_admin_formsets"][1].formset.errors)
    assert not Article.objects.exists()


# -- photos inside the body ------------------------------------------------------------------------


def test_the_sanitizer_keeps_a_photo_reference_and_nothing_else_of_a_figure():
    body = sanitize_html(
        '<p>a</p><figure data-photo="12" onclick="x()" class="big"><img src="https://evil.example/x.png">'
        '<figcaption>injected</figcaption></figure><figure data-photo="javascript:1">t</figure><figure>u</figure>'
    )
    assert body == '<p>a</p><figure data-photo="12"></figure>tu'
    assert photo_ids(body) == [12]
    assert sanitize_html(body) == body


def story_with_body_photo(**photo_fields):
    story = ArticleFactory(headline="Harbour reopens")
    lead = CaptionFactory(article=story, role="lead", caption="The quay at dawn.")
    photo = PhotoFactory(**photo_fields)
    inline = CaptionFactory(article=story, photo=photo, role="inline", caption="Cranes return.", credit="Harbour Wire")
    story.body = f'<p>First paragraph.</p><figure data-photo="{photo.pk}"></figure><p>Second paragraph.</p>'
    story.save()
    return story, lead, inline


def test_a_body_photo_is_drawn_in_place_with_the_storys_caption_and_credit(client):
    story, _, inline = story_with_body_photo(alt_text="Two cranes over a container ship")
    html = client.get(story.get_absolute_url()).content.decode()
    body = html[html.index('class="story__body"'):]
    first, figure, second = body.index("First paragraph"), body.index("Cranes return."), body.index("Second paragraph")
    assert first < figure < second
    assert 'alt="Two cranes over a container ship"' in body
    assert "Harbour Wire" in body
    assert "<picture>" in body[first:second]
    assert html.count("Cranes return.") == 1  # not repeated after the body as an inline photo


def test_a_body_photo_reaches_the_feed_as_a_plain_img_with_its_caption(client):
    story, _, inline = story_with_body_photo()
    xml = client.get(reverse("reader:feed-latest-rss")).content.decode()
    assert "&lt;figure&gt;&lt;img src=&quot;http" in xml or '&lt;figure&gt;&lt;img src="http' in xml
    assert "Cranes return. Harbour Wire&lt;/figcaption&gt;" in xml
    assert "data-photo" not in xml
    atom = client.get(reverse("reader:feed-latest-atom")).content.decode()
    assert "Cranes return. Harbour Wire" in atom and "data-photo" not in atom


def test_a_withdrawn_body_photo_leaks_nowhere(client):
    story, _, inline = story_with_body_photo()
    photo = inline.photo
    Photo.objects.filter(pk=photo.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    html = client.get(story.get_absolute_url()).content.decode()
    xml = client.get(reverse("reader:feed-latest-rss")).content.decode()
    for text in (html, xml):
        assert "Cranes return." not in text
        assert photo.rendition_key not in text
        assert "data-photo" not in text


def test_an_unpublished_storys_body_photo_leaks_nowhere(client):
    story, _, inline = story_with_body_photo()
    Article.objects.filter(pk=story.pk).update(status=Article.Status.KILLED)
    assert client.get(story.get_absolute_url()).status_code == 404
    xml = client.get(reverse("reader:feed-latest-rss")).content.decode()
    assert "Cranes return." not in xml and inline.photo.rendition_key not in xml


def test_the_body_may_show_only_photos_the_story_carries(client):
    client.force_login(desk_user("Editor"))
    story = ArticleFactory()
    stranger = PhotoFactory()
    data = open_change_form(client, story)
    data["body"] = f'<p>Text.</p><figure data-photo="{stranger.pk}"></figure>'
    response = client.post(change_url(story), data)
    assert response.status_code == 200
    assert "does not carry" in str(response.context["inline_admin_formsets"][1].formset.non_form_errors())
    story.refresh_from_db()
    assert "data-photo" not in story.body


def test_attaching_and_placing_a_photo_in_the_body_saves_both(client):
    client.force_login(desk_user("Editor"))
    story = ArticleFactory()
    photo = PhotoFactory()
    data = open_change_form(client, story)
    data["body"] = f'<p>Text.</p><figure data-photo="{photo.pk}"></figure>'
    data["captions-TOTAL_FORMS"] = "1"
    data.update(caption_row(photo, role="inline"))
    response = client.post(change_url(story), data)
    assert response.status_code == 302, form_errors(response)
    story.refresh_from_db()
    assert photo_ids(story.body) == [photo.pk]
    assert Caption.objects.filter(article=story, photo=photo, role="inline").exists()


# -- concurrency: an upload while another editor saves ---------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_upload_while_another_editor_saves_loses_nothing(client):
    from django.core.management import call_command
    from django.test import Client

    call_command("sync_roles")
    first, second = desk_user("Editor", username="first"), desk_user("Editor", username="second")
    story = ArticleFactory(headline="Harbour reopens", dek="Cranes are back.")
    client.force_login(first)
    theirs = Client()
    theirs.force_login(second)
    mine = open_change_form(client, story)  # opened before the other editor saves
    their_form = open_change_form(theirs, story)

    answers = {}

    def their_save():
        try:
            answers["save"] = theirs.post(change_url(story), {**their_form, "dek": "Cranes are back at work."})
        finally:
            connection.close()  # this thread's own connection

    saving = threading.Thread(target=their_save)
    saving.start()
    card = upload(client, FIXTURES / "photos" / "yonhap_korean_utf8.jpg").json()["photo"]
    saving.join()
    assert answers["save"].status_code == 302

    mine["captions-TOTAL_FORMS"] = "1"
    mine.update(caption_row(Photo.objects.get(pk=card["id"])))
    mine["headline"] = "Harbour reopens after the storm"
    response = client.post(change_url(story), mine)
    assert response.status_code == 302, form_errors(response)
    story.refresh_from_db()
    assert story.headline == "Harbour reopens after the storm"
    assert story.dek == "Cranes are back at work."  # their save is kept
    assert story.captions.get().photo_id == card["id"]


# -- the media library -----------------------------------------------------------------------------


def test_the_media_library_shows_a_grid_of_thumbnails_with_a_constant_query_count(client):
    client.force_login(desk_user("Photo editor"))
    url = reverse("admin:articles_photo_changelist")
    for _ in range(2):
        PhotoFactory()
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert html.count('class="photo-card"') == 2
    for _ in range(5):
        PhotoFactory(alt_text="")
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count('class="photo-card"') == 7
    assert "no alt text" in html
    assert len(many) == len(few)


def test_the_media_library_filters_by_rights_status(client):
    client.force_login(desk_user("Photo editor"))
    usable = PhotoFactory(caption="Usable harbour")
    expired = PhotoFactory(caption="Expired harbour", expires_at=timezone.now() - timedelta(days=1))
    url = reverse("admin:articles_photo_changelist")
    usable_html = client.get(url, {"licence": "usable"}).content.decode()
    expired_html = client.get(url, {"licence": "expired"}).content.decode()
    assert "Usable harbour" in usable_html and "Expired harbour" not in usable_html
    assert "Expired harbour" in expired_html and "Licence ended" in expired_html
    assert usable.pk and expired.pk


def test_the_content_api_carries_a_body_photo_as_a_plain_img_and_drops_a_withdrawn_one(client):
    story, _, inline = story_with_body_photo()
    data = client.get(f"/api/v1/stories/{story.pk}").json()
    assert '<figure><img src="http' in data["body_html"]
    assert "Cranes return. Harbour Wire</figcaption>" in data["body_html"]
    assert "data-photo" not in data["body_html"]
    Photo.objects.filter(pk=inline.photo.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    body = client.get(f"/api/v1/stories/{story.pk}").json()["body_html"]
    assert "Cranes return." not in body and inline.photo.rendition_key not in body
