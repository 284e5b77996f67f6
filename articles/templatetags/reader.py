"""Template tags for reader features: story metadata, JSON-LD, feed discovery, sitemap images."""

import json

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..models import Article
from ..seo import absolute_url, article_json_ld, lead_image
from ..seo import article_metadata as build_metadata

register = template.Library()

# Like Django's json_script: nothing in the data can close the <script> element.
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
SUBJECT_FEEDS = {"section": "section", "tag": "tag", "source": "source", "author": "author"}


@register.simple_tag
def article_metadata(article):
    return build_metadata(article)


@register.simple_tag
def json_ld(article, meta=None):
    """One <script type="application/ld+json"> each for the story's NewsArticle and BreadcrumbList."""
    blocks = []
    for data in article_json_ld(article, meta):
        text = json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES)
        blocks.append(format_html('<script type="application/ld+json">{}</script>', mark_safe(text)))
    return mark_safe("\n".join(blocks))


@register.simple_tag
def sitemap_image(item):
    """Absolute URL of a story's lead photo for the image sitemap, or ''."""
    if not isinstance(item, Article):
        return ""
    rendition = lead_image(item, "w1200")
    return absolute_url(rendition.url) if rendition else ""


@register.inclusion_tag("reader/feed_links.html", takes_context=True)
def feed_links(context):
    """<link rel="alternate"> for the latest-stories feeds and, on a list page, that list's feeds."""
    name = settings.NEWSROOM_SITE_NAME
    feeds = [
        {
            "type": "application/rss+xml",
            "title": f"{name}: latest stories (RSS)",
            "url": reverse("reader:feed-latest-rss"),
        },
        {
            "type": "application/atom+xml",
            "title": f"{name}: latest stories (Atom)",
            "url": reverse("reader:feed-latest-atom"),
        },
    ]
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    kind = match and match.namespace == "articles" and SUBJECT_FEEDS.get(match.url_name)
    if kind and "slug" in match.kwargs:
        subject = context.get("subject", match.kwargs["slug"])
        for fmt, mime in (("rss", "application/rss+xml"), ("atom", "application/atom+xml")):
            feeds.append(
                {
                    "type": mime,
                    "title": f"{name}: {subject} ({fmt.upper() if fmt == 'rss' else 'Atom'})",
                    "url": reverse(f"reader:feed-{kind}-{fmt}", args=[match.kwargs["slug"]]),
                }
            )
    return {"feeds": feeds}
