"""Sitemaps (Django's framework, paginated) and the Google News sitemap; only canonical public URLs."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from newsroom.links import site_url

from .models import Article, Caption, Section
from .seo import modified_time

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000  # Google News reads at most 1,000 URLs per news sitemap


class PublicSiteSitemap(Sitemap):
    """Absolute URLs on the site's address (newsroom.links.site_url), as every other surface builds them."""

    def get_protocol(self, protocol=None):
        return urlsplit(site_url()).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(site_url()).netloc


class ArticleSitemap(PublicSiteSitemap):
    changefreq = "daily"

    @property
    def limit(self):
        return settings.NEWSROOM_SITEMAP_PAGE_SIZE

    def items(self):
        lead_captions = Caption.objects.shown().filter(role=Caption.Role.LEAD).select_related("photo")
        return (
            Article.objects.published()
            .only("headline", "slug", "published_at", "created_at", "updated_at")
            .prefetch_related(Prefetch("captions", queryset=lead_captions.prefetch_related("photo__renditions")))
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, article):
        return modified_time(article)


class SectionSitemap(PublicSiteSitemap):
    changefreq = "hourly"
    priority = 0.8

    def items(self):
        return ["home", *Section.objects.all()]

    def location(self, item):
        return reverse("reader:home") if item == "home" else item.get_absolute_url()


SITEMAPS = {"sections": SectionSitemap, "articles": ArticleSitemap}


def news_sitemap_articles(now=None):
    """Stories for the Google News sitemap: published in the last 48 hours, newest first."""
    now = now or timezone.now()
    return list(
        Article.objects.published(now)
        .filter(published_at__gte=now - NEWS_WINDOW)
        .only("headline", "slug", "published_at", "created_at")
        .newest_first()[:NEWS_LIMIT]
    )


def news_language():
    """ISO 639 code Google News expects: "en" for en-us, but zh-cn and zh-tw stay whole."""
    code = settings.LANGUAGE_CODE.lower()
    return code if code in {"zh-cn", "zh-tw"} else code.split("-")[0]
