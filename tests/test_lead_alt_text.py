"""A lead photo without alt text: warned in the story form and list, blocked at publish by a setting."""

import pytest
from django.urls import reverse

from articles.models import Article, Caption
from articles.publishing import PublishError, publish_article, set_status
from tests.factories import ArticleFactory, CaptionFactory, PhotoFactory
from tests.workflow_helpers import count_queries, desk_user, open_change_form, save_change_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

LIST_URL = "/admin/articles/article/"


def draft_with_lead(alt_text="", **story):
    article = ArticleFactory(draft=True, **story)
    photo = PhotoFactory(alt_text=alt_text, caption="Dock workers at dawn")
    CaptionFactory(article=article, photo=photo, role=Caption.Role.LEAD)
    return article, photo


@pytest.fixture
def block_on(settings):
    settings.NEWSROOM_REQUIRE_LEAD_ALT_TEXT = True


def test_with_the_block_off_a_lead_without_alt_text_publishes(settings):
    settings.NEWSROOM_REQUIRE_LEAD_ALT_TEXT = False
    article, _ = draft_with_lead()
    publish_article(article)
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


@pytest.mark.usefixtures("block_on")
@pytest.mark.parametrize("alt_text", ["", "   "])
def test_with_the_block_on_set_status_refuses_and_writes_nothing(alt_text):
    article, photo = draft_with_lead(alt_text)
    before = Article.objects.get(pk=article.pk)
    with pytest.raises(PublishError) as refused:
        set_status(article, Article.Status.PUBLISHED)
    assert f"photo {photo.pk}" in refused.value.message and "no alt text" in refused.value.message
    assert refused.value.code == "lead_alt_text"
    after = Article.objects.get(pk=article.pk)
    assert (after.status, after.version, after.published_at) == (Article.Status.DRAFT, before.version, None)
    assert not article.status_changes.filter(to_status=Article.Status.PUBLISHED).exists()


@pytest.mark.usefixtures("block_on")
def test_with_the_block_on_alt_text_or_no_lead_photo_publishes():
    article, _ = draft_with_lead("Dock workers unload a ship at dawn.")
    publish_article(article)
    inline_only = ArticleFactory(draft=True)
    CaptionFactory(article=inline_only, photo=PhotoFactory(), role=Caption.Role.INLINE)
    publish_article(inline_only)
    publish_article(ArticleFactory(draft=True))
    assert Article.objects.filter(status=Article.Status.PUBLISHED).count() == 3


@pytest.mark.usefixtures("block_on")
def test_the_story_form_refuses_to_publish_and_keeps_the_draft(client, editor):
    article, photo = draft_with_lead()
    client.force_login(editor)
    response = save_change_form(client, article, open_change_form(client, article), status="published")
    assert response.status_code == 200
    page = response.content.decode()
    assert "has no alt text" in page and "does not publish a lead photo without it" in page
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


@pytest.mark.usefixtures("block_on")
def test_the_story_form_checks_the_lead_it_is_about_to_save_not_the_stored_one(client, editor):
    article, _ = draft_with_lead()
    client.force_login(editor)
    data = open_change_form(client, article)
    data["captions-0-role"] = Caption.Role.INLINE  # the photo without alt text no longer leads
    response = save_change_form(client, article, data, status="published")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


@pytest.mark.usefixtures("block_on")
def test_the_list_action_names_the_photo(client, editor):
    article, photo = draft_with_lead()
    client.force_login(editor)
    response = client.post(LIST_URL, {"action": "publish_now", "_selected_action": [article.pk]}, follow=True)
    assert f"photo {photo.pk}" in response.content.decode() and "no alt text" in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_the_story_form_warns_about_a_lead_without_alt_text(client, editor):
    article, photo = draft_with_lead()
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'class="lead-alt-notice"' in page and "has no alt text" in page
    assert reverse("admin:articles_photo_change", args=[photo.pk]) in page
    photo.alt_text = "Dock workers unload a ship."
    photo.save()
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'class="lead-alt-notice"' not in page


def test_the_story_list_flags_and_filters_stories_whose_lead_lacks_alt_text(client, editor):
    missing, _ = draft_with_lead(headline="Lead without alt")
    draft_with_lead("A described picture.", headline="Lead with alt")
    ArticleFactory(headline="No photo at all")
    client.force_login(editor)
    page = client.get(LIST_URL).content.decode()
    assert page.count('class="lead-alt-missing"') == 1
    filtered = client.get(LIST_URL, {"lead_alt": "missing"}).content.decode()
    assert "Lead without alt" in filtered
    assert "Lead with alt" not in filtered and "No photo at all" not in filtered


def test_the_alt_text_column_costs_no_query_per_story(client, editor):
    client.force_login(editor)
    for n in range(2):
        draft_with_lead(headline=f"Story {n}")
    few = count_queries(client, LIST_URL)
    for n in range(2, 8):
        draft_with_lead(headline=f"Story {n}")
    assert count_queries(client, LIST_URL) == few


def test_a_reporter_sees_the_warning_on_their_own_draft(client):
    reporter = desk_user("Reporter")
    article, _ = draft_with_lead(created_by=reporter)
    client.force_login(reporter)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "has no alt text" in page
