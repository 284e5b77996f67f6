"""Every reader-facing URL, in one namespace: "reader" (stories, lists, previews, search, feeds,
sitemaps, robots.txt, /favicon.ico). The views are in views.py (previews in preview.py, feeds in feeds.py)."""

from django.urls import path, register_converter

from . import feeds, preview, views
from .public_cache import cache_public_response


class TwoDigit:
    """Months and days in story URLs: always two digits (/2026/03/09/...)."""

    digits = 2
    regex = r"[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):0{self.digits}d}"


class FourDigitYear(TwoDigit):
    digits = 4
    regex = r"[0-9]{4}"


class TagSlug:
    """Tag slugs keep their script: django-taggit slugifies "부산" to "부산", so /tag/부산/ (sent
    percent-encoded) must resolve; the plain <slug> converter takes ASCII only."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FourDigitYear, "yyyy")
register_converter(TwoDigit, "dd")
register_converter(TagSlug, "tagslug")


def feed(feed_class):
    return cache_public_response(feed_class())


app_name = "reader"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("section/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("tag/<tagslug:slug>/", views.TagView.as_view(), name="tag"),
    path("source/<slug:slug>/", views.SourceView.as_view(), name="source"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("preview/<int:pk>/", preview.StaffPreviewView.as_view(), name="preview"),
    path("preview/shared/<str:token>/", preview.SharedPreviewView.as_view(), name="share"),
    path("search/", views.search, name="search"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    path("sitemap-news.xml", views.news_sitemap, name="sitemap-news"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap-section"),
    path("feeds/rss/", feed(feeds.LatestArticlesFeed), name="feed-latest-rss"),
    path("feeds/atom/", feed(feeds.LatestArticlesAtomFeed), name="feed-latest-atom"),
    path("feeds/section/<slug:slug>/rss/", feed(feeds.SectionFeed), name="feed-section-rss"),
    path("feeds/section/<slug:slug>/atom/", feed(feeds.SectionAtomFeed), name="feed-section-atom"),
    path("feeds/tag/<tagslug:slug>/rss/", feed(feeds.TagFeed), name="feed-tag-rss"),
    path("feeds/tag/<tagslug:slug>/atom/", feed(feeds.TagAtomFeed), name="feed-tag-atom"),
    path("feeds/source/<slug:slug>/rss/", feed(feeds.SourceFeed), name="feed-source-rss"),
    path("feeds/source/<slug:slug>/atom/", feed(feeds.SourceAtomFeed), name="feed-source-atom"),
    path("feeds/author/<slug:slug>/rss/", feed(feeds.AuthorFeed), name="feed-author-rss"),
    path("feeds/author/<slug:slug>/atom/", feed(feeds.AuthorAtomFeed), name="feed-author-atom"),
]
