"""A photo as readers get it: the responsive <picture> markup of its renditions, and the pictures a
card and a page's lead show. Used by the {% picture %} tag, the body's figures and the stored
story HTML (articles/fragments.py)."""

from html import escape  # what django.utils.html.escape() does, without its lazy-text and SafeString wrapping

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .images import MIME_TYPES
from .renditions import CARD_PICTURE, FIGURE_PICTURE, picture_renditions

# How wide a story photo is drawn (static/css/site.css: 72rem page, 20rem sidebar from 900px), so
# the browser can pick from srcset before layout.
DEFAULT_SIZES = "(min-width: 72rem) 48rem, (min-width: 900px) calc(100vw - 24rem), 100vw"


def srcset(renditions):
    return ", ".join(f"{r.url} {r.width}w" for r in renditions)


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


# How wide a card's photo is drawn (static/css/site.css: card grid columns).
CARD_SIZES = "(min-width: 900px) 18rem, (min-width: 30rem) 50vw, 100vw"


def card_picture(article):
    """A card's linked picture (its lead photo's 16:9 srcset), "" without one; photos prefetched."""
    lead = article.lead_caption
    if not lead:
        return mark_safe("")
    url = escape(article.get_absolute_url())
    return mark_safe(
        f'<a class="card__image" href="{url}" tabindex="-1" aria-hidden="true">'
        f'{picture(lead.photo, CARD_PICTURE, sizes=CARD_SIZES)}</a>'
    )


def lead_picture(article):
    """The picture of a home or section page's lead story (the figure's sizes, loaded first)."""
    lead = article.lead_caption
    return mark_safe(picture(lead.photo, FIGURE_PICTURE, lead=True) if lead else "")
