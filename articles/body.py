"""A story's body as readers get it: each photo reference drawn as the photo's figure.

The stored body holds a photo only as a reference, ``<figure data-photo="12"></figure>`` (html.py
keeps it that strict). The figure is drawn from the story's own caption row for that photo — the
caption and credit the desk wrote for this story, the photo's rights checked at publish time — and
from the rows ``Article.objects.with_related()`` already prefetched, so figures cost no query. A
photo readers may not see now (licence ended, embargoed: ``Caption.objects.shown()``), or one the
story does not carry, leaves nothing behind.
"""

from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from newsroom.links import absolute_url

from . import images
from .html import PHOTO_FIGURE

FEED_FIGURE_SPEC = "w1200"


def shown_captions(article):
    """The story's captions readers may see now, by photo id (prefetched rows: no query)."""
    return {caption.photo_id: caption for caption in article.ordered_captions}


def render_body(article):
    """The body for the story page: figures through {% picture %}, like the lead photo's."""
    captions = shown_captions(article)

    def figure(match):
        caption = captions.get(int(match[1]))
        if caption is None:
            return ""
        return render_to_string("articles/includes/figure.html", {"caption": caption, "lead": False})

    return mark_safe(PHOTO_FIGURE.sub(figure, article.body))  # noqa: S308 - the body is sanitized on save


def feed_body(article):
    """The body for feeds: each figure a plain <img> (absolute URL) with its caption and credit."""
    captions = shown_captions(article)

    def figure(match):
        caption = captions.get(int(match[1]))
        if caption is None:
            return ""
        rendition = images.get_rendition(caption.photo, FEED_FIGURE_SPEC)
        words = " ".join(part for part in (caption.caption, caption.credit) if part)
        return format_html(
            '<figure><img src="{}" width="{}" height="{}" alt="{}">{}</figure>',
            absolute_url(rendition.url),
            rendition.width,
            rendition.height,
            caption.photo.display_alt,
            format_html("<figcaption>{}</figcaption>", words) if words else "",
        )

    return PHOTO_FIGURE.sub(figure, article.body)
