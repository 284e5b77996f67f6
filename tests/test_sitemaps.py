"""Sitemap index, paginated sitemaps with images, the Google News sitemap and robots.txt."""

from datetime import timedelta

import defusedxml.ElementTree as ET
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory, CaptionFactory, SectionFactory

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
SITE = "https://news.example"


@pytest.fixture(autouse=True)
def public_site(settings):
    settings.NEWSROOM_SITE_URL = SITE


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "xml" in response["Content-Type"]
    return ET.fromstring(response.content)  # raises on anything not well formed


def locations(root):
    return [loc.text for loc in root.iterfind(".//sm:loc", NS)]


def test_index_lists_every_sitemap_page_on_the_public_domain(client, settings):
    settings.NEWSROOM_SITEMAP_PAGE_SIZE = 2
    ArticleFactory.create_batch(5)
    index = xml(client, reverse("reader:sitemap-index"))
    assert locations(index) == [
        f"{SITE}/sitemap-sections.xml",
        f"{SITE}/sitemap-articles.xml",
        f"{SITE}/sitemap-articles.xml?p=2",
        f"{SITE}/sitemap-articles.xml?p=3",
    ]


def test_every_listed_sitemap_page_is_well_formed(client, settings):
    settings.NEWSROOM_SITEMAP_PAGE_SIZE = 2
    stories = ArticleFactory.create_batch(3)
    listed = []
    for location in locations(xml(client, reverse("reader:sitemap-index"))):
        page = xml(client, location.removeprefix(SITE))  # asserts 200, XML, well formed
        assert page.tag == f"{{{NS['sm']}}}urlset"
        listed += locations(page)
    # Every story is on exactly one page, with the home page and its section on the sections page.
    story_urls = [f"{SITE}{story.get_absolute_url()}" for story in stories]
    assert sorted(url for url in listed if url in story_urls) == sorted(story_urls)


def test_article_sitemap_lists_only_canonical_urls_of_published_stories(client):
    published = ArticleFactory()
    hidden = [
        ArticleFactory(draft=True),
        ArticleFactory(scheduled=True),
        ArticleFactory(killed=True),
        ArticleFactory(embargo_until=timezone.now() + timedelta(hours=2)),
    ]
    urls = locations(xml(client, reverse("reader:sitemap-section", args=["articles"])))
    assert urls == [f"{SITE}{published.get_absolute_url()}"]
    for article in hidden:
        assert all(article.slug not in url for url in urls)


def test_article_sitemap_has_an_image_entry_for_the_lead_photo(client):
    caption = CaptionFactory()
    root = xml(client, reverse("reader:sitemap-section", args=["articles"]))
    images = [el.text for el in root.iterfind(".//image:image/image:loc", NS)]
    assert len(images) == 1
    assert images[0].startswith(f"{SITE}/")
    assert caption.article.slug not in images[0]  # a rendition, not the page


def test_sitemap_urls_answer_200(client):
    section = SectionFactory(name="World")
    article = ArticleFactory(section=section)
    urls = locations(xml(client, reverse("reader:sitemap-section", args=["sections"])))
    urls += locations(xml(client, reverse("reader:sitemap-section", args=["articles"])))
    assert f"{SITE}/" in urls and f"{SITE}{section.get_absolute_url()}" in urls
    for url in urls:
        assert client.get(url.removeprefix(SITE)).status_code == 200, url
    assert f"{SITE}{article.get_absolute_url()}" in urls


def test_unknown_sitemap_is_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_news_sitemap_lists_stories_of_the_last_48_hours(client, settings):
    settings.LANGUAGE_CODE = "en-us"
    fresh = ArticleFactory(headline="Rates held & markets calm", published_at=timezone.now() - timedelta(hours=3))
    ArticleFactory(headline="Old story", published_at=timezone.now() - timedelta(hours=50))
    for trait in ("draft", "scheduled", "killed"):
        ArticleFactory(headline=f"Hidden {trait}", **{trait: True})
    root = xml(client, reverse("reader:sitemap-news"))
    assert locations(root) == [f"{SITE}{fresh.get_absolute_url()}"]
    news = root.find(".//news:news", NS)
    assert news.find("news:publication/news:name", NS).text == settings.NEWSROOM_SITE_NAME
    assert news.find("news:publication/news:language", NS).text == "en"
    assert news.find("news:title", NS).text == "Rates held & markets calm"
    published = news.find("news:publication_date", NS).text
    assert timezone.datetime.fromisoformat(published) == fresh.published_at


def test_robots_txt_names_the_sitemaps(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in body
    assert f"Sitemap: {SITE}/sitemap-news.xml" in body
    assert "Disallow: /admin/" in body


def test_sitemap_query_count_is_constant(client, django_assert_max_num_queries):
    for _ in range(6):
        CaptionFactory()
    url = reverse("reader:sitemap-section", args=["articles"])
    client.get(url)
    cache.clear()  # measure the uncached sitemap
    # 7: one of them finds when a live photo next expires, which caps the cached response's life.
    with django_assert_max_num_queries(7):
        client.get(url)


def test_cached_sitemaps_drop_a_killed_story_at_once(client):
    story = ArticleFactory()
    for name in ("reader:sitemap-news",):
        assert locations(xml(client, reverse(name))) == [f"{SITE}{story.get_absolute_url()}"]
    articles_url = reverse("reader:sitemap-section", args=["articles"])
    assert locations(xml(client, articles_url)) == [f"{SITE}{story.get_absolute_url()}"]
    story.unpublish()
    story.save()
    assert locations(xml(client, reverse("reader:sitemap-news"))) == []
    assert locations(xml(client, articles_url)) == []
