"""Template tags for reader features: story metadata, JSON-LD, feed discovery, sitemap images."""

import json

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from newsroom.links import absolute_url, reverse_once

from .. import cards, chrome, datelines, story_page
from ..models import Article
from ..pictures import card_picture
from ..seo import article_json_ld, lead_image
from ..seo import article_metadata as build_metadata

register = template.Library()

# Like Django's json_script: nothing in the data can close the <script> element.
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
# The feeds every page announces, and the list pages (by URL name) that announce their own too: (RSS, Atom).
LATEST_FEEDS = ("reader:feed-latest-rss", "reader:feed-latest-atom")
SUBJECT_FEEDS = {
    "section": ("reader:feed-section-rss", "reader:feed-section-atom"),
    "tag": ("reader:feed-tag-rss", "reader:feed-tag-atom"),
    "source": ("reader:feed-source-rss", "reader:feed-source-atom"),
    "author": ("reader:feed-author-rss", "reader:feed-author-atom"),
}
FEED_FORMATS = (("application/rss+xml", "RSS"), ("application/atom+xml", "Atom"))


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
    lists = [(LATEST_FEEDS, "latest stories", [])]
    match = getattr(context.get("request"), "resolver_match", None)
    if match and match.namespace == "reader" and match.url_name in SUBJECT_FEEDS and "slug" in match.kwargs:
        slug = match.kwargs["slug"]
        lists.append((SUBJECT_FEEDS[match.url_name], context.get("subject", slug), [slug]))
    feeds = [
        {
            "type": mime,
            "title": f"{settings.NEWSROOM_SITE_NAME}: {label} ({format_label})",
            "url": reverse_once(url_name, *args),
        }
        for url_names, label, args in lists
        for url_name, (mime, format_label) in zip(url_names, FEED_FORMATS, strict=True)
    ]
    return {"feeds": feeds}


@register.simple_tag
def section_nav():
    """The masthead's section links, rendered once per content change (articles.chrome)."""
    return chrome.section_nav_html()


@register.simple_tag
def sidebar():
    """Top 10 Stories and the eNewsletter sign-up, rendered once per content change and Top 10."""
    return chrome.sidebar_html()


@register.simple_tag
def card(article, heading="h3"):
    """A story's card (articles.cards): stored with the story when the page attached it
    (articles.fragments.attach_pictures), else drawn now (its photos prefetched)."""
    stored = getattr(article, "card_html", None)
    if stored is None:
        stored = cards.story_card(article, card_picture(article))
    return cards.with_heading(stored, heading)


register.filter("iso_seconds", cards.iso_seconds)


@register.filter
def dateline_lede(place):
    """The dateline as the body opens with it ('SEOUL — '): articles.datelines owns its form."""
    return datelines.dateline_lede(place)


class LiveNode(template.Node):
    def __init__(self, name, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        if context.get(story_page.LEAVE_OPEN):
            return story_page.marker(self.name)
        return self.nodelist.render(context)


@register.tag
def live(parser, token):
    """{% live "name" %}…{% endlive %}: a part of the story page that other stories or the clock
    change. Rendered as usual, except when the page is stored (articles.story_page), where it is
    left open for each request to fill."""
    try:
        _, name = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError("{% live %} takes one name") from None
    nodelist = parser.parse(("endlive",))
    parser.delete_first_token()
    return LiveNode(name.strip("\"'"), nodelist)
