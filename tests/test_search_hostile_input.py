"""Search parameters an attacker (or an unlucky reader) sends: a page, never a 500."""
import pytest
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params",
    [
        {"date_to": "9999-12-31"},
        {"date_from": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"date_to": "0001-01-01"},
        {"date_from": "0001-01-01", "date_to": "9999-12-31"},
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_reported_not_fatal(client, params):
    ArticleFactory(headline="Harbour plan approved")
    response = client.get(reverse("reader:search"), {"q": "harbour", **params})
    assert response.status_code == 200
    assert "Enter a date between" in response.content.decode()


@pytest.mark.parametrize("query", ["-" * 200, "- " * 100, "!" * 200, "-" * 199 + "harbour", "&" * 200, ":*" * 100])
def test_queries_made_of_operators_get_a_page(client, query):
    ArticleFactory(headline="Harbour plan approved")
    response = client.get(reverse("reader:search"), {"q": query})
    assert response.status_code == 200
