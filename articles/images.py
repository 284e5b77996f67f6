"""Pillow code: turn a private original into public, re-encoded renditions.

The wire-photo work extends this module (WebP/AVIF, focal crops, metadata); the
interface stays `get_rendition(photo, spec)`.
"""
import io

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image, ImageOps

# spec name -> (max width, crop ratio or None)
SPECS = {
    "thumb": (240, None),
    "w640": (640, None),
    "w1200": (1200, None),
}


def rendition_name(photo, spec, ext="jpg"):
    return f"renditions/{photo.sha256[:2]}/{photo.sha256[:16]}-{spec}-{photo.focal_key}.{ext}"


def render_rendition(photo, spec):
    """Re-encode the original at the spec's size; returns (bytes, width, height)."""
    max_width, _ratio = SPECS[spec]
    with photo.image.open("rb") as fh, Image.open(fh) as im:
        im.draft("RGB", (max_width, max_width))
        im = ImageOps.exif_transpose(im).convert("RGB")
        if im.width > max_width:
            im = im.resize((max_width, round(im.height * max_width / im.width)), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        im.save(out, "JPEG", quality=82, optimize=True, progressive=True)
        return out.getvalue(), im.width, im.height


def get_rendition(photo, spec):
    """The stored rendition for `spec`, made once and reused (prefetched renditions cost no query)."""
    focal_key = photo.focal_key
    for rendition in photo.renditions.all():
        if rendition.spec == spec and rendition.focal_key == focal_key:
            return rendition
    from .models import Rendition

    existing = Rendition.objects.filter(photo=photo, spec=spec, focal_key=focal_key).first()
    if existing:
        return existing
    data, width, height = render_rendition(photo, spec)
    rendition = Rendition(photo=photo, spec=spec, focal_key=focal_key, width=width, height=height)
    rendition.file.save(rendition_name(photo, spec), ContentFile(data), save=False)
    try:
        with transaction.atomic():
            rendition.save()
    except IntegrityError:  # another request made it first
        return Rendition.objects.get(photo=photo, spec=spec, focal_key=focal_key)
    return rendition
