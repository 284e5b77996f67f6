"""The dateline is written once, however the agency or the reporter typed it (articles/datelines.py)."""
import pytest

from articles.datelines import dateline_lede, place_of, strip_lede
from articles.models import Article

from .factories import ArticleFactory
from .ingest_helpers import EXPORTS, SUMMIT_V1, ingest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "place"),
    [
        ("SEOUL", "SEOUL"),
        ("Seoul", "SEOUL"),
        ("seoul", "SEOUL"),
        ("SEOUL,", "SEOUL"),
        ("SEOUL —", "SEOUL"),
        ("SEOUL --", "SEOUL"),
        ("Seoul – ", "SEOUL"),
        ("SEOUL:", "SEOUL"),
        ("SEOUL, July 3", "SEOUL"),
        ("SEOUL, Jul. 3, 2024", "SEOUL"),
        ("SEOUL, 3 July", "SEOUL"),
        ("SEOUL, July 3 (Yonhap) --", "SEOUL"),
        ("SEOUL (AP) —", "SEOUL"),
        ("  St. Louis  -- ", "ST. LOUIS"),
        ("PYONGYANG/SEOUL, June 20 (Yonhap) --", "PYONGYANG/SEOUL"),
        ("Washington, D.C.", "WASHINGTON"),
        ("서울", "서울"),
        ("서울 —", "서울"),
        ("서울, 7월 3일", "서울"),
        ("부산, 2024년 7월 3일 (연합뉴스) --", "부산"),
        ("(서울=연합뉴스)", "서울"),
        ("", ""),
    ],
)
def test_the_dateline_field_keeps_only_the_place(typed, place):
    assert place_of(typed) == place


@pytest.mark.parametrize(
    ("body", "place", "kept"),
    [
        ("<p>SEOUL, July 3 -- South Korea's exports rose.</p>", "SEOUL", "<p>South Korea's exports rose.</p>"),
        ("<p>SEOUL, July 3 (Yonhap) -- Rain fell.</p>", "SEOUL", "<p>Rain fell.</p>"),
        ("<p>PYONGYANG/SEOUL, June 20 (Yonhap) -- Talks.</p>", "PYONGYANG", "<p>Talks.</p>"),
        ("<p>SEOUL — Rain fell.</p>", "SEOUL", "<p>Rain fell.</p>"),
        ("<p>Seoul - Rain fell.</p>", "SEOUL", "<p>Rain fell.</p>"),
        ("<p>SEOUL: Rain fell.</p>", "SEOUL", "<p>Rain fell.</p>"),
        ("<p><strong>SEOUL</strong> — Rain fell.</p>", "SEOUL", "<p>Rain fell.</p>"),
        ("<p><b>SEOUL —</b> Rain fell.</p>", "SEOUL", "<p>Rain fell.</p>"),
        ("<p>SEOUL (AP) — Rain fell.</p>", "", "<p>Rain fell.</p>"),
        ("<p>서울, 7월 3일 (연합뉴스) -- 비가 내렸다.</p>", "서울", "<p>비가 내렸다.</p>"),
        ("<p>(서울=연합뉴스) 홍길동 기자 = 비가 내렸다.</p>", "서울", "<p>비가 내렸다.</p>"),
        ("<p>서울 — 비가 내렸다.</p>", "서울", "<p>비가 내렸다.</p>"),
        # Not datelines: a bare place that is not the story's, a first sentence with a comma.
        ("<p>WARNING — the river is rising.</p>", "SEOUL", "<p>WARNING — the river is rising.</p>"),
        ("<p>BUSAN — Rain fell.</p>", "SEOUL", "<p>BUSAN — Rain fell.</p>"),
        ("<p>SEOUL is bracing, officials said (Monday) -- again.</p>", "SEOUL",
         "<p>SEOUL is bracing, officials said (Monday) -- again.</p>"),
        ("<p>Exports fell - 5% - in June.</p>", "SEOUL", "<p>Exports fell - 5% - in June.</p>"),
        ("", "SEOUL", ""),
    ],
)
def test_a_dateline_repeated_at_the_start_of_the_body_goes(body, place, kept):
    assert strip_lede(body, place) == kept


def test_the_page_prints_the_dateline_once():
    assert dateline_lede("Seoul —") == "SEOUL \u2014 "
    assert dateline_lede("") == ""


def test_a_reporters_dateline_typed_in_field_and_body_is_written_once(client):
    story = ArticleFactory(dateline="Seoul —", body="<p>SEOUL — The river rose overnight.</p>", status="published")

    story.refresh_from_db()
    assert story.dateline == "SEOUL"
    assert story.body == "<p>The river rose overnight.</p>"
    html = client.get(story.get_absolute_url()).content.decode()
    assert html.count("SEOUL") == 1
    assert '<p class="dateline">SEOUL \u2014 </p>' in html


def test_an_agency_dateline_without_the_agency_line_is_not_doubled(client):
    """"SEOUL, SEOUL, July 3 --" came from the NewsML item's lede, which names no agency."""
    [result] = ingest(EXPORTS, publish=True)

    article = Article.objects.get(pk=result.article_id)
    assert article.dateline == "SEOUL"
    assert article.body.startswith("<p>South Korea's exports rose")
    html = client.get(article.get_absolute_url()).content.decode()
    body = html.split('class="story__body"')[1].split("</div>")[0]
    assert body.count("SEOUL") == 1 and "July 3 --" not in body


def test_a_ninjs_item_with_a_located_place_keeps_it():
    [result] = ingest(SUMMIT_V1)

    article = Article.objects.get(pk=result.article_id)
    assert article.dateline == "PYONGYANG"
    assert article.body.startswith("<p>Russian President")
