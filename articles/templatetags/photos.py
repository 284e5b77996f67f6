from django import template
from django.utils.html import format_html, format_html_join
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
    """
    by_format = picture_renditions(photo, spec)
    jpegs = by_format.pop("jpeg")
    image = jpegs[-1]
    sources = format_html_join(
        "", '<source type="{}" srcset="{}" sizes="{}">',
        ((MIME_TYPES[fmt], srcset(renditions), sizes) for fmt, renditions in by_format.items()),
    )
    loading = mark_safe(' fetchpriority="high"' if lead else ' loading="lazy"')
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{} decoding="async"></picture>',
        sources, image.url, srcset(jpegs), sizes, image.width, image.height, photo.display_alt, loading,
    )


@register.simple_tag
def story_body(article):
    """The story's body with its photo figures drawn in place (articles/body.py)."""
    return render_body(article)
