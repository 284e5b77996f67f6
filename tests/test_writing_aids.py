"""Length hints under the headline, SEO title, SEO description and standfirst, rendered by the server too."""

import pytest
from django.urls import reverse

from articles.models import Article
from articles.writing_aids import LIMITS, char_count, count_text
from tests.factories import ArticleFactory
from tests.workflow_helpers import desk_user, open_change_form, save_change_form

pytestmark = pytest.mark.django_db


def change_page(client, article):
    return client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()


def test_limits_follow_googles_display_limits():
    assert (LIMITS["seo_title"].chars, LIMITS["seo_description"].chars) == (60, 160)
    assert LIMITS["headline"].chars == 110 and LIMITS["dek"].chars == 160


def test_counts_are_characters_not_bytes():
    assert char_count("서울 시청") == 5
    assert char_count("one\r\ntwo") == 7
    assert count_text("seo_title", "x" * 72) == "72 of 60 characters — 12 over"
    assert count_text("seo_title", "") == "0 of 60 characters"


def test_the_story_form_shows_each_counter_with_the_stored_text_for_readers_without_javascript(client, editor):
    article = ArticleFactory(headline="Rail strike called off", dek="x" * 170, seo_title="", seo_description="")
    client.force_login(editor)
    page = change_page(client, article)
    assert 'id="id_headline_count"' in page and "22 of 110 characters" in page
    assert "170 of 160 characters — 10 over" in page and 'class="writing-aid is-over" id="id_dek_count"' in page
    assert 'id="id_seo_title_count"' in page and 'id="id_seo_description_count"' in page
    assert 'aria-describedby="id_seo_title_count id_seo_title_helptext"' in page
    assert 'aria-live="polite"' in page and "desk/writing-aids.js" in page


def test_the_add_form_has_the_counters_too(client, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_add")).content.decode()
    assert "0 of 110 characters" in page


def test_an_over_long_seo_title_is_a_hint_not_an_error(client, editor):
    article = ArticleFactory(draft=True)
    client.force_login(editor)
    response = save_change_form(client, article, open_change_form(client, article), seo_title="t" * 75)
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).seo_title == "t" * 75


def test_the_seo_title_is_the_pages_title_and_the_headline_its_fallback(client):
    story = ArticleFactory(headline="Rail strike called off after talks", seo_title="Rail strike off")
    page = client.get(story.get_absolute_url()).content.decode()
    assert "<title>Rail strike off</title>" in page and '<meta property="og:title" content="Rail strike off">' in page
    plain = ArticleFactory(headline="Harbour reopens")
    assert "<title>Harbour reopens | " in client.get(plain.get_absolute_url()).content.decode()


def test_a_photo_editor_sees_no_counters_on_the_read_only_story(client):
    client.force_login(desk_user("Photo editor"))
    page = change_page(client, ArticleFactory())
    assert "writing-aid" not in page
