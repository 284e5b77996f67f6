"""The photo upload pipeline: check a file by content, read metadata, store it, make renditions.

Used by the admin's multi-file upload, `manage.py import_photos`, wire ingest and seed_demo.
Nothing is written until the file has passed every check; a rejected file leaves no row and no file.
"""

import struct
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from PIL import Image, UnidentifiedImageError

from . import images
from .metadata import parse_date, read_metadata
from .models import Photo, Source, file_sha256
from .provenance import manifest_source_type, read_content_credentials
from .renditions import made_in_process, request_renditions
from .rights import SOURCE_TYPES, normalise_source_type, rights_fields

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
if images.features.check("avif"):
    ACCEPTED_FORMATS["AVIF"] = "avif"

class PhotoRejected(Exception):
    """A file that cannot become a photo; str() is the reason, written for editors."""


# JPEG decodes at 1/2, 1/4 or 1/8 size (draft mode), so its decoded memory stays small whatever its
# pixel count; PNG, WebP and AVIF decode at full size (4 bytes a pixel with alpha), so they get a
# lower bound: a 100 MP PNG once took a worker to 1.77 GB (issue #11).
FULL_SIZE_DECODE_FORMATS = {"PNG", "WEBP", "AVIF"}


def max_bytes():
    """NEWSROOM_PHOTO_MAX_BYTES, else (0) the site-wide upload limit NEWSROOM_MAX_UPLOAD_MB."""
    return settings.NEWSROOM_PHOTO_MAX_BYTES or settings.NEWSROOM_MAX_UPLOAD_MB * 2**20


def file_size(file):
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    file.seek(0)
    return size


def describe_non_image(head):
    """A specific reason for a file Pillow cannot identify, from its first bytes."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text[:512]:
        return "This file is an SVG drawing, not a photo; SVG is not accepted because it can carry scripts."
    if text.startswith((b"<!doctype html", b"<html")) or b"<script" in text[:512]:
        return "This file is an HTML page, not an image."
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "This file is not in a format we accept; upload a JPEG, PNG or WebP photo."
    return "This file is text, not an image."


@dataclass
class CheckedImage:
    image: Image.Image  # decoded, upright, possibly at reduced size (enough for every rendition)
    metadata: dict
    extension: str
    width: int  # display size of the full original, after EXIF orientation
    height: int
    format: str = ""  # Pillow's name for the file's format ("JPEG")


def inspect_image(file):
    """Open and fully check an image without storing it; returns a CheckedImage.

    Raises PhotoRejected with the reason when the file is not an acceptable photo.
    """
    size = file_size(file)
    if size == 0:
        raise PhotoRejected("The file is empty.")
    if size > max_bytes():
        raise PhotoRejected(f"The file is {size / 2**20:.1f} MB; the limit is {max_bytes() / 2**20:.0f} MB.")
    head = file.read(1024)
    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            # Opening reads only the header: dimensions are known before any pixel is decoded.
            with Image.open(file) as im:
                checked = check_and_decode(im)
        except Image.DecompressionBombError as exc:
            raise PhotoRejected(bomb_message(exc)) from exc
        except UnidentifiedImageError as exc:
            raise PhotoRejected(describe_non_image(head)) from exc
        except DECODE_ERRORS as exc:
            raise PhotoRejected(f"The image is damaged or incomplete and cannot be decoded ({exc}).") from exc
    file.seek(0)
    checked.metadata["content_credentials"] = read_content_credentials(file.read(), checked.format)
    file.seek(0)
    return checked


# What Pillow's readers raise on damaged data.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error)


def check_and_decode(im):
    """Format, size, frame and metadata checks on an opened image, then the one real decode."""
    if im.format not in ACCEPTED_FORMATS:
        raise PhotoRejected(f"{im.format} images are not accepted; upload a JPEG, PNG or WebP photo.")
    width, height = im.size
    limit = any_format_limit = settings.NEWSROOM_PHOTO_MAX_PIXELS
    if im.format in FULL_SIZE_DECODE_FORMATS:
        limit = min(limit, settings.NEWSROOM_PHOTO_MAX_FULL_DECODE_PIXELS)
    if width * height > limit:
        raise PhotoRejected(
            f"The image is {width}×{height} pixels ({width * height / 1e6:.0f} megapixels); "
            f"the limit is {limit / 1e6:.0f} megapixels"
            + (f" for {im.format} (upload a JPEG for larger pictures)." if limit < any_format_limit else ".")
        )
    if getattr(im, "n_frames", 1) > 1:
        raise PhotoRejected("Animated images are not accepted; upload a single still photo.")
    metadata = read_metadata(im)
    if metadata["orientation"] in images.SWAPS_AXES:
        width, height = height, width
    # Every pixel is decoded either way (that is the check); only the size kept differs: enough for
    # the renditions made right here, or just a thumbnail's worth when a worker makes them later.
    specs = images.standard_specs(Photo(width=width, height=height)) if made_in_process() else ["thumb"]
    decoded = images.decode(im, specs)
    return CheckedImage(decoded, metadata, ACCEPTED_FORMATS[im.format], width, height, im.format)


def bomb_message(exc):
    return (
        "The image declares far more pixels than a photo needs (a possible decompression bomb); "
        f"the limit is {settings.NEWSROOM_PHOTO_MAX_PIXELS / 1e6:.0f} megapixels."
    )


def link_credit_sources(photo):
    """Point the photo's credit_sources at the agencies its credit names."""
    photo.credit_sources.set(Source.objects.for_credit(photo.credit))


def photo_fields(metadata):
    return {
        "caption": metadata["caption"],
        "credit": metadata["credit"][:255],
        "photographer": metadata["byline"][:255],
        "copyright": metadata["copyright"][:255],
        "headline": metadata["headline"][:255] or metadata["object_name"][:255],
        "date_created": parse_date(metadata["date_created"]),
        "city": metadata["city"][:100],
        "country": metadata["country"][:100],
        "keywords": metadata["keywords"],
        "metadata": metadata,
        **rights_fields(metadata),
        **provenance_fields(metadata),
    }


def provenance_fields(metadata):
    """Content credentials, and the digital source type: the file's IPTC field, else the manifest's.

    A manifest that fails validation still counts when it says the picture is AI-made: labelling
    errs towards telling readers.
    """
    credentials = metadata.get("content_credentials") or {}
    fields = {"content_credentials": credentials}
    if not metadata.get("digital_source_type"):
        claimed = normalise_source_type(manifest_source_type(credentials))
        trusted = credentials.get("state") in ("valid", "trusted")
        if claimed and (trusted or claimed.rsplit("/", 1)[-1] in AI_CODES):
            fields["digital_source_type"] = claimed
    return fields


AI_CODES = tuple(code for code, t in SOURCE_TYPES.items() if t.kind == "ai")


def import_photo(file, *, filename=None, uploaded_by=None, source=None, checked=None):
    """Turn a file into a Photo with its metadata and renditions; returns (photo, created).

    The same bytes uploaded again give back the existing photo. A file that is not an acceptable
    photo raises PhotoRejected and leaves nothing behind. `checked` is inspect_image(file) when
    the caller (a form's validation) has already run it.
    """
    filename = filename or getattr(file, "name", None) or "photo"
    digest = file_sha256(file)
    existing = Photo.objects.filter(sha256=digest).first()
    if existing:
        return existing, False
    checked = checked or inspect_image(file)
    metadata = {**checked.metadata, "filename": str(filename)[:255]}
    photo = Photo(
        sha256=digest,
        uploaded_by=uploaded_by,
        width=checked.width,
        height=checked.height,
        **photo_fields(metadata),
    )
    stored_name = f"{digest}.{checked.extension}"
    try:
        with transaction.atomic():
            photo.image.save(stored_name, File(file, name=stored_name), save=False)
            photo.source = source or Source.objects.for_name(metadata["source"])
            photo.save()
            link_credit_sources(photo)
            request_renditions(photo, image=checked.image)
    except IntegrityError:
        # The same file imported concurrently: keep theirs, drop our copy of the original and our
        # renditions (named by our own rendition key, so theirs are untouched).
        discard_photo_files(photo)
        existing = Photo.objects.filter(sha256=digest).first()
        if existing:
            return existing, False
        raise
    except BaseException:
        discard_photo_files(photo)
        raise
    return photo, True


def discard_photo_files(photo, *, renditions=True):
    """Delete the stored original and any rendition files (after a rolled-back transaction)."""
    if photo.image and photo.image.name:
        photo.image.storage.delete(photo.image.name)
    if renditions:
        images.delete_rendition_files(photo)
