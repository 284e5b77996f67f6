"""Repeated queries are planned once per connection on PostgreSQL (DB_PREPARED_STATEMENTS)."""

import pytest
from django.db import connection

from newsroom.settings import prepared_statements
from tests.factories import ArticleFactory


@pytest.mark.django_db
def test_a_page_asked_again_runs_prepared_statements(client):
    story = ArticleFactory()
    for _ in range(3):
        assert client.get(story.get_absolute_url()).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%articles_article%"])
        assert cursor.fetchone()[0] > 0


@pytest.mark.django_db
def test_prepared_statements_keep_one_generic_plan():
    """Not planned again for each execution's values (plan_cache_mode=auto did so for nearly every page query)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"


@pytest.mark.django_db
def test_text_searches_are_never_prepared(client, settings):
    """Their best plan depends on the words searched, which a generic plan cannot see."""
    settings.NEWSROOM_SEARCH_CACHE_SECONDS = 0
    ArticleFactory(headline="Harbour budget approved")
    for _ in range(4):
        assert "Harbour budget approved" in client.get("/search/?q=harbour+budget").content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%@@%"])
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
def test_a_text_search_is_planned_for_its_own_words():
    """Sent with its words written in (a generic plan would see "$1" and pick one plan for every word)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT id FROM articles_article WHERE search_vector @@ plainto_tsquery('simple', %s)", ["harbour"]
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "'harbour'" in plan and "$1" not in plan


@pytest.mark.django_db
def test_a_text_search_value_cannot_inject_sql():
    ArticleFactory(headline="Harbour budget approved")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM articles_article WHERE search_vector @@ plainto_tsquery('simple', %s)",
            ["x') OR true OR ('"],
        )
        assert cursor.fetchone()[0] == 0


def test_they_can_be_turned_off_for_a_pooler_and_never_apply_to_sqlite(monkeypatch):
    postgres = {"ENGINE": "django.db.backends.postgresql"}
    options = prepared_statements(dict(postgres))["OPTIONS"]
    assert options["server_side_binding"] is True and options["prepare_threshold"] == 2
    assert options["options"] == "-c plan_cache_mode=force_generic_plan"
    given = {**postgres, "OPTIONS": {"options": "-c statement_timeout=5000"}}
    assert prepared_statements(given)["OPTIONS"]["options"] == (
        "-c statement_timeout=5000 -c plan_cache_mode=force_generic_plan"
    )
    monkeypatch.setenv("DB_PREPARED_STATEMENTS", "0")
    assert "OPTIONS" not in prepared_statements(dict(postgres))
    monkeypatch.delenv("DB_PREPARED_STATEMENTS")
    assert "OPTIONS" not in prepared_statements({"ENGINE": "django.db.backends.sqlite3"})
