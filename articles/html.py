"""The one HTML allow-list for story bodies: the editor's toolbar and the sanitizer agree on it.

sanitize_html is the only sanitizer of the body: the editor's form field runs it (ProseEditorField's
sanitize=), and Article.save() runs it again for every other way in (wire, scripts, restores). It refuses
HTML too large or too deeply nested to clean in bounded time (MarkupRejected, a ValidationError).
"""
import re
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError

from newsroom.embed_providers import enabled_providers, reader_frame_origins

# What the body editor (django-prose-editor) offers a journalist.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False},
    "History": True,
    "Menu": True,
    "NewsroomEmbed": True,  # keeps embed figures while editing (static/articles/body-embed.js)
    # A photo inside the body: <figure data-photo="<id>"></figure> (static/desk/photo-figure.js).
    "PhotoFigure": True,
}

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "code",
    "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "hr", "a", "figure",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "figure": {"data-photo"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# Embeds (articles/embeds.py): our own <figure class="embed">, never the provider's HTML. Each
# data-embed-* value is checked by _attribute_filter: a provider on the allow-list, a frame address
# on one of its frame origins, an https thumbnail.
EMBED_TAGS = {"figure", "figcaption"}
EMBED_ATTRIBUTES = {"data-embed", "data-embed-frame", "data-embed-title", "data-embed-thumbnail"}
ALLOWED_TAGS |= EMBED_TAGS
ALLOWED_ATTRIBUTES["figure"] |= EMBED_ATTRIBUTES
ALLOWED_CLASSES = {"figure": {"embed"}}


def _embed_attribute(name, value):
    if name == "data-embed":
        return value if value in {p.key for p in enabled_providers(settings.NEWSROOM_EMBED_PROVIDERS)} else None
    if name == "data-embed-frame":
        parts = urlsplit(value)
        origin = f"{parts.scheme}://{parts.netloc}"
        allowed = reader_frame_origins(settings.NEWSROOM_EMBED_PROVIDERS)
        return value if parts.scheme == "https" and origin in allowed and not parts.username else None
    if name == "data-embed-thumbnail":
        return value if urlsplit(value).scheme == "https" else None
    return value


def _attribute_filter(tag, attribute, value):
    """Attribute values the allow-list checks beyond their names: a photo reference is a number;
    embed data names an enabled provider, a frame on its origins, an https thumbnail."""
    if tag == "figure" and attribute == "data-photo":
        return value if value.isdigit() and len(value) <= 18 else None
    if tag == "figure" and attribute.startswith("data-embed"):
        return _embed_attribute(attribute, value)
    return value


def embed_allowlist(config, shared_config):
    """django-prose-editor's processor for the NewsroomEmbed extension (unused by sanitize_html, which has its own)."""
    shared_config["tags"].update(EMBED_TAGS)
    shared_config["attributes"].setdefault("figure", set()).update(EMBED_ATTRIBUTES)


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES,
    attribute_filter=_attribute_filter,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer",
    clean_content_tags={"script", "style"},
    strip_comments=True,
)


class MarkupRejected(ValidationError):
    """The HTML is too large or nested too deeply to be cleaned in bounded time; the message says which."""


# html5ever (inside nh3) spends time proportional to the open-element depth on each tag, so deep
# nesting is quadratic: a 293 KB item of nested <div>s held a worker for 15.8 s. Depth is
# estimated in one pass before cleaning; elements HTML closes by itself (<p>, <li>, ...) or that
# never hold content (<br>, <img>, ...) do not deepen it.
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>")
_FLAT_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    "p", "li", "dt", "dd", "option", "tr", "td", "th", "rp", "rt",
}


def nesting_depth(html, stop_above=None):
    """The deepest element nesting in `html` (an upper estimate); stops counting above `stop_above`."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.groups()
        if self_closing or name.lower() in _FLAT_ELEMENTS:
            continue
        if closing:
            depth = max(depth - 1, 0)
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if stop_above is not None and deepest > stop_above:
                break
    return deepest


def check_markup_bounds(html, what="The story body"):
    """Raise MarkupRejected if `html` is over NEWSROOM_BODY_MAX_KB or NEWSROOM_BODY_MAX_DEPTH."""
    max_chars = settings.NEWSROOM_BODY_MAX_KB * 1024
    if len(html) > max_chars:
        raise MarkupRejected(
            f"{what} is {len(html) // 1024} KB; at most {settings.NEWSROOM_BODY_MAX_KB} KB of HTML is accepted."
        )
    max_depth = settings.NEWSROOM_BODY_MAX_DEPTH
    if nesting_depth(html, stop_above=max_depth) > max_depth:
        raise MarkupRejected(
            f"{what} nests tags more than {max_depth} levels deep; simplify its markup (paste it as plain text)."
        )


# The editor always submits at least one element; a lone empty one means no body at all.
_EMPTY = re.compile(r"<(\w+)></\1>")
# A photo in the body is only a reference, <figure data-photo="12"></figure>: whatever a figure held
# is dropped (the caption and credit come from the story's caption row when the page is drawn), and
# a <figure> that references no photo keeps its content without the tag.
PHOTO_FIGURE = re.compile(r'<figure data-photo="(\d+)">.*?</figure>', re.S)
# An embed figure (articles/embeds.py: class "embed", its data checked by _attribute_filter) is kept whole.
_FIGURES = re.compile(
    r'(<figure class="embed"[^>]*>.*?</figure>)|<figure data-photo="(\d+)"[^>]*>.*?</figure>|</?figure[^>]*>', re.S
)


def _normalise_figures(html):
    if "<figure" not in html:
        return html
    return _FIGURES.sub(lambda m: m[1] or (f'<figure data-photo="{m[2]}"></figure>' if m[2] else ""), html)


def photo_ids(html):
    """The ids of the photos a (sanitized) body shows, in order, each once."""
    return list(dict.fromkeys(int(pk) for pk in PHOTO_FIGURE.findall(html or "")))


def sanitize_html(html):
    """Reduce untrusted HTML to the body allow-list: no scripts, no on* handlers, no javascript: links.

    Raises MarkupRejected, before any cleaning, for HTML too large or too deeply nested.
    """
    html = html or ""
    check_markup_bounds(html)
    cleaned = _normalise_figures(_cleaner.clean(html)).strip()
    return "" if _EMPTY.fullmatch(cleaned) else cleaned
