"""Pillow code: turn a private original into public, re-encoded renditions.

A rendition is one size/crop/format of a photo, named by a spec such as "w640" (JPEG, 640 wide),
"w640.webp" or "16x9-w320.avif" (a 16:9 card crop around the focal point). All specs live in the
SPECS dict. Renditions are decoded once at reduced size (JPEG draft mode), oriented by EXIF, carry
no EXIF/GPS/comments, keep credit and copyright as XMP, and are stored under deterministic names
through Django's default storage, never regenerated once they exist.
"""

import io
import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from PIL import ExifTags, Image, ImageCms, ImageOps, features

WIDTHS = (320, 640, 960, 1200, 1600, 1920)
CROP_WIDTHS = (320, 640, 960, 1200)
# Crops around the focal point. static/desk/focal-point.js mirrors crop_size()/crop_box() for the photo
# page's live previews; tests/test_focal_point_browser.py checks that both cut the same boxes.
CROPS = {"16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1)}
EXTENSIONS = {"jpeg": "jpg", "webp": "webp", "avif": "avif"}
MIME_TYPES = {"jpeg": "image/jpeg", "webp": "image/webp", "avif": "image/avif"}


@dataclass(frozen=True)
class Spec:
    width: int
    crop: str = ""  # a key of CROPS, or "" for the whole picture
    format: str = "jpeg"

    @property
    def ratio(self):
        return CROPS[self.crop] if self.crop else None


def spec_name(width, crop="", fmt="jpeg"):
    return f"{crop + '-' if crop else ''}w{width}{'' if fmt == 'jpeg' else '.' + fmt}"


def build_specs():
    specs = {"thumb": Spec(240)}
    for fmt in EXTENSIONS:
        for width in WIDTHS:
            specs[spec_name(width, "", fmt)] = Spec(width, "", fmt)
        for crop in CROPS:
            for width in CROP_WIDTHS:
                specs[spec_name(width, crop, fmt)] = Spec(width, crop, fmt)
    return specs


SPECS = build_specs()

# The families pre-made on upload: (crop, largest width). Templates ask for these.
STANDARD_FAMILIES = [("", 1920), ("16x9", 1200), ("1x1", 640)]
# Single JPEGs pre-made on upload too: the NewsArticle JSON-LD's three images (Google asks for
# 16:9, 4:3 and 1:1, at least 1200 px wide; a smaller photo gets its own width, listed as it is).
STRUCTURED_DATA_SPECS = ("16x9-w1200", "4x3-w1200", "1x1-w1200")


def modern_formats():
    """Formats offered before the JPEG fallback, best first (AVIF only if Pillow writes it)."""
    formats = []
    if settings.NEWSROOM_PHOTO_AVIF and features.check("avif"):
        formats.append("avif")
    formats.append("webp")
    return formats


def family_widths(photo, crop, max_width):
    """The widths worth making for `photo`: none larger than the picture, the full size included."""
    full_width = crop_size((photo.width, photo.height), CROPS[crop] if crop else None)[0] or max_width
    candidates = WIDTHS if not crop else CROP_WIDTHS
    widths = [w for w in candidates if w <= max_width and w <= full_width]
    larger = [w for w in candidates if w <= max_width and w > full_width]
    if larger and (not widths or widths[-1] < full_width):
        widths.append(larger[0])  # renders at the picture's own width
    return widths or [min(candidates)]


def family_specs(photo, crop="", max_width=1920):
    """{format: [spec names, narrowest first]} for one <picture>; JPEG last as the fallback."""
    widths = family_widths(photo, crop, max_width)
    return {fmt: [spec_name(w, crop, fmt) for w in widths] for fmt in [*modern_formats(), "jpeg"]}


def standard_specs(photo):
    names = ["thumb"]
    for crop, max_width in STANDARD_FAMILIES:
        for specs in family_specs(photo, crop, max_width).values():
            names.extend(specs)
    return list(dict.fromkeys([*names, *STRUCTURED_DATA_SPECS]))


def family_names(spec):
    """Every spec name a <picture> of `spec`'s family can use, whatever the photo's size.

    A superset of family_specs() for any photo: what a page prefetches so {% picture %} finds
    each rendition it needs among the rows fetched (no query), without the other sizes.
    """
    parsed = SPECS[spec]
    candidates = CROP_WIDTHS if parsed.crop else WIDTHS
    return [spec_name(w, parsed.crop, fmt) for fmt in [*modern_formats(), "jpeg"] for w in candidates
            if w <= parsed.width]


def focal_key_for(photo, spec):
    """Only crops depend on the focal point; moving it leaves whole-picture renditions valid."""
    return photo.focal_key if SPECS[spec].crop else ""


def rendition_name(photo, spec, focal_key=None):
    parsed = SPECS[spec]
    if focal_key is None:
        focal_key = focal_key_for(photo, spec)
    base = spec.split(".")[0]
    suffix = f"-{focal_key}" if focal_key else ""
    return f"{rendition_prefix(photo)}-{base}{suffix}.{EXTENSIONS[parsed.format]}"


def rendition_prefix(photo):
    """Where a photo's renditions live: named by its secret rendition key, never by its contents.

    Anyone holding the same agency file can compute its SHA-256, so names derived from it would
    let outsiders find photos we hold but have not published. The key is random and changes when
    the photo is withdrawn (withdrawal.py), so old addresses never come back. Photos from before
    the key existed (empty key) keep their SHA-256-based names until they are withdrawn once.
    """
    if photo.rendition_key:
        return f"renditions/{photo.rendition_key[:2]}/{photo.rendition_key}"
    return f"renditions/{photo.sha256[:2]}/{photo.sha256[:16]}"


# --- decoding ---------------------------------------------------------------------------------

SWAPS_AXES = {5, 6, 7, 8}  # EXIF orientations that turn the picture on its side


def scale_needed(display_size, specs):
    """The fraction of the full display size the largest of `specs` needs (1.0 = full size)."""
    needed = 0.0
    for spec in specs:
        parsed = SPECS[spec]
        box_width = crop_size(display_size, parsed.ratio)[0]
        needed = max(needed, min(1.0, parsed.width / box_width) if box_width else 1.0)
    return needed


def decode(im, specs):
    """Decode an opened original just large enough for `specs`, upright, in RGB or RGBA."""
    orientation = im.getexif().get(ExifTags.Base.Orientation, 1)
    stored = im.size
    display = (stored[1], stored[0]) if orientation in SWAPS_AXES else stored
    scale = scale_needed(display, specs)
    if im.format == "JPEG" and scale < 1:
        # Draft mode lets libjpeg decode at 1/2, 1/4 or 1/8 size: far less work for big originals.
        im.draft("RGB", (max(1, math.ceil(stored[0] * scale)), max(1, math.ceil(stored[1] * scale))))
    im.load()
    icc_profile = im.info.get("icc_profile")
    factor = math.floor(1 / scale) if scale > 0 else 1
    if im.format != "JPEG" and factor >= 2 and im.mode in ("RGB", "RGBA", "L", "LA"):
        # Formats without draft decoding: shrink at once so the colour conversion and rotation
        # below work on the small picture, not the huge one.
        im = reduce_without_full_copy(im, factor)
    upright = ImageOps.exif_transpose(im)
    if icc_profile and upright.mode in ("RGB", "RGBA", "CMYK", "L"):
        upright = to_srgb(upright, icc_profile)
    if upright.mode.startswith("I"):
        # 16-bit greyscale: scale to 8 bits (a plain convert would clip everything above 255 to white).
        upright = upright.convert("I").point(lambda value: value / 256).convert("L")
    if upright.mode not in ("RGB", "RGBA"):
        has_alpha = upright.mode in ("LA", "PA") or "transparency" in upright.info
        upright = upright.convert("RGBA" if has_alpha else "RGB")
    upright.info = {}  # never carry comments, EXIF, ICC or other payloads into a rendition
    return upright


def reduce_without_full_copy(im, factor):
    """`im` shrunk by an integer `factor` (box filter) with no second full-size buffer.

    Pillow's reduce() premultiplies alpha through a full-size copy first; one band at a time
    costs a single band's copy instead (a 40 MP RGBA PNG: 160 MB extra down to 40 MB).
    """
    if "A" not in im.getbands():
        reduced = im.reduce(factor)
    else:
        bands = [im.getchannel(band).reduce(factor) for band in im.getbands()]
        reduced = Image.merge(im.mode, bands)
    reduced.info = dict(im.info)
    return reduced


SRGB = ImageCms.createProfile("sRGB")


def to_srgb(image, icc_profile):
    """Convert pixels from the original's colour profile (Adobe RGB, say) to sRGB, the web's default."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, SRGB, outputMode=output_mode)
    except (ImageCms.PyCMSError, ValueError, OSError):
        return image  # an unreadable profile: the pixels are still the best we have


# --- cropping and resizing --------------------------------------------------------------------


def crop_size(size, ratio):
    width, height = size
    if not ratio or not width or not height:
        return width, height
    rw, rh = ratio
    if width * rh > height * rw:
        return round(height * rw / rh), height
    return width, round(width * rh / rw)


def crop_box(size, ratio, focal=None):
    """The largest box of `ratio` inside `size`, centred on `focal` as far as the edges allow."""
    width, height = size
    box_w, box_h = crop_size(size, ratio)
    fx, fy = focal if focal else (width / 2, height / 2)
    left = min(max(round(fx - box_w / 2), 0), width - box_w)
    top = min(max(round(fy - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


def crop_for(image, crop, photo):
    """The largest `crop` (a key of CROPS) of a decoded image, centred on the photo's focal point."""
    focal = None
    if photo.focal_point and photo.width:
        factor = image.width / photo.width
        focal = (photo.focal_x * factor, photo.focal_y * factor)
    return image.crop(crop_box(image.size, CROPS[crop], focal))


# --- encoding ---------------------------------------------------------------------------------


def rights_xmp(photo):
    """A small XMP packet carrying credit, creator, copyright, usage terms and digital source type.

    Nothing else: no GPS, no contact details, no C2PA manifest (a re-encoded picture would not
    match its hashes; the original keeps it, privately).
    """
    parts = []
    if photo.photographer:
        parts.append(f"<dc:creator><rdf:Seq><rdf:li>{escape(photo.photographer)}</rdf:li></rdf:Seq></dc:creator>")
    if photo.copyright:
        parts.append(
            f"<dc:rights><rdf:Alt><rdf:li xml:lang='x-default'>{escape(photo.copyright)}</rdf:li></rdf:Alt></dc:rights>"
        )
    if photo.credit:
        parts.append(f"<photoshop:Credit>{escape(photo.credit)}</photoshop:Credit>")
    if photo.usage_terms:
        parts.append(
            "<xmpRights:UsageTerms><rdf:Alt><rdf:li xml:lang='x-default'>"
            f"{escape(photo.usage_terms)}</rdf:li></rdf:Alt></xmpRights:UsageTerms>"
        )
    if photo.web_statement:
        parts.append(f"<xmpRights:WebStatement>{escape(photo.web_statement)}</xmpRights:WebStatement>")
    if photo.digital_source_type:
        parts.append(
            f"<Iptc4xmpExt:DigitalSourceType>{escape(photo.digital_source_type)}</Iptc4xmpExt:DigitalSourceType>"
        )
    if not parts:
        return b""
    return (
        "<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        "<rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/'"
        " xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/'"
        " xmlns:xmpRights='http://ns.adobe.com/xap/1.0/rights/'"
        " xmlns:Iptc4xmpExt='http://iptc.org/std/Iptc4xmpExt/2008-02-29/'>"
        f"{''.join(parts)}</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>"
    ).encode()


def encode(image, fmt, xmp=b""):
    """Bytes of `image` in `fmt`: pixels and the rights XMP only (no EXIF, GPS or comments)."""
    out = io.BytesIO()
    options = {"xmp": xmp} if xmp else {}
    if fmt == "jpeg":
        if image.mode != "RGB":
            image = flatten(image)
        image.save(out, "JPEG", quality=82, optimize=True, **options)
    elif fmt == "webp":
        image.save(out, "WEBP", quality=80, method=2, **options)
    elif fmt == "avif":
        image.save(out, "AVIF", quality=60, speed=9, **options)
    else:
        raise ValueError(f"unknown rendition format {fmt!r}")
    return out.getvalue()


def flatten(image):
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A") if "A" in image.getbands() else None)
    return background


def render_rendition(photo, spec, image=None):
    """Re-encode the original (or a decoded `image`) for `spec`; returns (bytes, width, height)."""
    if image is None:
        with photo.image.open("rb") as fh, Image.open(fh) as im:
            image = decode(im, [spec])
    _spec, data, width, height = next(render_renditions(photo, image, [spec]))
    return data, width, height


# --- storing ----------------------------------------------------------------------------------


def prefetched_renditions(photo, focal_key):
    """{spec: rendition} of the prefetched renditions made for `focal_key` ({} if none prefetched; no query)."""
    cache = getattr(photo, "_prefetched_objects_cache", {})
    return {r.spec: r for r in cache.get("renditions", ()) if r.focal_key == focal_key}


def get_rendition(photo, spec):
    """The stored rendition for `spec`, made once and reused (prefetched ones cost no query)."""
    if spec not in SPECS:
        raise ValueError(f"unknown rendition spec {spec!r}; see images.SPECS")
    focal_key = focal_key_for(photo, spec)
    found = prefetched_renditions(photo, focal_key).get(spec)
    if found:
        return found
    from .models import Rendition

    existing = Rendition.objects.filter(photo=photo, spec=spec, focal_key=focal_key).first()
    if existing:
        return existing
    name = rendition_name(photo, spec, focal_key)
    if default_storage.exists(name):  # the file outlived its row (a restore, a crash): adopt it
        with default_storage.open(name) as fh, Image.open(fh) as im:
            return store_rendition(photo, spec, focal_key, None, *im.size)
    return store_rendition(photo, spec, focal_key, *render_rendition(photo, spec))


def store_rendition(photo, spec, focal_key, data, width, height):
    """Save the file under its deterministic name and add the row; a racing twin's row wins."""
    from .models import Rendition

    name = rendition_name(photo, spec, focal_key)
    rendition = Rendition(photo=photo, spec=spec, focal_key=focal_key, width=width, height=height)
    if default_storage.exists(name):
        rendition.file.name = name  # the same name always holds the same pixels: reuse, never redo
    else:
        rendition.file.save(name, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            rendition.save()
    except IntegrityError:  # another request made it first
        if rendition.file.name != name:
            default_storage.delete(rendition.file.name)
        return Rendition.objects.get(photo=photo, spec=spec, focal_key=focal_key)
    prefetched = getattr(photo, "_prefetched_objects_cache", {}).get("renditions")
    if prefetched is not None and prefetched._result_cache is not None:
        prefetched._result_cache.append(rendition)  # later lookups on this page find it, no query
    return rendition


def render_renditions(photo, image, specs):
    """Yield (spec, bytes, width, height) for `specs` from one decoded image.

    Each crop is cut once and each size resized once, largest first and each from the previous
    one, then encoded in every format asked for: far less work than one pass per spec.
    """
    xmp = rights_xmp(photo)
    by_crop = {}
    for spec in specs:
        parsed = SPECS[spec]
        by_crop.setdefault(parsed.crop, {}).setdefault(parsed.width, []).append(spec)
    for crop, by_width in by_crop.items():
        current = crop_for(image, crop, photo) if crop else image
        for width in sorted(by_width, reverse=True):
            if current.width > width:
                # Whole pictures keep the original's exact proportions, not the draft decode's rounding.
                ratio = (photo.height / photo.width) if (not crop and photo.width) else None
                height = max(1, round(width * ratio if ratio else current.height * width / current.width))
                current = current.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
            for spec in by_width[width]:
                yield spec, encode(current, SPECS[spec].format, xmp), current.width, current.height


def ensure_renditions(photo, specs=None, image=None):
    """Make every missing rendition of `specs` (default: the standard set) from one decode."""
    from .models import Rendition

    specs = list(dict.fromkeys(specs if specs is not None else standard_specs(photo)))
    have = {(r.spec, r.focal_key): r for r in Rendition.objects.filter(photo=photo, spec__in=specs)}
    wanted = [(spec, focal_key_for(photo, spec)) for spec in specs]
    missing = [spec for spec, key in wanted if (spec, key) not in have]
    if missing:
        if image is None:
            with photo.image.open("rb") as fh, Image.open(fh) as im:
                image = decode(im, missing)
        for spec, data, width, height in render_renditions(photo, image, missing):
            key = focal_key_for(photo, spec)
            have[(spec, key)] = store_rendition(photo, spec, key, data, width, height)
    return [have[item] for item in wanted]


def delete_rendition_files(photo):
    """Remove every stored rendition file of `photo` (by its deterministic name prefix)."""
    if not (photo.rendition_key or photo.sha256):
        return
    folder, prefix = rendition_prefix(photo).rsplit("/", 1)
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for filename in files:
        if filename.startswith(prefix + "-"):
            default_storage.delete(f"{folder}/{filename}")
