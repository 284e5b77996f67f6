"""Template tags for reader features: story metadata, JSON-LD, feed discovery, sitemap images."""

import json
from functools import lru_cache
from html import escape  # as in photos.py: django.utils.html.escape() without its wrapping

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from newsroom.links import absolute_url, reverse_once

from .. import chrome, datelines, story_page
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
CARD_TIME_FORMAT = "M j, Y H:i"


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
    """A story's card on the home, section, tag, source and author pages: photo, headline, standfirst, time.

    Built in Python rather than an included template: a home page draws about 40 cards, and the
    include with its variable lookups was the largest part of the page's cost.
    """
    # One f-string with each value escaped, like picture(): format_html() cost more than the card.
    url = escape(article.get_absolute_url())
    # Stored with the story when the page attached it (articles.fragments.attach_pictures).
    image = getattr(article, "card_picture", None)
    if image is None:
        image = card_picture(article)
    dek = f'<p class="card__dek">{conditional_escape(article.dek)}</p>' if article.dek else ""
    shown = card_time(timezone.localtime(article.published_at).replace(tzinfo=None), get_language()) \
        if article.published_at else ""
    heading = conditional_escape(heading)
    return mark_safe(
        f'<article class="card">\n  {image}\n  <{heading} class="card__headline"><a href="{url}">'
        f'{conditional_escape(article.headline)}</a></{heading}>\n  {dek}\n'
        f'  <p class="meta"><time datetime="{escape(iso_seconds(article.published_at))}">{escape(shown)}</time></p>\n'
        '</article>\n'
    )


@lru_cache(maxsize=20_000)
def card_time(wall_time, language):
    """A card's time as shown ("Dec 2, 2026 05:16"), formatted once per time and language.

    date_format() was a third of a card's cost (month names through translation, the format
    parsed each time). Its answer depends only on the wall-clock time (naive, so the same instant
    in another zone is another key) and the active language (the month names).
    """
    return date_format(wall_time, CARD_TIME_FORMAT)


@register.filter
def iso_seconds(value):
    """A time for <time datetime>: ISO 8601 in the site's zone, to the second (validators refuse
    the six-digit fractions Django's "c" format writes)."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


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
