"""The one HTML allow-list for story bodies: the editor's toolbar and the sanitizer agree on it.

sanitize_html is the only sanitizer of the body: the editor's form field runs it (ProseEditorField's
sanitize=), and Article.save() runs it again for every other way in (wire, scripts, restores).
"""
import re

import nh3

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
}

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "code",
    "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "hr", "a",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer",
    clean_content_tags={"script", "style"},
    strip_comments=True,
)


# The editor always submits at least one element; a lone empty one means no body at all.
_EMPTY = re.compile(r"<(\w+)></\1>")


def sanitize_html(html):
    """Reduce untrusted HTML to the body allow-list: no scripts, no on* handlers, no javascript: links."""
    cleaned = _cleaner.clean(html or "").strip()
    return "" if _EMPTY.fullmatch(cleaned) else cleaned
