from django import template

from ..body import render_body
from ..images import MIME_TYPES
from ..renditions import picture_renditions

register = template.Library()

# How wide a story photo is drawn (static/css/site.css: 72rem page, 20rem sidebar from 900px), so
# the browser can pick from srcset before layout.
DEFAULT_SIZES = "(min-width: 72rem) 48rem, (min-width: 900px) calc(100vw - 24rem), 100vw"


def srcset(renditions):
    return ", ".join(f"{r.url} {r.width}w" for r in renditions)


@register.inclusion_tag("articles/includes/picture.html")
def picture(photo, spec="w1200", lead=False, sizes=DEFAULT_SIZES):
    """A responsive <picture>: AVIF/WebP sources, a JPEG <img> with width and height set.

    `spec` names the largest size and the crop ("w1200", "16x9-w640"); the lead photo loads
    eagerly, every other one lazily.
    """
    by_format = picture_renditions(photo, spec)
    jpegs = by_format.pop("jpeg")
    fallback = jpegs[-1]
    return {
        "photo": photo,
        "image": fallback,
        "sources": [{"type": MIME_TYPES[fmt], "srcset": srcset(r)} for fmt, r in by_format.items()],
        "srcset": srcset(jpegs),
        "sizes": sizes,
        "lead": lead,
    }


@register.simple_tag
def story_body(article):
    """The story's body with its photo figures drawn in place (articles/body.py)."""
    return render_body(article)
