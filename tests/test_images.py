"""Renditions: oriented, stripped of private data, rights kept, focal crops, made once, named by spec."""

import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, features

from articles import images
from articles.models import Photo, Rendition
from articles.photos import import_photo
from tests.factories import PhotoFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

FIXTURES = Path(__file__).parent / "fixtures" / "photos"


def imported(name):
    photo, _ = import_photo(SimpleUploadedFile(name, (FIXTURES / name).read_bytes()))
    return photo


def opened(rendition):
    with default_storage.open(rendition.file.name) as fh:
        im = Image.open(io.BytesIO(fh.read()))
        im.load()
    return im


def test_exif_orientation_is_applied_and_display_size_stored():
    photo = imported("ap_orientation6.jpg")
    assert (photo.width, photo.height) == (600, 800)
    rendition = images.get_rendition(photo, "w640")
    assert (rendition.width, rendition.height) == (600, 800)
    im = opened(rendition).convert("RGB")
    assert im.size == (600, 800)
    red, green, blue = im.getpixel((300, 10))  # the red TOP band must be at the top
    assert red > 150 and green < 100 and blue < 100
    assert im.getexif().get(0x0112) in (None, 1)


def test_renditions_carry_no_gps_or_camera_data_but_keep_the_rights():
    photo = imported("reuters_gps.jpg")
    renditions = list(photo.renditions.all())
    assert {r.spec.split(".")[-1] for r in renditions} >= {"w640", "webp"}
    for rendition in renditions:
        im = opened(rendition)
        assert not im.getexif(), rendition.spec
        raw = default_storage.open(rendition.file.name).read()
        assert b"GPS" not in raw and b"Sony" not in raw and b"ILCE" not in raw, rendition.spec
        xmp = im.info.get("xmp", b"")
        xmp = xmp.encode() if isinstance(xmp, str) else xmp
        assert b"REUTERS" in xmp and b"Thomson Reuters" in xmp, rendition.spec


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow cannot write AVIF")
def test_avif_renditions_are_made_when_pillow_supports_them(settings):
    settings.NEWSROOM_PHOTO_AVIF = True
    photo = PhotoFactory(credit="AFP-Yonhap", copyright="(C) AFP 2024")
    rendition = images.get_rendition(photo, "w320.avif")
    im = opened(rendition)
    assert im.format == "AVIF" and rendition.file.name.endswith(".avif")
    assert b"AFP-Yonhap" in im.info.get("xmp", b"")
    assert "w320.avif" in images.standard_specs(photo)


def test_widths_never_exceed_the_original():
    photo = imported("reuters_gps.jpg")  # 1024 wide
    widths = [r.width for r in photo.renditions.all()]
    assert max(widths) == 1024
    assert "w1600" not in images.standard_specs(photo)
    assert "w1200" in images.standard_specs(photo)  # renders the full 1024 pixels


def split_image(size=(1600, 900)):
    """Left sixth red, the rest blue: tells which part of the picture a crop took."""
    im = Image.new("RGB", size, (0, 0, 255))
    im.paste((255, 0, 0), (0, 0, size[0] // 6, size[1]))
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=95)
    return SimpleUploadedFile("split.jpg", buffer.getvalue())


def test_square_crop_is_centred_on_the_focal_point():
    photo, _ = import_photo(split_image())
    centred = opened(images.get_rendition(photo, "1x1-w320")).convert("RGB")
    assert centred.size == (320, 320)
    assert centred.getpixel((5, 160))[2] > 200  # centre crop: blue at the left edge
    photo.focal_x, photo.focal_y = 100, 450
    photo.save()
    moved = images.get_rendition(photo, "1x1-w320")
    assert moved.focal_key == photo.focal_key
    assert opened(moved).convert("RGB").getpixel((5, 160))[0] > 200  # now red at the left edge


def test_moving_the_focal_point_keeps_whole_picture_renditions():
    photo, _ = import_photo(split_image())
    whole = images.get_rendition(photo, "w640")
    photo.focal_x, photo.focal_y = 100, 450
    photo.save()
    assert images.get_rendition(photo, "w640").pk == whole.pk
    crop = images.get_rendition(photo, "16x9-w640")
    assert (crop.width, crop.height) == (640, 360)


def test_rendition_names_are_deterministic_and_files_are_reused():
    photo = PhotoFactory()
    rendition = images.get_rendition(photo, "w640.webp")
    assert rendition.file.name == f"renditions/{photo.rendition_key[:2]}/{photo.rendition_key}-w640.webp"
    Rendition.objects.filter(pk=rendition.pk).delete()
    photo.image.delete(save=False)  # without the original, only adopting the stored file can work
    again = images.get_rendition(Photo.objects.get(pk=photo.pk), "w640.webp")
    assert again.file.name == rendition.file.name  # the stored file is reused, not re-rendered
    assert (again.width, again.height) == (rendition.width, rendition.height)


def test_prefetched_renditions_cost_no_query(django_assert_num_queries):
    photo = PhotoFactory()
    images.ensure_renditions(photo)
    photo = Photo.objects.prefetch_related("renditions").get(pk=photo.pk)
    with django_assert_num_queries(0):
        for spec in images.standard_specs(photo):
            images.get_rendition(photo, spec)


def test_large_jpegs_are_decoded_at_reduced_size():
    with Image.open(FIXTURES / "iptc_only_4000x2667.jpg") as im:
        decoded = images.decode(im, ["w640"])
    assert decoded.size == (1000, 667)  # 1/4 scale is still at least 640 wide


def test_unknown_spec_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown rendition spec"):
        images.get_rendition(PhotoFactory(), "w641")


def test_png_with_transparency_gets_a_white_background_in_jpeg():
    im = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    buffer = io.BytesIO()
    im.save(buffer, "PNG")
    photo, _ = import_photo(SimpleUploadedFile("clear.png", buffer.getvalue()))
    jpeg = opened(images.get_rendition(photo, "w320")).convert("RGB")
    assert jpeg.getpixel((10, 10)) == (255, 255, 255)
    assert opened(images.get_rendition(photo, "w320.webp")).mode == "RGBA"


def test_16_bit_greyscale_keeps_its_tones():
    im = Image.new("I;16", (256, 4))
    im.putdata([x * 256 for x in range(256)] * 4)
    buffer = io.BytesIO()
    im.save(buffer, "PNG")
    photo, _ = import_photo(SimpleUploadedFile("deep.png", buffer.getvalue()))
    grey = opened(images.get_rendition(photo, "w320")).convert("L")
    assert abs(grey.getpixel((128, 2)) - 128) < 12


def test_colour_profiles_are_applied_not_carried_along():
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 30, 40)).save(buffer, "JPEG", icc_profile=profile, quality=95)
    photo, _ = import_photo(SimpleUploadedFile("profiled.jpg", buffer.getvalue()))
    rendition = opened(images.get_rendition(photo, "w320"))
    assert "icc_profile" not in rendition.info
    red, green, blue = rendition.convert("RGB").getpixel((10, 10))
    assert red > 180 and green < 60 and blue < 60
