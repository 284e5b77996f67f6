"""Search-engine and social metadata for a story: one source for OpenGraph, Twitter and JSON-LD."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from newsroom.links import absolute_url

from . import images

# Preferred social-card renditions, best first; the first one images.SPECS knows is used.
SOCIAL_SPECS = ("16x9-w1200", "16x9-w960", "w1200")


def social_spec():
    return next((spec for spec in SOCIAL_SPECS if spec in images.SPECS), "w1200")


def lead_image(article, spec=None):
    """The lead photo's rendition for `spec` (default: the social card), or None without a lead photo."""
    caption = article.lead_caption
    if caption is None:
        return None
    return images.get_rendition(caption.photo, spec or social_spec())


def iso(value):
    return timezone.localtime(value).isoformat() if value else None


def modified_time(article):
    """The time the page shows as "Updated", else the publish time: metadata agrees with the page."""
    return article.updated_at if article.shows_updated else article.published_at


def publisher():
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": absolute_url("/"),
        "logo": {
            "@type": "ImageObject",
            "url": absolute_url(static(settings.NEWSROOM_PUBLISHER_LOGO)),
            "width": settings.NEWSROOM_PUBLISHER_LOGO_WIDTH,
            "height": settings.NEWSROOM_PUBLISHER_LOGO_HEIGHT,
        },
    }


def article_metadata(article):
    """Everything the story's <head> says about it (reads prefetched data only, plus one rendition)."""
    url = absolute_url(article.get_absolute_url())
    image = lead_image(article)
    caption = article.lead_caption
    return {
        "url": url,
        "title": article.search_title,
        "description": article.summary,
        "image": image
        and {
            "url": absolute_url(image.url),
            "width": image.width,
            "height": image.height,
            "alt": caption.photo.display_alt,
            "photo": caption.photo,
        },
        "published": iso(article.published_at),
        "modified": iso(modified_time(article)),
        "section": article.section.name,
        "tags": [tag.name for tag in article.tags.all()],
        "authors": article.ordered_authors,
    }


def image_rights_json_ld(photo):
    """Google's image-licence fields and schema.org digitalSourceType, for those the photo has.

    A photo without rights or provenance fields adds nothing: its JSON-LD is as it always was.
    """
    data = {
        "license": photo.web_statement or photo.licensor_url,
        "acquireLicensePage": photo.licensor_url,
        "digitalSourceType": photo.digital_source and photo.digital_source.schema_org,
    }
    return {key: value for key, value in data.items() if value}


def article_json_ld(article, meta=None):
    """[NewsArticle, BreadcrumbList] for the story, as plain data ready for json.dumps."""
    meta = meta or article_metadata(article)
    news = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": meta["url"]},
        "url": meta["url"],
        "headline": article.headline[:110],
        "description": meta["description"],
        "datePublished": meta["published"],
        "dateModified": meta["modified"],
        "articleSection": meta["section"],
        "keywords": meta["tags"],
        "inLanguage": settings.LANGUAGE_CODE,
        "isAccessibleForFree": True,
        "publisher": publisher(),
    }
    if meta["image"]:
        news["image"] = [
            {
                "@type": "ImageObject",
                "url": meta["image"]["url"],
                "width": meta["image"]["width"],
                "height": meta["image"]["height"],
                **image_rights_json_ld(meta["image"]["photo"]),
            }
        ]
    if meta["authors"]:
        news["author"] = [
            {"@type": "Person", "name": a.name, "url": absolute_url(a.get_absolute_url())} for a in meta["authors"]
        ]
    elif article.source:
        news["sourceOrganization"] = {"@type": "Organization", "name": article.source.name}
        news["author"] = {"@type": "Organization", "name": article.source.name}
    breadcrumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": 1,
                "name": settings.NEWSROOM_SITE_NAME,
                "item": absolute_url(reverse("reader:home")),
            },
            {
                "@type": "ListItem",
                "position": 2,
                "name": article.section.name,
                "item": absolute_url(article.section.get_absolute_url()),
            },
            {"@type": "ListItem", "position": 3, "name": article.headline, "item": meta["url"]},
        ],
    }
    return [news, breadcrumbs]
