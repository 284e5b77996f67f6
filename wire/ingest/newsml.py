"""IPTC NewsML-G2 (newsItem, packageItem, newsMessage) into WireItems, through a hardened XML parser."""
import xml.etree.ElementTree as ET

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from articles.datelines import place_of

from .items import PICTURE_SUFFIXES, IngestError, WireItem, WirePackage, WirePicture
from .text import parse_wire_datetime, plain_text, split_byline, text_to_html

# Qcodes mean the same with or without their scheme alias ("ninat:picture" or a full URI).
PICTURE_CLASSES = {"picture", "graphic"}
PHOTOGRAPHER_ROLES = {"photographer", "crol:photographer"}
BEST_RENDITIONS = ("highres", "original", "print", "web", "preview", "thumbnail")


def parse_xml(data):
    """Parse untrusted XML: no DTD entities (billion laughs), no external entities, no network."""
    try:
        return SafeET.fromstring(data)
    except DefusedXmlException as error:
        raise IngestError(
            "Refused XML that declares entities or external references "
            f"({type(error).__name__}); wire items never need them."
        ) from error
    except ET.ParseError as error:
        raise IngestError(f"Not well-formed XML: {error}.") from error


def parse_newsml(data, *, filename="", resolver=None):
    """The items of a NewsML-G2 document: a newsItem, a packageItem or a newsMessage."""
    root = parse_xml(data)
    kind = _local(root.tag)
    if kind == "newsItem":
        item = _news_item(root, filename, resolver)
        item.raw = _raw(data, root)
        return [item]
    if kind == "packageItem":
        return [_package(root, filename)]
    if kind == "newsMessage":
        items = []
        for item_set in _children(root, "itemSet"):
            for element in item_set:
                # One bad item is reported (an IngestError in its place); the others go ahead.
                try:
                    if _local(element.tag) == "newsItem":
                        raw = ET.tostring(element, encoding="unicode")  # before _to_html strips namespaces
                        items.append(_news_item(element, filename, resolver))
                        items[-1].raw = raw
                    elif _local(element.tag) == "packageItem":
                        items.append(_package(element, filename))
                except IngestError as error:
                    items.append(IngestError(f"Item {len(items) + 1} of the newsMessage: {error}"))
        _link_message_pictures([item for item in items if not isinstance(item, IngestError)])
        if not items:
            raise IngestError("The newsMessage contains no newsItem or packageItem.")
        return items
    raise IngestError(f"Not a NewsML-G2 item: the document starts with <{kind}>.")


def _raw(data, root):
    """The document as text: its own bytes when they are UTF-8, else re-serialized."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return ET.tostring(root, encoding="unicode")


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name):
    return [child for child in (element if element is not None else []) if _local(child.tag) == name]


def _child(element, name):
    return next(iter(_children(element, name)), None)


def _text(element):
    return plain_text("".join(element.itertext())) if element is not None else ""


def _name(element):
    """A G2 concept's label: its <name> child, else its text, else its literal or qcode."""
    if element is None:
        return ""
    return _text(_child(element, "name")) or _text(element) or element.get("literal", "") or ""


def _qcode(element):
    return element.get("qcode", "") if element is not None else ""


def _qcode_code(value):
    return (value or "").rsplit(":", 1)[-1].rsplit("/", 1)[-1].lower()


def _news_item(root, filename, resolver):
    guid = (root.get("guid") or "").strip()
    if not guid:
        raise IngestError("The newsItem has no guid, so it could not be matched with later versions.")
    item_meta = _child(root, "itemMeta")
    content_meta = _child(root, "contentMeta")
    rights = _child(root, "rightsInfo")
    item_class = _qcode_code(_qcode(_child(item_meta, "itemClass")))
    creator_names = [name for name in map(_name, _children(content_meta, "creator")) if name]
    item = WireItem(
        guid=guid[:255],
        version=(root.get("version") or "").strip()[:50],
        kind="picture" if item_class in PICTURE_CLASSES else "text",
        headline=_text(_child(content_meta, "headline"))[:255],
        dek=_description(content_meta, ("summary", "abstract", "teaser")),
        body_html=_body(_child(root, "contentSet")),
        byline=creator_names or split_byline(_text(_child(content_meta, "by"))),
        dateline=_dateline(content_meta),
        source_name=_name(_child(item_meta, "provider"))[:100],
        copyright_holder=_name(_child(rights, "copyrightHolder")),
        copyright_notice=_text(_child(rights, "copyrightNotice")),
        subjects=[name for name in map(_name, _children(content_meta, "subject")) if name],
        subject_codes=[code[:200] for code in map(_qcode, _children(content_meta, "subject")) if code],
        keywords=[text for text in map(_text, _children(content_meta, "keyword")) if text],
        version_created=parse_wire_datetime(_text(_child(item_meta, "versionCreated")), "versionCreated"),
        embargo_until=parse_wire_datetime(
            _text(_child(item_meta, "embargoed")) or _text(_child(content_meta, "embargoed")), "embargoed"
        ),
        pub_status=_qcode_code(_qcode(_child(item_meta, "pubStatus"))) or "usable",
        picture_refs=[link.get("residref") for link in _children(item_meta, "link") if link.get("residref")],
        filename=filename,
    )
    if item.kind == "picture":
        picture = _picture(root, content_meta, rights, creator_names, resolver)
        item.pictures = [picture] if picture else []
        if not picture:
            raise IngestError("The picture item has no remoteContent with a file reference.")
        item.headline = item.headline or picture.caption[:255]
    else:
        # Pictures may also be linked by file name instead of guid (shipped beside the item).
        for link in _children(item_meta, "link"):
            href = link.get("href") or ""
            if href and not link.get("residref") and href.lower().endswith(PICTURE_SUFFIXES):
                item.pictures.append(WirePicture(href=href, resolver=resolver))
    return item


def _description(content_meta, roles):
    for description in _children(content_meta, "description"):
        if _qcode_code(description.get("role")) in roles or not description.get("role"):
            return _text(description)
    return ""


def _dateline(content_meta):
    located = _name(_child(content_meta, "located"))
    if located:
        return place_of(located)
    return place_of(_text(_child(content_meta, "dateline")))


def _body(content_set):
    """The story body as HTML: XHTML or NITF inlineXML, or plain inlineData."""
    for inline in _children(content_set, "inlineXML"):
        content = _body_content(inline)
        if content is not None:
            return "".join(_to_html(child) for child in content)
    for inline in _children(content_set, "inlineData"):
        return text_to_html("".join(inline.itertext()))
    return ""


def _body_content(inline):
    """NITF's <body.content>, or XHTML's <body>, inside an inlineXML element."""
    for name in ("body.content", "body"):
        for element in inline.iter():
            if _local(element.tag) == name and (name == "body.content" or _child(element, "body.content") is None):
                return element
    return None


def _to_html(element):
    """Plain HTML for a body element: namespaces dropped in place (the tree is ours alone)."""
    for node in element.iter():
        node.tag = _local(node.tag)
        if node.attrib:
            node.attrib = {_local(k): v for k, v in node.attrib.items()}
    return ET.tostring(element, encoding="unicode", method="html")


def _picture(root, content_meta, rights, creator_names, resolver):
    contents = _children(_child(root, "contentSet"), "remoteContent")
    contents = [c for c in contents if c.get("href")]
    if not contents:
        return None

    def rank(content):
        name = _qcode_code(content.get("rendition"))
        named = BEST_RENDITIONS.index(name) if name in BEST_RENDITIONS else len(BEST_RENDITIONS)
        try:
            area = int(content.get("width") or 0) * int(content.get("height") or 0)
        except ValueError:
            area = 0
        return (named, -area)

    best = min(contents, key=rank)
    return WirePicture(
        href=best.get("href"),
        guid=root.get("guid") or "",
        caption=_description(content_meta, ("caption",)),
        credit=_text(_child(content_meta, "creditline"))[:255] or _name(_child(rights, "copyrightHolder"))[:255],
        headline=_text(_child(content_meta, "headline"))[:255],
        byline=", ".join(creator_names)[:255],
        copyright=_text(_child(rights, "copyrightNotice"))[:255],
        resolver=resolver,
    )


def _package(root, filename):
    guid = (root.get("guid") or "").strip()
    if not guid:
        raise IngestError("The packageItem has no guid.")
    refs = [ref.get("residref") for ref in root.iter() if _local(ref.tag) == "itemRef" and ref.get("residref")]
    if not refs:
        raise IngestError("The packageItem refers to no items (no itemRef with a residref).")
    return WirePackage(guid=guid, version=root.get("version") or "", item_refs=refs, filename=filename)


def _link_message_pictures(items):
    """In a newsMessage with a single text item, the pictures shipped with it belong to it."""
    texts = [i for i in items if isinstance(i, WireItem) and i.kind == "text"]
    pictures = [i for i in items if isinstance(i, WireItem) and i.kind == "picture"]
    if len(texts) == 1 and pictures and not any(isinstance(i, WirePackage) for i in items):
        texts[0].picture_refs.extend(p.guid for p in pictures if p.guid not in texts[0].picture_refs)
