"""Story pages carry title, description, canonical, OpenGraph, Twitter card and JSON-LD that agree."""

import json
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from tests.factories import ArticleAuthorFactory, ArticleFactory, AuthorFactory, CaptionFactory, SourceFactory

pytestmark = pytest.mark.django_db
SITE = "https://news.example"


class Head(HTMLParser):
    """Collects <title>, <meta>, <link> and JSON-LD blocks from a page."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.links, self.json_ld, self.title = {}, {}, [], ""
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link":
            self.links.setdefault(attrs.get("rel"), []).append(attrs.get("href"))
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "ld"
            self.json_ld.append("")
        elif tag == "title":
            self._in = "title"

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "ld":
            self.json_ld[-1] += data
        elif self._in == "title":
            self.title += data


@pytest.fixture(autouse=True)
def public_site(settings):
    settings.NEWSROOM_SITE_URL = SITE


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return Head(response.content.decode())


def test_story_page_has_title_description_and_canonical(client):
    article = ArticleFactory(headline="Night trains return", seo_description="Overnight services resume in May.")
    head = page(client, article)
    assert head.title.startswith("Night trains return")
    assert head.meta["description"] == ["Overnight services resume in May."]
    assert head.links["canonical"] == [f"{SITE}{article.get_absolute_url()}"]


def test_opengraph_and_twitter_describe_the_story_and_its_photo(client):
    caption = CaptionFactory(article__headline="Night trains return", article__tags=["rail", "transport"])
    article = caption.article
    head = page(client, article)
    assert head.meta["og:type"] == ["article"]
    assert head.meta["og:title"] == ["Night trains return"]
    assert head.meta["og:url"] == [f"{SITE}{article.get_absolute_url()}"]
    assert head.meta["og:image"][0].startswith(f"{SITE}/")
    assert int(head.meta["og:image:width"][0]) > 0 and int(head.meta["og:image:height"][0]) > 0
    assert head.meta["article:section"] == [article.section.name]
    assert sorted(head.meta["article:tag"]) == ["rail", "transport"]
    assert datetime.fromisoformat(head.meta["article:published_time"][0]) == article.published_at
    assert head.meta["twitter:card"] == ["summary_large_image"]
    assert head.meta["twitter:image"] == head.meta["og:image"]


def test_json_ld_is_valid_and_agrees_with_the_page(client):
    caption = CaptionFactory(article__headline="Night trains return", article__tags=["rail"])
    article = caption.article
    ArticleAuthorFactory(article=article, author=AuthorFactory(name="Hana Lee", slug="hana-lee"))
    head = page(client, article)
    news, breadcrumbs = (json.loads(block) for block in head.json_ld)
    assert news["@type"] == "NewsArticle"
    assert news["headline"] == "Night trains return"
    assert news["url"] == head.links["canonical"][0]
    assert news["mainEntityOfPage"]["@id"] == head.links["canonical"][0]
    assert news["image"][0]["url"] == head.meta["og:image"][0]
    assert datetime.fromisoformat(news["datePublished"]) == article.published_at
    assert news["dateModified"] == head.meta["article:modified_time"][0]
    assert news["author"] == [{"@type": "Person", "name": "Hana Lee", "url": f"{SITE}/author/hana-lee/"}]
    assert news["publisher"]["name"] and news["publisher"]["logo"]["url"].startswith(SITE)
    assert news["articleSection"] == article.section.name
    assert news["keywords"] == ["rail"]
    assert [item["item"] for item in breadcrumbs["itemListElement"]] == [
        f"{SITE}/",
        f"{SITE}{article.section.get_absolute_url()}",
        f"{SITE}{article.get_absolute_url()}",
    ]


def test_wire_story_names_its_source_organization(client):
    article = ArticleFactory(source=SourceFactory(name="Yonhap"))
    news = json.loads(page(client, article).json_ld[0])
    assert news["sourceOrganization"]["name"] == "Yonhap"
    assert "image" not in news
    assert page(client, article).meta["twitter:card"] == ["summary"]


def test_updated_story_reports_its_update_time_everywhere(client):
    published = timezone.now() - timedelta(hours=5)
    article = ArticleFactory(published_at=published, updated_at=published + timedelta(hours=2))
    head = page(client, article)
    news = json.loads(head.json_ld[0])
    assert datetime.fromisoformat(news["dateModified"]) == article.updated_at
    assert datetime.fromisoformat(head.meta["article:modified_time"][0]) == article.updated_at


def test_hostile_headline_cannot_break_out_of_the_json_ld_script(client):
    article = ArticleFactory(headline='Bold claims </script><script>alert("x")</script> & more')
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert '<script>alert("x")</script>' not in html
    news = json.loads(Head(html).json_ld[0])
    assert news["headline"] == 'Bold claims </script><script>alert("x")</script> & more'
