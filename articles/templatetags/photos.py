from html import escape  # what django.utils.html.escape() does, without its lazy-text and SafeString wrapping

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from ..body import render_body
from ..images import MIME_TYPES
from ..renditions import picture_renditions

register = template.Library()

# How wide a story photo is drawn (static/css/site.css: 72rem page, 20rem sidebar from 900px), so
# the browser can pick from srcset before layout.
DEFAULT_SIZES = "(min-width: 72rem) 48rem, (min-width: 900px) calc(100vw - 24rem), 100vw"


def srcset(renditions):
    return ", ".join(f"{r.url} {r.width}w" for r in renditions)


@register.simple_tag
def picture(photo, spec="w1200", lead=False, sizes=DEFAULT_SIZES):
    """A responsive <picture>: AVIF/WebP sources, a JPEG <img> with width and height set.

    `spec` names the largest size and the crop ("w1200", "16x9-w640"); the lead photo loads
    eagerly, every other one lazily. Built in Python rather than an included template: a home page
    draws about 40 of these, and a template include per card was a fifth of the page's cost.
    One f-string with each value escaped, rather than format_html(): the same markup, without
    format_html's per-argument wrapping, which was most of what was left of a picture's cost.
    """
    by_format = picture_renditions(photo, spec)
    jpegs = by_format.pop("jpeg")
    image = jpegs[-1]
    sizes = conditional_escape(sizes)  # a template's string literal is already safe, as format_html saw it
    sources = "".join(
        f'<source type="{MIME_TYPES[fmt]}" srcset="{escape(srcset(renditions))}" sizes="{sizes}">'
        for fmt, renditions in by_format.items()
    )
    loading = ' fetchpriority="high"' if lead else ' loading="lazy"'
    return mark_safe(
        f'<picture>{sources}<img src="{escape(image.url)}" srcset="{escape(srcset(jpegs))}" sizes="{sizes}"'
        f' width="{image.width}" height="{image.height}" alt="{conditional_escape(photo.display_alt)}"{loading}'
        ' decoding="async"></picture>'
    )


@register.simple_tag
def story_body(article):
    """The story's body with its photo figures drawn in place (articles/body.py)."""
    return render_body(article)
