"""'Did you mean': respelled queries from the words of published stories only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, SearchTerm
from articles.publishing import set_status
from articles.suggestions import rebuild_search_terms, suggest_query
from pipeline.schedule import periodic_jobs
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_misspelled_word_is_respelled_from_published_headlines():
    ArticleFactory(headline="Parliament passes the harbour budget")
    rebuild_search_terms()
    assert suggest_query("parliment budget") == "parliament budget"
    assert suggest_query("harbour budget") == ""  # nothing to correct


def test_the_more_common_of_two_equally_close_words_wins():
    ArticleFactory(headline="Ferry strike ends")
    ArticleFactory(headline="Ferry strike talks")
    ArticleFactory(headline="Fairy tale opera")
    rebuild_search_terms()
    assert SearchTerm.objects.get(term="ferry").stories == 2
    assert suggest_query("ferri") == "ferry"


@pytest.mark.parametrize("trait", [{"draft": True}, {"scheduled": True}, {"killed": True},
                                   {"embargo_until": timezone.now() + timedelta(hours=3)}])
def test_words_of_unpublished_stories_are_never_suggested(trait):
    ArticleFactory(headline="Zanzibar reservoir secret", **trait)
    rebuild_search_terms()
    assert not SearchTerm.objects.filter(term="zanzibar").exists()
    assert suggest_query("zanzibr") == ""


def test_a_killed_story_leaves_the_vocabulary_when_its_kill_commits(django_capture_on_commit_callbacks, editor):
    story = ArticleFactory(headline="Quixotic lighthouse plan")
    rebuild_search_terms()
    assert suggest_query("quixotik") == "quixotic"
    with django_capture_on_commit_callbacks(execute=True):
        set_status(story, "killed", by=editor)
    assert not SearchTerm.objects.filter(term="quixotic").exists()
    assert suggest_query("quixotik") == ""


def test_a_suggestion_is_only_offered_if_it_finds_published_stories():
    ArticleFactory(headline="Quixotic lighthouse plan")
    rebuild_search_terms()
    # Killed behind the vocabulary's back (no rebuild yet): the check against published() still holds.
    Article.objects.filter(headline__startswith="Quixotic").update(status="killed")
    assert SearchTerm.objects.filter(term="quixotic").exists()
    assert suggest_query("quixotik") == ""


def test_a_publish_adds_its_words_when_it_commits(django_capture_on_commit_callbacks, editor):
    story = ArticleFactory(headline="Marzipan festival opens", draft=True)
    rebuild_search_terms()
    assert suggest_query("marzipn") == ""
    with django_capture_on_commit_callbacks(execute=True):
        set_status(story, "published", by=editor)
    assert suggest_query("marzipn") == "marzipan"


def test_the_vocabulary_is_rebuilt_by_the_scheduler_for_stories_going_live_by_the_clock():
    assert "articles.suggestions.refresh_search_terms" in {job.task for job in periodic_jobs()}


def test_the_suggestion_keeps_the_filters():
    ArticleFactory(headline="Quixotic lighthouse plan")
    rebuild_search_terms()
    assert suggest_query("quixotik", date_from=timezone.localdate() + timedelta(days=1)) == ""


@pytest.mark.parametrize("query", ["", "ab", "12345", "평양", "' OR 1=1 --", "%_%", "a & | ! :*", "x" * 500])
def test_odd_queries_get_no_suggestion_and_no_error(query):
    ArticleFactory(headline="Parliament passes the budget")
    rebuild_search_terms()
    assert suggest_query(query) == ""


def test_the_results_page_offers_the_suggestion_with_the_filters_kept(client):
    ArticleFactory(headline="Parliament passes the harbour budget")
    rebuild_search_terms()
    html = client.get(reverse("reader:search"), {"q": "parliment", "section": ""}).content.decode()
    assert "Did you mean" in html
    assert "?q=parliament&amp;section=" in html or "?section=&amp;q=parliament" in html
    assert "Did you mean" not in client.get(reverse("reader:search"), {"q": "parliament"}).content.decode()


def test_a_page_without_results_costs_two_more_queries_for_the_suggestion(client, django_assert_max_num_queries):
    ArticleFactory(headline="Parliament passes the harbour budget")
    rebuild_search_terms()
    client.get(reverse("reader:search"), {"q": "warm"})  # the navigation cache
    # the content generation, the (empty) page with its count, the closest words, and whether the
    # suggestion finds stories
    with django_assert_max_num_queries(4):
        response = client.get(reverse("reader:search"), {"q": "parliment budgit"})
    assert response.context["suggestion"] == "parliament budget"
