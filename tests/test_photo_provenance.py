"""Provenance: IPTC digital source type and C2PA content credentials, shown to editors and readers."""

import io
import json
import re

import pytest
from django.urls import reverse
from PIL import Image

from articles import images
from articles.metadata import read_xmp
from articles.rights import SOURCE_TYPES
from tests.factories import ArticleFactory, CaptionFactory, PhotoFactory
from tests.rights_helpers import EXPECTED, rights_photo
from tests.workflow_helpers import desk_user, form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

DST = "http://cv.iptc.org/newscodes/digitalsourcetype/"
LABELLED = ["trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia", "compositeSynthetic", "algorithmicMedia"]


def story_page(client, photo):
    story = ArticleFactory()
    CaptionFactory(article=story, photo=photo)
    return client.get(story.get_absolute_url()).content.decode()


def figure_label(html):
    found = re.search(r'<span class="figure__provenance">(.*?)</span>\s*</figcaption>', html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else None


@pytest.mark.parametrize("code", list(SOURCE_TYPES))
def test_each_digital_source_type_is_read_and_labelled_for_readers_only_when_ai(client, code):
    photo = rights_photo(f"source_type_{code}.jpg")
    assert photo.digital_source_type == EXPECTED[f"source_type_{code}.jpg"]["digital_source_type"] == DST + code
    label = figure_label(story_page(client, photo))
    if code in LABELLED:
        assert label == "AI" + SOURCE_TYPES[code].reader_label
    else:
        assert label is None


def test_ai_generated_wire_image_is_labelled_accessibly_under_the_figure(client):
    html = story_page(client, rights_photo("source_type_trainedAlgorithmicMedia.jpg"))
    figure = re.search(r'<figure class="figure figure--lead">.*?</figure>', html, re.S).group(0)
    assert "AI-generated image" in figure
    assert 'aria-hidden="true">AI</span>' in figure  # the mark is decoration; the words are read out


def test_the_setting_decides_which_source_types_are_labelled(client, settings):
    settings.NEWSROOM_PHOTO_LABELLED_SOURCE_TYPES = ["compositeCapture"]
    assert figure_label(story_page(client, rights_photo("source_type_compositeCapture.jpg"))) == (
        "AIComposite of several photographs"
    )
    assert figure_label(story_page(client, rights_photo("source_type_trainedAlgorithmicMedia.jpg"))) is None


def test_json_ld_carries_digital_source_type_and_licence_fields(client):
    photo = rights_photo("terms_editorial_only_xmp.jpg")
    photo.digital_source_type = DST + "compositeWithTrainedAlgorithmicMedia"
    photo.web_statement = "https://wire.example/terms"
    photo.licensor_url = "https://wire.example/buy"
    photo.save()
    html = story_page(client, photo)
    blocks = [json.loads(b) for b in re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)]
    image = next(b for b in blocks if b["@type"] == "NewsArticle")["image"][0]
    assert image["digitalSourceType"] == "https://schema.org/CompositeWithTrainedAlgorithmicMediaDigitalSource"
    assert image["license"] == "https://wire.example/terms"
    assert image["acquireLicensePage"] == "https://wire.example/buy"


def test_a_photo_without_rights_or_provenance_fields_renders_as_before(client):
    photo = PhotoFactory(photographer="Kim Min-ji", copyright="(C) Newsroom")
    html = story_page(client, photo)
    assert figure_label(html) is None and "photo-badge" not in html
    blocks = [json.loads(b) for b in re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)]
    image = next(b for b in blocks if b["@type"] == "NewsArticle")["image"][0]
    assert "digitalSourceType" not in image and "license" not in image
    data, _w, _h = images.render_rendition(photo, "w320")
    xmp = Image.open(io.BytesIO(data)).info["xmp"]
    assert b"DigitalSourceType" not in xmp and b"UsageTerms" not in xmp and b"(C) Newsroom" in xmp


def test_renditions_keep_credit_copyright_usage_terms_and_digital_source_type_in_xmp():
    photo = rights_photo("source_type_trainedAlgorithmicMedia.jpg")
    photo.usage_terms = "Editorial use only"
    photo.save()
    for spec in ("w320", "16x9-w320", "w320.webp"):
        data, _w, _h = images.render_rendition(photo, spec)
        values, _gps = read_xmp(Image.open(io.BytesIO(data)))
        assert values["credit"] == "Test Wire" and values["copyright"] == "(C) Test Wire 2026"
        assert values["usage_terms"] == "Editorial use only"
        assert values["digital_source_type"] == DST + "trainedAlgorithmicMedia"


def edit_in_photo_admin(client, photo, **changes):
    """A photo editor saves the photo's admin form with `changes`."""
    client.force_login(desk_user("Photo editor"))
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    data = form_data(client.get(url).content.decode(), form_id="photo_form")
    data.update(changes)
    assert client.post(url, data).status_code == 302


def test_a_photo_editors_correction_reaches_the_renditions_xmp(client):
    """Renditions made before an edit carry the old credit: the photo admin remakes them, under new names."""
    photo = rights_photo("source_type_trainedAlgorithmicMedia.jpg")
    images.ensure_renditions(photo, ["w320"])
    old_name = photo.renditions.get(spec="w320").file.name
    edit_in_photo_admin(client, photo, credit="Corrected Wire", usage_terms="Editorial use only")
    photo.refresh_from_db()
    rendition = photo.renditions.get(spec="w320")
    assert rendition.file.name != old_name
    values, _gps = read_xmp(Image.open(rendition.file))
    assert values["credit"] == "Corrected Wire" and values["usage_terms"] == "Editorial use only"
    assert values["digital_source_type"] == DST + "trainedAlgorithmicMedia"


def test_an_edit_outside_the_xmp_fields_keeps_the_renditions(client):
    photo = rights_photo("source_type_digitalCapture.jpg")
    images.ensure_renditions(photo, ["w320"])
    old_name = photo.renditions.get(spec="w320").file.name
    edit_in_photo_admin(client, photo, caption="A new caption only.")
    assert photo.renditions.get(spec="w320").file.name == old_name


# --- C2PA -------------------------------------------------------------------------------------


def test_signed_manifest_is_valid_with_its_issuer_and_actions_and_labels_the_ai_image(client):
    photo = rights_photo("c2pa_signed_ai.jpg")
    credentials = photo.content_credentials
    assert credentials["state"] == "valid"  # intact and signed; our test CA is not a trust anchor
    assert credentials["issuer"] == "Newsroom Test Agency" and credentials["signer"] == "Newsroom Test Signer"
    assert [a["action"] for a in credentials["actions"]] == ["c2pa.created"]
    assert credentials["actions"][0]["software_agent"] == "Test Image Generator"
    # No IPTC field in the file: the manifest's digital source type is used.
    assert photo.digital_source_type == DST + "trainedAlgorithmicMedia"
    assert figure_label(story_page(client, photo)) == "AIAI-generated image"


def test_tampered_manifest_is_invalid_and_says_why():
    credentials = rights_photo("c2pa_tampered.jpg").content_credentials
    assert credentials["state"] == "invalid"
    assert any(p.startswith("assertion.dataHash.mismatch") for p in credentials["problems"])


def test_trust_anchors_setting_makes_our_test_signer_trusted(settings):
    from tests.rights_helpers import RIGHTS

    settings.NEWSROOM_C2PA_TRUST_ANCHORS = str(RIGHTS / "test_ca.pem")
    assert rights_photo("c2pa_signed_camera_edits.jpg").content_credentials["state"] == "trusted"


def test_camera_manifest_records_its_edits():
    photo = rights_photo("c2pa_signed_camera_edits.jpg")
    assert [a["label"] for a in photo.content_credentials["actions"]] == ["created", "colour adjusted", "cropped"]
    assert photo.digital_source_type == DST + "digitalCapture"


def test_a_file_without_a_manifest_has_no_content_credentials():
    assert rights_photo("terms_editorial_only_xmp.jpg").content_credentials == {}


# --- badges for editors -----------------------------------------------------------------------


def test_photo_page_and_list_show_provenance_and_credential_badges(client):
    signed = rights_photo("c2pa_signed_ai.jpg")
    tampered = rights_photo("c2pa_tampered.jpg")
    client.force_login(desk_user("Photo editor"))
    page = client.get(reverse("admin:articles_photo_change", args=[signed.pk])).content.decode()
    assert "AI-generated</span>" in page and "Content credentials: valid" in page
    assert "Newsroom Test Agency" in page and "created (Test Image Generator)" in page
    listing = client.get(reverse("admin:articles_photo_changelist"), {"source_type": "ai"}).content.decode()
    assert "AI-generated</span>" in listing
    bad = client.get(reverse("admin:articles_photo_change", args=[tampered.pk])).content.decode()
    assert "Content credentials: INVALID" in bad


def test_story_form_shows_the_photo_badges(client, editor):
    story = ArticleFactory()
    CaptionFactory(article=story, photo=rights_photo("terms_editorial_only_xmp.jpg"))
    CaptionFactory(
        article=story, photo=rights_photo("source_type_compositeWithTrainedAlgorithmicMedia.jpg"), role="inline"
    )
    client.force_login(editor)
    form = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert "Editorial use only</span>" in form and "Edited with AI</span>" in form


def test_the_api_carries_the_digital_source_type_and_the_reader_label(client):
    photo = rights_photo("source_type_trainedAlgorithmicMedia.jpg")
    camera = rights_photo("source_type_digitalCapture.jpg")
    story = ArticleFactory()
    CaptionFactory(article=story, photo=photo)
    CaptionFactory(article=story, photo=camera, role="inline", position=1)
    photos = {p["id"]: p for p in client.get(f"/api/v1/stories/{story.pk}").json()["photos"]}
    assert photos[photo.pk]["digital_source_type"] == DST + "trainedAlgorithmicMedia"
    assert photos[photo.pk]["provenance_label"] == "AI-generated image"
    assert photos[camera.pk]["digital_source_type"] == DST + "digitalCapture"
    assert photos[camera.pk]["provenance_label"] == ""
