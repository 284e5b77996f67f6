"""Read the caption, credit and rights a wire photo carries in its file: IPTC-IIM, XMP and EXIF.

Pillow finds the blocks (getiptcinfo, info["xmp"], getexif); XMP is parsed with defusedxml. Where
the blocks disagree, XMP wins over IIM and IIM over EXIF (IPTC Photo Metadata Standard / MWG
guidance). IIM text is decoded by its declared character set (record 1:90).
"""

import math
import re
from datetime import date, datetime

from defusedxml import DefusedXmlException, ElementTree
from PIL import ExifTags, IptcImagePlugin

FIELDS = [
    "caption",
    "headline",
    "credit",
    "byline",
    "copyright",
    "source",
    "date_created",
    "datetime_created",
    "city",
    "country",
    "keywords",
    "object_name",
    # Rights and provenance (issue #17); see articles/rights.py for what is done with them.
    "usage_terms",
    "web_statement",
    "licensor_name",
    "licensor_url",
    "copyright_owner",
    "release_datetime",
    "expiry_datetime",
    "digital_source_type",
]

# IPTC-IIM record 2 datasets
IIM = {
    "object_name": (2, 5),
    "keywords": (2, 25),
    "release_date": (2, 30),
    "release_time": (2, 35),
    "expiration_date": (2, 37),
    "expiration_time": (2, 38),
    "usage_terms": (2, 40),  # Special Instructions: where agencies put "editorial use only" and the like
    "date_created": (2, 55),
    "time_created": (2, 60),
    "byline": (2, 80),
    "city": (2, 90),
    "country": (2, 101),
    "headline": (2, 105),
    "credit": (2, 110),
    "source": (2, 115),
    "copyright": (2, 116),
    "caption": (2, 120),
}
IIM_CODED_CHARACTER_SET = (1, 90)
IIM_UTF8 = b"\x1b%G"

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "xml": "http://www.w3.org/XML/1998/namespace",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "plus": "http://ns.useplus.org/ldf/xmp/1.0/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
}
XMP = {
    "caption": "dc:description",
    "object_name": "dc:title",
    "byline": "dc:creator",
    "copyright": "dc:rights",
    "keywords": "dc:subject",
    "headline": "photoshop:Headline",
    "credit": "photoshop:Credit",
    "source": "photoshop:Source",
    "city": "photoshop:City",
    "country": "photoshop:Country",
    "datetime_created": "photoshop:DateCreated",
    "usage_terms": "xmpRights:UsageTerms",
    "web_statement": "xmpRights:WebStatement",
    "expiry_datetime": "plus:LicenseEndDate",
    "digital_source_type": "Iptc4xmpExt:DigitalSourceType",
}
# PLUS structures: (XMP property, field of the first item) -> our field.
XMP_STRUCTS = {
    ("plus:Licensor", "plus:LicensorName"): "licensor_name",
    ("plus:Licensor", "plus:LicensorURL"): "licensor_url",
    ("plus:CopyrightOwner", "plus:CopyrightOwnerName"): "copyright_owner",
}


class MetadataError(ValueError):
    """The file's metadata block cannot be read (for example malformed or hostile XMP)."""


def read_metadata(im):
    """Everything a photo desk needs from an opened Pillow image, as a JSON-ready dict."""
    exif_values, orientation, gps = read_exif(im)
    iim_values = read_iim(im)
    problems = []
    try:
        xmp_values, xmp_gps = read_xmp(im)
    except MetadataError as exc:
        # The pixels are fine and are re-encoded anyway; fall back to IIM/EXIF and tell the desk.
        xmp_values, xmp_gps = {}, None
        problems.append(f"XMP block ignored: {exc}")
    result = {}
    for field in FIELDS:
        for values in (xmp_values, iim_values, exif_values):
            value = values.get(field)
            if value:
                result[field] = value
                break
        else:
            result[field] = [] if field == "keywords" else ""
    result["orientation"] = orientation
    result["gps"] = gps or xmp_gps
    result["has_gps"] = bool(gps or xmp_gps)
    present = (
        ("EXIF", orientation is not None),
        ("IPTC", iim_values),
        ("XMP", xmp_values or xmp_gps),
    )
    result["blocks"] = [name for name, found in present if found]
    result["problems"] = problems
    return result


def parse_date(value):
    """A `date` from the YYYY-MM-DD the readers produce, or None."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


# --- IPTC-IIM ---------------------------------------------------------------------------------


def iim_charset(info):
    coded = info.get(IIM_CODED_CHARACTER_SET)
    if isinstance(coded, list):
        coded = coded[0]
    return "utf-8" if coded == IIM_UTF8 else "cp1252"


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text):
    """Drop control characters (PostgreSQL refuses NUL in text and JSON) and outer whitespace."""
    return CONTROL_CHARACTERS.sub("", text).strip()


def decode_iim(raw, charset):
    try:
        return clean_text(raw.decode(charset))
    except UnicodeDecodeError:
        return clean_text(raw.decode("latin-1"))


def read_iim(im):
    try:
        info = IptcImagePlugin.getiptcinfo(im) or {}
    except (SyntaxError, OSError, ValueError, IndexError):
        # Pillow gives up on a damaged APP13 block; the photo itself is still usable.
        return {}
    charset = iim_charset(info)
    values = {}
    for field, key in IIM.items():
        raw = info.get(key)
        if raw is None:
            continue
        items = raw if isinstance(raw, list) else [raw]  # a repeatable dataset seen once is plain bytes
        texts = [t for t in (decode_iim(item, charset) for item in items) if t]
        if field == "keywords":
            values[field] = texts
        elif texts:
            values[field] = texts[0]
    if "date_created" in values:
        values.update(iim_datetime(values.pop("date_created"), values.pop("time_created", "")))
    values.pop("time_created", None)
    for moment, day, time in (
        ("release_datetime", "release_date", "release_time"),
        ("expiry_datetime", "expiration_date", "expiration_time"),
    ):
        if day in values:
            parsed = iim_datetime(values.pop(day), values.pop(time, "") or "000000")
            if "datetime_created" in parsed:
                values[moment] = parsed["datetime_created"]
        values.pop(time, None)
    return values


def iim_datetime(day, time):
    """IIM 2:55 CCYYMMDD and 2:60 HHMMSS±HHMM as ISO date and datetime strings."""
    match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", day)
    if not match:
        return {}
    iso_day = "-".join(match.groups())
    result = {"date_created": iso_day}
    tmatch = re.fullmatch(r"(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})(\d{2}))?", time)
    if tmatch:
        h, m, s, sign, oh, om = tmatch.groups()
        offset = f"{sign}{oh}:{om}" if sign else ""
        result["datetime_created"] = f"{iso_day}T{h}:{m}:{s}{offset}"
    return result


# --- XMP --------------------------------------------------------------------------------------


def qname(name):
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def xmp_property_values(element):
    """The texts of one XMP property: simple, rdf:Alt (x-default first), rdf:Seq or rdf:Bag."""
    container = next(iter(element), None)
    if container is None:
        text = clean_text(element.text or "")
        return [text] if text else []
    items = container.findall(qname("rdf:li"))
    if container.tag == qname("rdf:Alt"):
        items.sort(key=lambda li: li.get(qname("xml:lang")) != "x-default")
    return [t for t in (clean_text(li.text or "") for li in items) if t]


def xmp_values_by_name(root):
    """Map "prefix:Name" -> texts, from element and attribute forms of rdf:Description."""
    found = {}
    wanted = {qname(name): name for name in [*XMP.values(), "exif:GPSLatitude", "exif:GPSLongitude"]}
    for description in root.iter(qname("rdf:Description")):
        for attr, value in description.attrib.items():
            if attr in wanted and value.strip():
                found.setdefault(wanted[attr], [value.strip()])
        for child in description:
            if child.tag in wanted:
                found.setdefault(wanted[child.tag], xmp_property_values(child))
    return found


def xmp_struct_values(root):
    """Fields of the first item of PLUS structures (Licensor, CopyrightOwner), as our field names.

    They come as rdf:Seq/rdf:Bag of rdf:li rdf:parseType="Resource" (children) or of
    rdf:li/rdf:Description (children or attributes).
    """
    values = {}
    for (prop, field), name in XMP_STRUCTS.items():
        if name in values:
            continue
        for element in root.iter(qname(prop)):
            for item in element.iter(qname("rdf:li")):
                holders = [item, *item.findall(qname("rdf:Description"))]
                for holder in holders:
                    text = holder.get(qname(field)) or next(
                        (clean_text(child.text or "") for child in holder.findall(qname(field))), ""
                    )
                    if text and text.strip():
                        values[name] = clean_text(text)
                        break
                if name in values:
                    break
            if name in values:
                break
    return values


def read_xmp(im):
    raw = im.info.get("xmp") or im.info.get("XML:com.adobe.xmp")
    if not raw:
        return {}, None
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    # Packets end with whitespace padding and may start with a BOM'd processing instruction.
    raw = raw.strip(b"\x00 \r\n\t")
    try:
        root = ElementTree.fromstring(raw, forbid_dtd=True)
    except ElementTree.ParseError as exc:
        raise MetadataError(f"its XMP metadata is not well-formed XML ({exc})") from exc
    except DefusedXmlException as exc:
        raise MetadataError("its XMP metadata uses forbidden XML features (entities or a DTD)") from exc
    by_name = xmp_values_by_name(root)
    values = xmp_struct_values(root)
    for field, name in XMP.items():
        texts = by_name.get(name, [])
        if field == "keywords":
            if texts:
                values[field] = texts
        elif texts:
            values[field] = texts[0]
    if values.get("datetime_created"):
        values["date_created"] = values["datetime_created"][:10]
    gps = None
    if by_name.get("exif:GPSLatitude") and by_name.get("exif:GPSLongitude"):
        gps = [
            xmp_coordinate(by_name["exif:GPSLatitude"][0]),
            xmp_coordinate(by_name["exif:GPSLongitude"][0]),
        ]
    return values, gps


def xmp_coordinate(value):
    """XMP GPS coordinates look like "37,33.9777N"; returns signed decimal degrees (None if odd)."""
    match = re.fullmatch(r"(\d+),(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?([NSEW])", value.strip())
    if not match:
        return None
    deg, minutes, seconds, ref = match.groups()
    decimal = float(deg) + float(minutes) / 60 + float(seconds or 0) / 3600
    return round(-decimal if ref in "SW" else decimal, 6)


# --- EXIF -------------------------------------------------------------------------------------


def read_exif(im):
    """(values, orientation, gps) from EXIF; orientation is None when the file has no EXIF block."""
    try:
        exif = im.getexif()
    except (SyntaxError, OSError, ValueError, TypeError):
        return {}, None, None
    if not exif:
        return {}, None, None
    values = {}
    for field, tag in (
        ("caption", ExifTags.Base.ImageDescription),
        ("byline", ExifTags.Base.Artist),
        ("copyright", ExifTags.Base.Copyright),
    ):
        text = exif_text(exif.get(tag))
        if text:
            values[field] = text
    exif_ifd = exif.get_ifd(ExifTags.IFD.Exif)
    taken = exif_text(exif_ifd.get(ExifTags.Base.DateTimeOriginal))
    if taken:
        try:
            moment = datetime.strptime(taken, "%Y:%m:%d %H:%M:%S")
        except ValueError:
            moment = None
        if moment:
            offset = exif_text(exif_ifd.get(ExifTags.Base.OffsetTimeOriginal))
            values["date_created"] = moment.date().isoformat()
            values["datetime_created"] = moment.isoformat() + (offset if re.fullmatch(r"[+-]\d\d:\d\d", offset) else "")
    orientation = exif.get(ExifTags.Base.Orientation)
    return (
        values,
        orientation if orientation in range(1, 9) else (1 if orientation is None else None),
        exif_gps(exif),
    )


def exif_text(value):
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return clean_text(str(value))


def exif_gps(exif):
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    if not gps:
        return None
    try:
        lat = dms(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef, "N"))
        lon = dms(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef, "E"))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return [None, None]  # a GPS block is present even if it cannot be read
    return [lat, lon]


def dms(value, ref):
    deg, minutes, seconds = (float(v) for v in value)
    decimal = deg + minutes / 60 + seconds / 3600
    if not math.isfinite(decimal):  # a 0/0 rational; NaN cannot be stored as JSON in PostgreSQL
        return None
    return round(-decimal if str(ref).strip("\x00") in ("S", "W") else decimal, 5)
