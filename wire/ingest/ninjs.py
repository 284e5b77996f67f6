"""IPTC ninjs (News in JSON), versions 1.x and 2.x, into WireItems."""
import json

from articles.datelines import place_of
from articles.rights import url_or_blank

from .items import PICTURE_SUFFIXES, IngestError, WireItem, WirePicture
from .text import parse_wire_datetime, plain_text, split_byline, text_to_html

PICTURE_TYPES = {"picture", "graphic"}
# Rendition names agencies use for the full-size file, best first.
ORIGINAL_NAMES = ("original", "highres", "baseimage", "master", "full", "large")


def parse_ninjs(data, *, filename="", resolver=None):
    """Every item in a ninjs document (one object, or a list of them)."""
    try:
        document = json.loads(data)
    except UnicodeDecodeError as error:
        raise IngestError(f"Not valid JSON: the file is not UTF-8 text ({error.reason}).") from error
    except json.JSONDecodeError as error:
        raise IngestError(f"Not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}.") from error
    if not isinstance(document, list):
        if not isinstance(document, dict):
            raise IngestError("Not a ninjs item: expected a JSON object (or a list of objects).")
        item = parse_ninjs_object(document, filename=filename, resolver=resolver)
        item.raw = data.decode("utf-8", "replace")
        return [item]
    if not document:
        raise IngestError("Not a ninjs item: the list of objects is empty.")
    # In a list, one bad object is reported (an IngestError in its place) and the others go ahead.
    return [_list_entry(obj, n, len(document), filename, resolver) for n, obj in enumerate(document, 1)]


def _list_entry(obj, number, count, filename, resolver):
    try:
        if not isinstance(obj, dict):
            raise IngestError("Not a ninjs item: expected a JSON object.")
        item = parse_ninjs_object(obj, filename=filename, resolver=resolver)
    except IngestError as error:
        return IngestError(f"Item {number} of {count}: {error}")
    item.raw = json.dumps(obj, ensure_ascii=False)
    return item


def parse_ninjs_object(obj, *, filename="", resolver=None):
    """One ninjs object; 1.x and 2.x names are both understood."""
    guid = _text(obj.get("uri") or obj.get("guid"))
    if not guid:
        raise IngestError("The item has no uri, so it could not be matched with later versions.")
    item = WireItem(
        guid=guid[:255],
        version=_text(obj.get("version"))[:50],
        kind="picture" if obj.get("type") in PICTURE_TYPES else "text",
        headline=_headline(obj),
        dek=_summary(obj),
        body_html=_body(obj),
        byline=split_byline(obj.get("by") or obj.get("byline") or ""),
        dateline=_located(obj),
        source_name=_source(obj),
        copyright_holder=_text(obj.get("copyrightholder")),
        copyright_notice=_text(obj.get("copyrightnotice")),
        subjects=_names(obj.get("subjects") or obj.get("subject")),
        subject_codes=_codes(obj.get("subjects") or obj.get("subject")),
        keywords=[_text(k) for k in _list(obj.get("keywords")) if isinstance(k, str)],
        version_created=parse_wire_datetime(obj.get("versioncreated"), "versioncreated"),
        embargo_until=parse_wire_datetime(obj.get("embargoed"), "embargoed"),
        pub_status=_text(obj.get("pubstatus")).lower() or "usable",
        filename=filename,
    )
    if item.kind == "picture":
        picture = _picture(obj, resolver)
        item.pictures = [picture] if picture else []
        item.headline = item.headline or picture and picture.caption[:255] or ""
    else:
        item.pictures = [p for p in (_picture(a, resolver) for a in _associations(obj)) if p]
    return item


def _text(value):
    return plain_text(value) if isinstance(value, str | int | float) else ""


def _list(value):
    return value if isinstance(value, list) else []


def _by_role(entries, roles):
    """The value of the first entry whose role is one of `roles` (2.x arrays of {role, value})."""
    entries = [e for e in _list(entries) if isinstance(e, dict) and e.get("value")]
    for role in roles:
        for entry in entries:
            if (entry.get("role") or "main") == role:
                return entry
    return None


def _headline(obj):
    if isinstance(obj.get("headline"), str):  # 1.x
        return _text(obj["headline"])[:255]
    entry = _by_role(obj.get("headlines"), ("main",)) or next(iter(_list(obj.get("headlines"))), None)
    return _text(entry.get("value"))[:255] if isinstance(entry, dict) else ""


def _summary(obj):
    if obj.get("description_text") and obj.get("type") not in PICTURE_TYPES:  # 1.x
        return _text(obj["description_text"])
    entry = _by_role(obj.get("descriptions"), ("summary", "abstract", "teaser", "main"))
    return _text(entry["value"]) if entry else ""


def _caption(obj):
    if obj.get("description_text"):  # 1.x
        return _text(obj["description_text"])
    entry = _by_role(obj.get("descriptions"), ("caption", "main", "summary"))
    return _text(entry["value"]) if entry else ""


def _body(obj):
    if obj.get("body_html") or obj.get("body_xhtml"):  # 1.x
        return str(obj.get("body_html") or obj.get("body_xhtml"))
    if obj.get("body_text"):
        return text_to_html(obj["body_text"])
    bodies = [b for b in _list(obj.get("bodies")) if isinstance(b, dict) and isinstance(b.get("value"), str)]
    html = [b for b in bodies if "html" in (b.get("contenttype") or "text/html")]
    for body in sorted(html, key=lambda b: (b.get("role") or "main") != "main"):
        return body["value"]
    for body in bodies:
        return text_to_html(body["value"])
    return ""


def _located(obj):
    located = obj.get("located")
    if isinstance(located, dict):
        located = located.get("name")
    return place_of(plain_text(located)) if isinstance(located, str) else ""


def _source(obj):
    for source in _list(obj.get("infosources")):
        if isinstance(source, dict) and source.get("name") and (
            not source.get("role") or any(r in source["role"] for r in ("provider", "source", "originat"))
        ):
            return _text(source["name"])[:100]
    return _text(obj.get("copyrightholder"))[:100]


def _names(entries):
    names = []
    for entry in _list(entries):
        if isinstance(entry, dict):
            name = entry.get("name") or entry.get("literal")
            if isinstance(name, str) and name.strip():
                names.append(_text(name))
    return names


def _codes(entries):
    """The subjects' codes: ninjs 2 gives a mediatopic address as "uri", older items a "code" or "qcode"."""
    codes = []
    for entry in _list(entries):
        if isinstance(entry, dict):
            codes += [value.strip() for key in ("uri", "code", "qcode") if isinstance(value := entry.get(key), str)]
    return [code[:200] for code in codes if code]


def _associations(obj):
    associations = obj.get("associations")
    if isinstance(associations, dict):  # 1.x: {"featureimage": {...}}
        return [a for a in associations.values() if isinstance(a, dict)]
    return [a for a in _list(associations) if isinstance(a, dict)]


def _rendition_href(obj):
    renditions = obj.get("renditions")
    if isinstance(renditions, dict):  # 1.x: {"baseImage": {...}}
        renditions = [{"name": name, **r} for name, r in renditions.items() if isinstance(r, dict)]
    renditions = [r for r in _list(renditions) if isinstance(r, dict) and isinstance(r.get("href"), str)]
    if not renditions:
        return ""

    def rank(rendition):
        name = str(rendition.get("name", "")).lower()
        named = ORIGINAL_NAMES.index(name) if name in ORIGINAL_NAMES else len(ORIGINAL_NAMES)
        area = (rendition.get("width") or 0) * (rendition.get("height") or 0)
        return (named, -area if isinstance(area, int) else 0)

    return min(renditions, key=rank)["href"]


def _picture(obj, resolver):
    """A picture association (or picture item) with a file to import; None when there is no file."""
    if obj.get("type") not in PICTURE_TYPES | {None}:
        return None
    href = _rendition_href(obj)
    # No rendition: agencies may ship the picture beside the item, named after its uri.
    stem = _text(obj.get("uri")).rsplit(":", 1)[-1].rsplit("/", 1)[-1]
    beside = [f"{stem}{ext}" for ext in PICTURE_SUFFIXES] if stem and not href else []
    if not href and not beside:
        return None
    return WirePicture(
        href=href,
        beside=beside,
        guid=_text(obj.get("uri")),
        caption=_caption(obj),
        credit=_text(obj.get("creditline") or obj.get("copyrightholder") or obj.get("copyrightnotice"))[:255],
        headline=_headline(obj),
        byline=", ".join(split_byline(obj.get("by") or obj.get("byline") or ""))[:255],
        copyright=_text(obj.get("copyrightnotice") or obj.get("copyrightholder"))[:255],
        usage_terms=_text(obj.get("usageterms")),
        web_statement=url_or_blank(_text((obj.get("rightsinfo") or {}).get("linkedrights"))
                                   if isinstance(obj.get("rightsinfo"), dict) else ""),
        # ninjs 2.1's "expires" (2.0 has no such property; ours carries the licence end there): after
        # it the picture may not run, so it is read as the photo's licence end (the stricter reading).
        expires_at=parse_wire_datetime(obj.get("expires"), "picture's expires"),
        resolver=resolver,
    )
