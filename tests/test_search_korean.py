"""Search in scripts written without spaces (Korean first): substrings of a word match, through the index."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.editing import save_story
from articles.models import Article
from articles.search import attach_snippets, matching, search_articles, snippet_html, spaceless_grams
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def headlines(queryset):
    return sorted(a.headline for a in queryset)


def test_a_korean_word_finds_the_word_with_its_particle():
    ArticleFactory(headline="Talks", body="<p>평양에서 회담이 열렸다.</p>")
    ArticleFactory(headline="Other", body="<p>서울에서 회의가 열렸다.</p>")
    assert headlines(search_articles("평양")) == ["Talks"]
    assert headlines(search_articles("평양에서")) == ["Talks"]


def test_grams_must_be_adjacent_so_scattered_syllables_do_not_match():
    # "평양" would be found by its two syllables anywhere if the grams were not a phrase.
    ArticleFactory(headline="Scattered", body="<p>평화 양보</p>")
    assert headlines(search_articles("평양")) == []


def test_a_two_word_korean_query_needs_both_words():
    ArticleFactory(headline="Both", body="<p>평양에서 회담이 열렸다.</p>")
    ArticleFactory(headline="One", body="<p>평양에서 축제가 열렸다.</p>")
    assert headlines(search_articles("평양 회담")) == ["Both"]


def test_a_query_mixing_korean_and_english_needs_both():
    ArticleFactory(headline="Summit in the north", body="<p>평양에서 회담이 열렸다.</p>")
    ArticleFactory(headline="Summit in the south", body="<p>부산에서 회담이 열렸다.</p>")
    ArticleFactory(headline="Festival in the north", body="<p>평양에서 축제가 열렸다.</p>")
    assert headlines(search_articles("평양 summits")) == ["Summit in the north"]  # English still stemmed
    assert headlines(search_articles("summit -평양")) == ["Summit in the south"]


def test_headline_korean_ranks_above_body_korean():
    now = timezone.now()
    ArticleFactory(headline="Ferry news", body="<p>부산항 소식</p>", published_at=now - timedelta(minutes=1))
    ArticleFactory(headline="부산항 물동량 증가", body="<p>Port figures.</p>", published_at=now - timedelta(days=2))
    assert [a.headline for a in search_articles("부산항")] == ["부산항 물동량 증가", "Ferry news"]


@pytest.mark.parametrize(
    ("text", "query"),
    [("東京で会議が開かれた", "会議"), ("北京举行峰会", "峰会"), ("中国", "中"), ("国中", "中"), ("ภาษาไทยง่าย", "ไทย")],
)
def test_japanese_chinese_and_thai_substrings_match(text, query):
    ArticleFactory(headline="Found", body=f"<p>{text}</p>")
    assert headlines(search_articles(query)) == ["Found"]


@pytest.mark.parametrize("trait", ["draft", "scheduled", "killed"])
def test_unpublished_korean_stories_are_never_found(trait):
    ArticleFactory(headline="Secret", body="<p>비밀 평양 계획</p>", **{trait: True})
    ArticleFactory(headline="Embargoed", body="<p>평양 계획</p>", embargo_until=timezone.now() + timedelta(hours=2))
    assert headlines(search_articles("평양")) == []


def test_the_database_cuts_the_same_grams_as_python():
    text = "평양에서 회담 中 abc 東京タワー ภาษาไทย ㄱㄴ"
    with connection.cursor() as cursor:
        cursor.execute("SELECT articles_spaceless_grams(%s)", [text])
        stored = cursor.fetchone()[0].split()
    runs = ["평양에서", "회담", "中", "東京タワー", "ภาษาไทย", "ㄱㄴ"]
    expected = [gram for run in runs for gram in spaceless_grams(run)]
    assert stored == expected


def test_the_grams_follow_every_write_and_the_bulk_path():
    story = ArticleFactory(headline="Changing", body="<p>평양에서</p>")
    story.body = "<p>서울에서</p>"
    save_story(story, ["body"])
    assert headlines(search_articles("평양")) == []
    assert headlines(search_articles("서울")) == ["Changing"]
    section = SectionFactory(name="Bulk")
    Article.objects.bulk_create(
        [Article(headline="Bulk", slug="bulk", body="<p>부산항</p>", section=section, status="published",
                 published_at=timezone.now() - timedelta(hours=1))]
    )
    assert headlines(search_articles("부산")) == ["Bulk"]


@pytest.mark.parametrize("query", ["평양", "평양 회담", "평양 summit", "中"])
def test_korean_queries_can_use_the_gin_index(query):
    ArticleFactory(headline="Talks", body="<p>평양에서 회담 summit 中国</p>")
    qs = matching(Article.objects.order_by(), query)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table is otherwise scanned whole
        sql, params = qs.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "article_search_vector_gin" in plan


def test_the_snippet_shows_and_marks_the_korean_match_safely():
    ArticleFactory(headline="Talks", dek="", body="<p>" + "서론 " * 80 + "&lt;b&gt; 평양에서 회담이 열렸다.</p>")
    article = search_articles("평양").get()
    attach_snippets([article], "평양")
    html = snippet_html(article, "평양")
    assert "<mark>평양</mark>에서" in html
    assert "<b>" not in html


def test_the_search_page_finds_korean(client):
    ArticleFactory(headline="평양 회담 소식", body="<p>평양에서 회담이 열렸다.</p>")
    html = client.get(reverse("reader:search"), {"q": "평양"}).content.decode()
    assert "평양 회담 소식" in html
    assert "<mark>평양</mark>" in html


def test_sqlite_style_fallback_matches_korean_substrings(monkeypatch):
    monkeypatch.setattr("articles.search.uses_full_text", lambda: False)
    ArticleFactory(headline="Talks", body="<p>평양에서 summit</p>")
    ArticleFactory(headline="Hidden", draft=True, body="<p>평양에서 summit</p>")
    assert headlines(search_articles("평양 summit")) == ["Talks"]


@pytest.mark.parametrize("query", ["'평양' & !", "평양:*", "평양 <-> ", "(평양", "평\\양", "'", "평" * 300, "-평양 -"])
def test_korean_queries_with_operators_get_a_page(client, query):
    ArticleFactory(headline="평양 회담", body="<p>평양에서</p>")
    assert client.get(reverse("reader:search"), {"q": query}).status_code == 200


def test_only_the_newest_matches_are_ranked_and_the_page_says_there_are_more(client, monkeypatch):
    monkeypatch.setattr("articles.search.RANKED_WINDOW", 3)
    now = timezone.now()
    ArticleFactory(headline="Lighthouse lighthouse", published_at=now - timedelta(days=9))  # best, but oldest
    for n in range(4):
        ArticleFactory(headline=f"Story {n}", body="<p>The lighthouse.</p>", published_at=now - timedelta(hours=n))
    assert [a.headline for a in search_articles("lighthouse")] == ["Story 0", "Story 1", "Story 2"]
    html = client.get(reverse("reader:search"), {"q": "lighthouse"}).content.decode()
    assert "3+ results" in html
