"""Anonymous search is rate-limited per client address (django-ratelimit); staff are not; the limit
fails open when the cache is down."""
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from newsroom.settings import cache_settings
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


QUERY_NUMBERS = itertools.count()


def search(client, ip="203.0.113.20"):
    # A different query each time: a repeated one is answered from the page cache and costs nothing.
    return client.get(reverse("reader:search"), {"q": f"harbour {next(QUERY_NUMBERS)}"}, REMOTE_ADDR=ip)


def test_anonymous_searches_past_the_rate_get_a_429_page(client, settings):
    settings.NEWSROOM_SEARCH_RATE = "3/m"
    ArticleFactory(headline="Harbour plan approved")
    statuses = [search(client).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    response = search(client)
    assert response["Retry-After"] == "60"
    assert "try again in a minute" in response.content.decode()
    assert search(client, ip="198.51.100.20").status_code == 200  # other readers are unaffected


def test_the_limit_follows_the_trusted_client_address_header(client, settings):
    settings.NEWSROOM_SEARCH_RATE = "2/m"
    settings.NEWSROOM_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for n in range(4):  # one proxy address, four readers behind it
        assert client.get(reverse("reader:search"), {"q": "x"}, HTTP_X_REAL_IP=f"198.51.100.{n}").status_code == 200


def test_staff_are_not_limited(client, settings):
    settings.NEWSROOM_SEARCH_RATE = "1/m"
    user = get_user_model().objects.create_user("desk", password="a-long-test-password", is_staff=True)
    client.force_login(user)
    assert [search(client).status_code for _ in range(3)] == [200, 200, 200]


def test_the_limit_fails_open_when_the_cache_is_down(client, settings):
    settings.CACHES = cache_settings("redis://127.0.0.1:1/0")
    settings.NEWSROOM_SEARCH_RATE = "1/m"
    assert [search(client).status_code for _ in range(3)] == [200, 200, 200]
