"""Pages fetch only the renditions their pictures use, never fewer; NewsArticle JSON-LD has three crops."""

import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import images, renditions
from articles.images import STRUCTURED_DATA_SPECS, family_names, family_specs
from articles.models import StoryFragment
from articles.renditions import CARD_PICTURE, FIGURE_PICTURE, card_renditions, story_renditions
from articles.seo import SOCIAL_SPECS, social_spec
from tests.factories import ArticleFactory, CaptionFactory, PhotoFactory, SectionFactory, image_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif", "uncached_pages")]

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
PICTURE_TAG = re.compile(r'{%\s*picture\s+\S+\s+"([^"]+)"')
# Code that draws a picture in Python (a card's and a lead's: articles/pictures.py) names its spec by constant.
PICTURE_CALL = re.compile(r"\bpicture\([^,()]+(?:\([^()]*\))?[^,()]*,\s*([A-Z_]+)")


def test_the_reader_templates_use_only_the_pictures_pages_prefetch_for():
    used = {spec for path in TEMPLATES.rglob("*.html") for spec in PICTURE_TAG.findall(path.read_text())}
    code = [*(ROOT / "articles" / "templatetags").glob("*.py"), ROOT / "articles" / "pictures.py"]
    used |= {getattr(renditions, name) for path in code for name in PICTURE_CALL.findall(path.read_text())}
    assert used == {CARD_PICTURE, FIGURE_PICTURE}


@pytest.mark.parametrize("size", [(4000, 3000), (1300, 700), (800, 533), (500, 900), (200, 150)])
@pytest.mark.parametrize("avif", [True, False])
def test_the_prefetched_names_cover_every_size_a_srcset_can_ask_for(settings, size, avif):
    settings.NEWSROOM_PHOTO_AVIF = avif
    photo = PhotoFactory.build(width=size[0], height=size[1])
    for spec in (CARD_PICTURE, FIGURE_PICTURE):
        needed = {name for names in family_specs(photo, images.SPECS[spec].crop, images.SPECS[spec].width).values()
                  for name in names}
        assert needed <= set(family_names(spec)), (spec, size)
    assert set(family_names(CARD_PICTURE)) <= set(card_renditions())
    assert {*family_names(FIGURE_PICTURE), *STRUCTURED_DATA_SPECS, social_spec(), "w1200"} <= set(story_renditions())


def test_a_card_fetches_a_few_renditions_not_the_photos_whole_set(client):
    section = SectionFactory(name="World")
    caption = CaptionFactory(article__section=section)
    photo = caption.photo
    client.get(section.get_absolute_url())  # the first view makes what the card needs
    StoryFragment.objects.update(card_image=None)  # the card's stored picture gone: drawn again
    with CaptureQueriesContext(connection) as queries:
        html = client.get(section.get_absolute_url()).content.decode()
    rendition_queries = [q["sql"] for q in queries.captured_queries if 'FROM "articles_rendition"' in q["sql"]]
    assert len(rendition_queries) == 1
    assert "16x9-w320" in rendition_queries[0] and '"w1920"' not in rendition_queries[0]
    assert photo.renditions.get(spec="16x9-w640").file.url in html
    with CaptureQueriesContext(connection) as queries:  # stored with the story: no photo read at all
        assert client.get(section.get_absolute_url()).content.decode() == html
    assert not any('"articles_rendition"' in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("path", ["/", "story", "section"])
def test_pictures_find_every_rendition_they_show_in_the_prefetch(client, path):
    """A size missing from the prefetch would cost a query per picture: the counts stay equal."""
    section = SectionFactory(name="World")
    lead = CaptionFactory(article__section=section, role="lead").article
    CaptionFactory(article=lead, role="inline")
    for _ in range(3):
        CaptionFactory(article__section=section)
    url = {"/": "/", "story": lead.get_absolute_url(), "section": section.get_absolute_url()}[path]
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(3):
        CaptionFactory(article__section=section)
        CaptionFactory(article=lead, role="inline")
    client.get(url)  # the new photos' first view makes their renditions
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    assert not [q for q in many.captured_queries if "INSERT" in q["sql"]]


def news_article(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return next(data for data in map(json.loads, blocks) if data["@type"] == "NewsArticle")


def test_news_article_json_ld_lists_16x9_4x3_and_1x1_images_1200_wide(client):
    photo = PhotoFactory(image=image_file("big.jpg", size=(2400, 1600)), width=2400, height=1600)
    story = CaptionFactory(photo=photo).article
    found = news_article(client, story)["image"]
    assert [(image["width"], image["height"]) for image in found] == [(1200, 675), (1200, 900), (1200, 1200)]
    assert len({image["url"] for image in found}) == 3
    assert all(image["url"].startswith("http") for image in found)
    assert SOCIAL_SPECS[0] == STRUCTURED_DATA_SPECS[0]  # the social card is the first of them


def test_a_small_photo_lists_each_crop_at_the_size_it_has(client):
    photo = PhotoFactory()  # 800x533: no crop of it reaches 1200 px
    story = CaptionFactory(photo=photo).article
    found = news_article(client, story)["image"]
    assert [(image["width"], image["height"]) for image in found] == [(800, 450), (711, 533), (533, 533)]


def test_a_story_without_a_photo_lists_no_image(client):
    assert "image" not in news_article(client, ArticleFactory())
