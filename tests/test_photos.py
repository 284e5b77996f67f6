"""Uploading wire photos: content checks, metadata from the file, duplicates, credits linked to sources."""

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from articles.models import Photo, Rendition, Source
from articles.photos import PhotoRejected, discard_photo_files, import_photo
from tests.factories import SourceFactory, image_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

FIXTURES = Path(__file__).parent / "fixtures"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text())
GOOD = {Path(p["file"]).name: p for p in MANIFEST["photos"]}
BAD = {Path(p["file"]).name: p for p in MANIFEST["bad"]}
FIELD_FOR = {
    "caption": "caption",
    "headline": "headline",
    "credit": "credit",
    "byline": "photographer",
    "copyright": "copyright",
    "city": "city",
    "country": "country",
    "keywords": "keywords",
}


def fixture_file(kind, name):
    return SimpleUploadedFile(name, (FIXTURES / kind / name).read_bytes())


def stored_files(settings):
    roots = [Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)]
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


@pytest.mark.parametrize("name", sorted(GOOD))
def test_every_manifest_value_is_read_from_the_file(name):
    expect = GOOD[name]["expect"]
    photo, created = import_photo(fixture_file("photos", name))
    assert created
    for key, field in FIELD_FOR.items():
        assert getattr(photo, field) == expect[key], key
    assert photo.source.name.lower() == expect["source"].lower()
    assert photo.date_created == date.fromisoformat(expect["date_created"])
    assert photo.metadata["object_name"] == expect["object_name"]
    assert photo.metadata["datetime_created"] == expect["datetime_created"]
    assert photo.metadata["orientation"] == expect["orientation"]
    assert photo.metadata["has_gps"] == expect["has_gps"]
    assert [photo.width, photo.height] == GOOD[name]["display_size"]
    assert photo.sha256 == GOOD[name]["sha256"]


def test_gps_position_is_read_but_kept_in_the_private_metadata_only():
    photo, _ = import_photo(fixture_file("photos", "reuters_gps.jpg"))
    assert photo.metadata["gps"] == pytest.approx(GOOD["reuters_gps.jpg"]["expect"]["gps"], abs=1e-4)


def test_korean_utf8_caption_comes_through_intact():
    photo, _ = import_photo(fixture_file("photos", "yonhap_korean_utf8.jpg"))
    assert "평양=연합뉴스" in photo.caption
    assert photo.photographer == "홍길동 기자"


def test_xmp_wins_over_iim_when_they_disagree():
    buffer = io.BytesIO()
    xmp = (
        b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        b"<rdf:Description rdf:about='' xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/'"
        b" photoshop:Credit='Yonhap'/></rdf:RDF></x:xmpmeta>"
    )
    source = Image.open(FIXTURES / "photos" / "iptc_only_4000x2667.jpg")  # IIM credit: AFP
    source.info["xmp"] = xmp
    source.resize((400, 267)).save(buffer, "JPEG", xmp=xmp, **{"extra": iim_app13(source)})
    photo, _ = import_photo(SimpleUploadedFile("mixed.jpg", buffer.getvalue()))
    assert photo.credit == "Yonhap"
    assert photo.caption.startswith("Spectators watch")  # only IIM has a caption: it is used


def iim_app13(im):
    """The original APP13 (IPTC) segment, so a re-saved test file keeps its IIM block."""
    return app13(im.info["photoshop"][0x0404])


def app13(iim_data):
    """A JPEG APP13 segment wrapping raw IPTC-IIM data in its Photoshop resource (test data only)."""
    header = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00" + len(iim_data).to_bytes(4, "big") + iim_data
    return b"\xff\xed" + (len(header) + 2).to_bytes(2, "big") + header


def test_credit_is_linked_to_the_agencies_it_names():
    yonhap = SourceFactory(name="Yonhap")
    photo, _ = import_photo(fixture_file("photos", "afp_yonhap_pyongyang_portraits.jpg"))
    assert photo.credit == "AFP-Yonhap"
    assert set(photo.credit_sources.values_list("name", flat=True)) == {"AFP", "Yonhap"}
    assert photo.credit_sources.get(name="Yonhap") == yonhap
    assert Source.objects.get(name="AFP").kind == Source.Kind.AGENCY
    assert photo.source.name == "AFP"


def test_korean_credit_maps_to_the_yonhap_source():
    photo, _ = import_photo(fixture_file("photos", "yonhap_korean_utf8.jpg"))
    assert list(photo.credit_sources.values_list("name", flat=True)) == ["Yonhap"]


def test_a_given_source_overrides_the_one_in_the_file():
    wire = SourceFactory(name="Reuters")
    photo, _ = import_photo(fixture_file("photos", "afp_yonhap_pyongyang_portraits.jpg"), source=wire)
    assert photo.source == wire


def test_the_same_file_twice_reuses_the_photo():
    first, created = import_photo(fixture_file("photos", "reuters_gps.jpg"))
    again, created_again = import_photo(fixture_file("photos", "reuters_gps.jpg"), filename="other-name.jpg")
    assert created and not created_again
    assert again.pk == first.pk
    assert Photo.objects.count() == 1


def test_upload_makes_the_standard_renditions_once():
    photo, _ = import_photo(fixture_file("photos", "reuters_gps.jpg"))
    count = Rendition.objects.filter(photo=photo).count()
    assert count > 10
    import_photo(fixture_file("photos", "reuters_gps.jpg"))
    assert Rendition.objects.filter(photo=photo).count() == count


def test_originals_are_stored_privately_under_their_hash(settings):
    photo, _ = import_photo(fixture_file("photos", "xmp_only.webp"))
    assert photo.image.name == f"originals/{photo.sha256[:2]}/{photo.sha256}.webp"
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / photo.image.name).exists()
    assert not (Path(settings.MEDIA_ROOT) / photo.image.name).exists()


def test_type_comes_from_the_content_not_the_name():
    photo, _ = import_photo(fixture_file("photos", "xmp_only.webp"), filename="looks-like.jpg")
    assert photo.image.name.endswith(".webp")


@pytest.mark.parametrize(
    "name, reason",
    [
        ("empty.jpg", "empty"),
        ("truncated.jpg", "damaged or incomplete"),
        ("text_renamed.jpg", "text, not an image"),
        ("svg_with_script.png", "SVG"),
        ("bomb_20000x20000.png", "decompression bomb"),
        ("animated.gif", "GIF images are not accepted"),
    ],
)
def test_bad_files_are_rejected_with_their_reason_and_leave_nothing(name, reason, settings):
    sources = Source.objects.count()
    with pytest.raises(PhotoRejected, match=reason):
        import_photo(fixture_file("bad", name))
    assert Photo.objects.count() == 0
    assert Rendition.objects.count() == 0
    assert Source.objects.count() == sources
    assert stored_files(settings) == []


def test_pixel_limit_is_checked_before_decoding(settings):
    settings.NEWSROOM_PHOTO_MAX_PIXELS = 1_000_000
    with pytest.raises(PhotoRejected, match=r"1600×1067 pixels .* limit is 1 megapixels"):
        import_photo(fixture_file("photos", "afp_yonhap_pyongyang_portraits.jpg"))
    assert Photo.objects.count() == 0


def test_size_limit_is_configurable(settings):
    settings.NEWSROOM_PHOTO_MAX_BYTES = 100_000
    with pytest.raises(PhotoRejected, match="the limit is 0 MB|limit is"):
        import_photo(fixture_file("photos", "afp_yonhap_pyongyang_portraits.jpg"))
    assert stored_files(settings) == []


def test_animated_webp_is_rejected():
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (64, 64), c) for c in ("red", "blue")]
    frames[0].save(buffer, "WEBP", save_all=True, append_images=frames[1:])
    with pytest.raises(PhotoRejected, match="Animated"):
        import_photo(SimpleUploadedFile("moving.webp", buffer.getvalue()))


def test_html_polyglot_never_reaches_a_served_file(settings):
    photo, _ = import_photo(fixture_file("bad", "polyglot_html_comment.jpg"))
    served = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert served, "renditions were made"
    for path in served:
        data = path.read_bytes().lower()
        assert b"<script" not in data and b"<html" not in data, path
    assert "comment" not in photo.metadata


def test_png_and_plain_python_files_are_accepted():
    png = image_file("drawing.png", size=(300, 200), fmt="PNG")
    photo, _ = import_photo(png)
    assert photo.image.name.endswith(".png")
    with (FIXTURES / "photos" / "reuters_gps.jpg").open("rb") as fh:  # any binary file object
        from_disk, created = import_photo(fh)
    assert created and from_disk.width == 1024


def test_discard_photo_files_cleans_up_after_an_outer_rollback(settings):
    with pytest.raises(RuntimeError), transaction.atomic():
        photo, _ = import_photo(fixture_file("photos", "reuters_gps.jpg"))
        assert stored_files(settings)
        try:
            raise RuntimeError("the story failed to save")
        except RuntimeError:
            discard_photo_files(photo)
            raise
    assert Photo.objects.count() == 0
    assert stored_files(settings) == []


def test_a_failure_while_storing_leaves_nothing(settings, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("articles.images.store_rendition", broken)
    with pytest.raises(OSError, match="disk full"):
        import_photo(fixture_file("photos", "reuters_gps.jpg"))
    assert Photo.objects.count() == 0
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    "xmp",
    [
        b"<x:xmpmeta><rdf:RDF",  # cut off
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'boom'>]><x>&a;</x>",  # entities refused
    ],
)
def test_broken_xmp_falls_back_to_iim_and_is_reported(xmp):
    source = Image.open(FIXTURES / "photos" / "iptc_only_4000x2667.jpg")
    buffer = io.BytesIO()
    source.resize((400, 267)).save(buffer, "JPEG", xmp=xmp, extra=iim_app13(source))
    photo, created = import_photo(SimpleUploadedFile("odd-xmp.jpg", buffer.getvalue()))
    assert created and photo.credit == "AFP"
    assert photo.metadata["problems"] and "XMP block ignored" in photo.metadata["problems"][0]


@pytest.mark.parametrize(
    "credit, agencies",
    [
        ("AFP-Yonhap", ["AFP", "Yonhap"]),
        ("REUTERS", ["Reuters"]),
        ("Ahn Young-joon/AP", ["AP"]),
        ("KCNA via Yonhap", ["KCNA", "Yonhap"]),
        ("Jane Roe", []),
    ],
)
def test_credits_name_agencies_never_photographers(credit, agencies):
    from articles.models import Source
    from articles.photos import link_credit_sources

    photo, _ = import_photo(image_file("credit.jpg", size=(64, 48)))
    photo.credit = credit
    link_credit_sources(photo)
    assert sorted(photo.credit_sources.values_list("name", flat=True)) == sorted(agencies)
    assert len(Source.objects.credit_names(credit)) == len(agencies)


def iim_block(datasets):
    """An APP13 segment holding IPTC-IIM datasets {(record, number): bytes} (test data only)."""
    return app13(b"".join(b"\x1c" + bytes(key) + len(v).to_bytes(2, "big") + v for key, v in datasets.items()))


def test_control_characters_in_metadata_never_reach_the_database():
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x013B] = "Jane\x00 Roe"  # EXIF Artist
    iim = {(2, 120): b"Harbour\x00 at dawn\x07", (2, 110): b"AFP\x00"}
    Image.new("RGB", (64, 48)).save(buffer, "JPEG", exif=exif, extra=iim_block(iim))
    photo, _ = import_photo(SimpleUploadedFile("nul.jpg", buffer.getvalue()))
    photo.refresh_from_db()
    assert photo.caption == "Harbour at dawn"
    assert photo.credit == "AFP" and photo.photographer == "Jane Roe"


def test_legacy_iim_text_is_read_as_windows_1252():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48)).save(buffer, "JPEG", extra=iim_block({(2, 120): "Café in Zürich".encode("cp1252")}))
    photo, _ = import_photo(SimpleUploadedFile("legacy.jpg", buffer.getvalue()))
    assert photo.caption == "Café in Zürich"


def test_unreadable_gps_values_are_kept_as_unknown():
    from PIL.TiffImagePlugin import IFDRational

    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (IFDRational(0, 0), IFDRational(0, 0), IFDRational(0, 0)), 3: "E", 4: (1.0, 2.0, 3.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48)).save(buffer, "JPEG", exif=exif)
    photo, _ = import_photo(SimpleUploadedFile("gps.jpg", buffer.getvalue()))
    photo.refresh_from_db()
    assert photo.metadata["has_gps"] is True
    assert photo.metadata["gps"][0] is None
