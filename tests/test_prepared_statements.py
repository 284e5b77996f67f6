"""Repeated queries are planned once per connection on PostgreSQL (DB_PREPARED_STATEMENTS)."""

import pytest
from django.db import connection

from articles.models import Article
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


def session_plan_mode():
    """The connection's plan_cache_mode, asked on the driver's connection (no wrapper switches it)."""
    return connection.connection.execute("SHOW plan_cache_mode").fetchone()[0]


@pytest.mark.django_db(transaction=True)  # the mode changes only outside a transaction
def test_a_readers_request_keeps_one_generic_plan_per_statement_and_the_desk_does_not(client, admin_client):
    """Not planned again for each execution's values (plan_cache_mode=auto did so for nearly every
    reader query); the desk's filters on rare values (drafts among many published) keep theirs."""
    story = ArticleFactory()
    assert client.get(story.get_absolute_url()).status_code == 200
    assert session_plan_mode() == "force_generic_plan"
    assert admin_client.get("/admin/articles/article/?state=draft").status_code == 200
    assert session_plan_mode() == "auto"
    assert client.get("/").status_code == 200
    assert session_plan_mode() == "force_generic_plan"
    # Outside a reader's request (a management command, a worker): PostgreSQL's default.
    list(Article.objects.drafts())
    assert session_plan_mode() == "auto"


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_starts_with_postgresql_default_plans(client):
    assert client.get("/").status_code == 200
    connection.close()
    list(Article.objects.published())
    assert session_plan_mode() == "auto"


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
    monkeypatch.setenv("DB_PREPARED_STATEMENTS", "0")
    assert "OPTIONS" not in prepared_statements(dict(postgres))
    monkeypatch.delenv("DB_PREPARED_STATEMENTS")
    assert "OPTIONS" not in prepared_statements({"ENGINE": "django.db.backends.sqlite3"})
