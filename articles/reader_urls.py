"""Search, feeds, sitemaps and robots.txt (namespace "reader")."""

from django.urls import path

from . import reader_views
from .feeds import FEED_CLASSES, feed_for
from .public_cache import cache_public_response

app_name = "reader"
urlpatterns = [
    path("search/", reader_views.search, name="search"),
    path("robots.txt", reader_views.robots_txt, name="robots"),
    path("sitemap.xml", reader_views.sitemap_index, name="sitemap-index"),
    path("sitemap-news.xml", reader_views.news_sitemap, name="sitemap-news"),
    path("sitemap-<slug:section>.xml", reader_views.sitemap_section, name="sitemap-section"),
]
for feed_class in FEED_CLASSES:
    for format_name in ("rss", "atom"):
        prefix = "feeds/" if feed_class.subject_model is None else f"feeds/{feed_class.kind}/<slug:slug>/"
        urlpatterns.append(
            path(
                f"{prefix}{format_name}/",
                cache_public_response(feed_for(feed_class, format_name)),
                name=f"feed-{feed_class.kind}-{format_name}",
            )
        )
