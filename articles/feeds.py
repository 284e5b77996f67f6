"""RSS 2.0 and Atom feeds: latest stories, and per section, tag, source and author.

Every feed starts from Article.objects.published(). Links are absolute on NEWSROOM_SITE_URL, each
item carries the byline, publish and update times, tags, and the lead photo both as an
<enclosure> and as Media RSS <media:content> with its size and credit. The full body goes in as
well (RSS <content:encoded>, Atom <content>), its photos as plain <img> figures (body.feed_body).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from taggit.models import Tag

from newsroom.links import absolute_url, site_url

from . import images
from .body import feed_body
from .listings import linked_story_ids, orders_by_links
from .models import Article, Author, Section, Source
from .seo import lead_image, modified_time

MEDIA_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
FEED_IMAGE_SPEC = "w1200"
FEED_LENGTH = 30


def add_media_elements(handler, item):
    media = item.get("media")
    if not media:
        return
    handler.startElement(
        "media:content",
        {
            "url": media["url"],
            "medium": "image",
            "type": media["type"],
            "width": str(media["width"]),
            "height": str(media["height"]),
        },
    )
    if media["description"]:
        handler.addQuickElement("media:description", media["description"])
    if media["credit"]:
        handler.addQuickElement("media:credit", media["credit"])
    handler.endElement("media:content")


class MediaRssFeed(Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_NS, "xmlns:content": CONTENT_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        add_media_elements(handler, item)


class MediaAtomFeed(Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        add_media_elements(handler, item)


def rendition_size(rendition):
    """File size in bytes, cached: renditions never change once made, and a storage stat can be
    a network request (S3)."""
    key = f"rendition-size:{rendition.pk}:{rendition.file.name}"
    size = cache.get(key)
    if size is None:
        size = rendition.file.size
        cache.set(key, size, 30 * 24 * 3600)
    return size


def image_mime_type(spec):
    return images.MIME_TYPES[images.SPECS[spec].format]


def uses_permanent_id(article):
    first = article.first_published_at or article.published_at
    return first is not None and first >= settings.NEWSROOM_FEED_PERMANENT_IDS_SINCE


def permanent_id(article):
    """tag:<host>,<first publish day>:story-<id> (RFC 4151): never changes once published."""
    host = urlsplit(site_url()).hostname or "localhost"
    first = timezone.localtime(article.first_published_at or article.published_at)
    return f"tag:{host},{first:%Y-%m-%d}:story-{article.pk}"


class LatestArticlesFeed(Feed):
    """The newest published stories (RSS); subclasses narrow them to one section, tag, source or
    author, and the *AtomFeed ones speak Atom. Each names its own URL (url_name) and the reader page
    of its subject (page_url_name)."""

    feed_type = MediaRssFeed
    url_name = "reader:feed-latest-rss"
    page_url_name = "reader:home"
    subject_model = None
    filter_field = None
    linked_kind = None  # "tag" or "author": the subject is reached through a link table

    def get_object(self, request, slug=None):
        if self.subject_model is None:
            return None
        return get_object_or_404(self.subject_model, slug=slug)

    def items(self, subject):
        articles = Article.objects.published()
        if subject is not None and self.linked_kind and orders_by_links():
            # A tag's or byline's newest from its own links (articles/listings.py), not the archive's.
            articles = articles.filter(pk__in=linked_story_ids(self.linked_kind, subject.pk, 0, FEED_LENGTH))
        elif subject is not None:
            articles = articles.filter(**{self.filter_field: subject})
        return articles.with_related().newest_first()[:FEED_LENGTH]

    def title(self, subject):
        return f"{settings.NEWSROOM_SITE_NAME}: {subject or 'latest stories'}"

    def description(self, subject):
        return f"The latest stories{f' in {subject}' if subject else ''}."

    subtitle = description

    def link(self, subject):
        return absolute_url(reverse(self.page_url_name, args=[subject.slug] if subject else []))

    def feed_url(self, subject):
        return absolute_url(reverse(self.url_name, args=[subject.slug] if subject else []))

    def item_title(self, article):
        return article.headline

    def item_description(self, article):
        return article.summary

    def item_link(self, article):
        return absolute_url(article.get_absolute_url())

    def item_guid(self, article):
        """The RSS <guid> and Atom <id>: a tag: URI on the story's id, which survives slug and date
        changes. Stories first published before NEWSROOM_FEED_PERMANENT_IDS_SINCE keep the URL
        they always had as their id, so aggregators that know them see no duplicates."""
        if uses_permanent_id(article):
            return permanent_id(article)
        return self.item_link(article)

    def item_guid_is_permalink(self, article):
        return not uses_permanent_id(article)

    def item_author_name(self, article):
        names = [author.name for author in article.ordered_authors]
        if names:
            return ", ".join(names)
        return article.source.name if article.source else None

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return modified_time(article)

    def item_categories(self, article):
        return [tag.name for tag in article.tags.all()]

    def item_enclosures(self, article):
        rendition = lead_image(article, FEED_IMAGE_SPEC)
        if rendition is None:
            return []
        return [Enclosure(absolute_url(rendition.url), str(rendition_size(rendition)), image_mime_type(rendition.spec))]

    def item_extra_kwargs(self, article):
        extra = {"content_html": feed_body(article)}
        rendition = lead_image(article, FEED_IMAGE_SPEC)
        if rendition is None:
            return extra
        caption = article.lead_caption
        return {
            **extra,
            "media": {
                "url": absolute_url(rendition.url),
                "type": image_mime_type(rendition.spec),
                "width": rendition.width,
                "height": rendition.height,
                "description": caption.caption,
                "credit": caption.credit,
            }
        }


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type, url_name = MediaAtomFeed, "reader:feed-latest-atom"


class SectionFeed(LatestArticlesFeed):
    subject_model, filter_field = Section, "section"
    url_name, page_url_name = "reader:feed-section-rss", "reader:section"


class SectionAtomFeed(SectionFeed):
    feed_type, url_name = MediaAtomFeed, "reader:feed-section-atom"


class TagFeed(LatestArticlesFeed):
    subject_model, filter_field, linked_kind = Tag, "tags", "tag"
    url_name, page_url_name = "reader:feed-tag-rss", "reader:tag"


class TagAtomFeed(TagFeed):
    feed_type, url_name = MediaAtomFeed, "reader:feed-tag-atom"


class SourceFeed(LatestArticlesFeed):
    subject_model, filter_field = Source, "source"
    url_name, page_url_name = "reader:feed-source-rss", "reader:source"


class SourceAtomFeed(SourceFeed):
    feed_type, url_name = MediaAtomFeed, "reader:feed-source-atom"


class AuthorFeed(LatestArticlesFeed):
    subject_model, filter_field, linked_kind = Author, "authors", "author"
    url_name, page_url_name = "reader:feed-author-rss", "reader:author"


class AuthorAtomFeed(AuthorFeed):
    feed_type, url_name = MediaAtomFeed, "reader:feed-author-atom"

