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


def test_they_can_be_turned_off_for_a_pooler_and_never_apply_to_sqlite(monkeypatch):
    postgres = {"ENGINE": "django.db.backends.postgresql"}
    assert prepared_statements(dict(postgres))["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 2}
    monkeypatch.setenv("DB_PREPARED_STATEMENTS", "0")
    assert "OPTIONS" not in prepared_statements(dict(postgres))
    monkeypatch.delenv("DB_PREPARED_STATEMENTS")
    assert "OPTIONS" not in prepared_statements({"ENGINE": "django.db.backends.sqlite3"})
