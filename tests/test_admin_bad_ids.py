"""Admin addresses with an id that is not a number (or names nothing) answer 404, never 500."""
import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/admin/articles/article/abc/history/",
        "/admin/articles/article/abc/history/compare/",
        "/admin/articles/article/abc/share/",
        "/admin/articles/article/1%20OR%201=1/history/",
        "/admin/articles/article/abc/change/",
        "/admin/articles/photo/abc/change/",
        "/admin/wire/wireversion/abc/change/",
    ],
)
def test_non_numeric_story_ids_are_not_found(admin_client, path):
    response = admin_client.get(path, follow=True)
    assert response.status_code in (200, 404)  # Django's own change views redirect to the list
    assert response.status_code != 500


@pytest.mark.parametrize("params", [{"old": "abc"}, {"new": "abc"}, {"old": "1.5", "new": "current"}])
def test_comparing_with_a_non_numeric_revision_is_not_found(admin_client, params):
    article = ArticleFactory()
    response = admin_client.get(f"/admin/articles/article/{article.pk}/history/compare/", params)
    assert response.status_code == 404


def test_restoring_a_non_numeric_story_is_not_found(admin_client):
    response = admin_client.post("/admin/articles/article/abc/history/1/restore/")
    assert response.status_code == 404
