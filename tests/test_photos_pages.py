"""Photos on public pages: responsive <picture> markup, constant queries, nothing of unpublished stories."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from articles.photos import import_photo
from tests.factories import ArticleFactory, CaptionFactory, PhotoFactory, SectionFactory, SourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

FIXTURES = Path(__file__).parent / "fixtures" / "photos"


def render(template, **context):
    return Template("{% load photos %}" + template).render(Context(context))


def srcset_widths(srcset):
    return [int(w) for w in re.findall(r" (\d+)w", srcset)]


def test_picture_offers_modern_formats_and_a_sized_jpeg_fallback(settings):
    settings.NEWSROOM_PHOTO_AVIF = True
    photo = PhotoFactory()  # 800x533
    html = render('{% picture photo "w1200" %}', photo=photo)
    sources = re.findall(r'<source type="([^"]+)" srcset="([^"]+)"', html)
    assert [t for t, _ in sources][-1] == "image/webp"
    for _, srcset in sources:
        assert srcset_widths(srcset) == [320, 640, 800]
    img = re.search(r"<img [^>]+>", html).group(0)
    assert 'width="800" height="533"' in img
    assert srcset_widths(re.search(r'srcset="([^"]+)"', img).group(1)) == [320, 640, 800]
    assert 'loading="lazy"' in img and "fetchpriority" not in img
    assert 'sizes="' in img


def test_lead_picture_loads_eagerly():
    html = render('{% picture photo "w1200" lead=True %}', photo=PhotoFactory())
    assert 'loading="lazy"' not in html and 'fetchpriority="high"' in html


def test_card_crop_has_the_card_proportions():
    html = render('{% picture photo "16x9-w640" %}', photo=PhotoFactory())
    assert 'width="640" height="360"' in html


def test_picture_reports_the_upright_size_of_a_rotated_photo():
    photo, _ = import_photo(SimpleUploadedFile("rot.jpg", (FIXTURES / "ap_orientation6.jpg").read_bytes()))
    html = render('{% picture photo "w1200" %}', photo=photo)
    assert 'width="600" height="800"' in html


def test_reference_story_shows_its_wire_photo_responsive_and_credited(client):
    photo, _ = import_photo(
        SimpleUploadedFile("wire.jpg", (FIXTURES / "afp_yonhap_pyongyang_portraits.jpg").read_bytes())
    )
    story = ArticleFactory(source=SourceFactory(name="Yonhap"), headline="Leaders meet in Pyongyang")
    CaptionFactory(article=story, photo=photo)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<picture>" in html and 'type="image/webp"' in html
    assert 'width="1200" height="800"' in html
    assert html.count("AFP-Yonhap") >= 1
    assert photo.image.name not in html  # the private original is never linked


def story_with_photos(n, section):
    story = ArticleFactory(section=section)
    for i in range(n):
        CaptionFactory(article=story, role="lead" if i == 0 else "inline", position=i)
    return story


def steady_queries(client, url):
    client.get(url)  # renditions of factory photos are made on the first view
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_story_page_query_count_does_not_grow_with_photos(client):
    section = SectionFactory(name="World")
    one = steady_queries(client, story_with_photos(1, section).get_absolute_url())
    five = steady_queries(client, story_with_photos(5, section).get_absolute_url())
    assert one == five
    assert five <= 8


def test_section_page_query_count_does_not_grow_with_photos(client):
    section = SectionFactory(name="World")
    story_with_photos(1, section)
    few = steady_queries(client, section.get_absolute_url())
    for _ in range(4):
        story_with_photos(2, section)
    assert steady_queries(client, section.get_absolute_url()) == few


@pytest.mark.parametrize("traits", [{"draft": True}, {"scheduled": True}, {"killed": True}])
def test_photos_of_unpublished_stories_appear_on_no_public_page(client, traits):
    section = SectionFactory(name="World")
    hidden = ArticleFactory(section=section, **traits)
    photo = PhotoFactory(caption="Secret preview picture.")
    CaptionFactory(article=hidden, photo=photo)
    for url in ["/", section.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert photo.sha256[:16] not in html and "Secret preview picture." not in html
    assert not photo.renditions.exists()  # no public page even rendered it


def test_imported_photos_are_ready_before_their_first_view(client):
    photo, _ = import_photo(SimpleUploadedFile("wire.jpg", (FIXTURES / "reuters_gps.jpg").read_bytes()))
    section = SectionFactory(name="World")
    story = ArticleFactory(section=section)
    CaptionFactory(article=story, photo=photo)
    renditions = photo.renditions.count()
    for url in [story.get_absolute_url(), section.get_absolute_url(), "/"]:
        with CaptureQueriesContext(connection) as first:
            assert client.get(url).status_code == 200
        touching = [q["sql"] for q in first if "articles_rendition" in q["sql"]]
        assert len(touching) == 1, url  # the prefetch, and no lookups or inserts of missing ones
    assert photo.renditions.count() == renditions  # nothing was made on a reader's request
