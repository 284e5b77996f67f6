"""/healthz and /readyz: liveness without the database, readiness naming whatever is down."""
from contextlib import contextmanager

import pytest
from django.db import connections

from newsroom.settings import cache_settings

REDIS = "redis://127.0.0.1:6379/15"
CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def media_folders(settings):
    """The conftest points both stores at tmp folders; a deployed volume exists from the start."""
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    settings.PRIVATE_MEDIA_ROOT.mkdir(parents=True, exist_ok=True)


@contextmanager
def database_on_closed_port(alias="default"):
    """Really point the connection at a port nothing listens on, then put it back."""
    connection = connections[alias]
    saved = connection.settings_dict.copy()
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: any query here would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_200_when_database_cache_and_media_answer(client, media_folders):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "media": "ok"}}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_checks_a_real_redis_cache(client, settings, media_folders):
    settings.CACHES = cache_settings(REDIS)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == "ok"


def test_readyz_is_503_naming_the_database_when_it_is_unreachable(client, media_folders, django_db_blocker):
    with django_db_blocker.unblock(), database_on_closed_port():
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database"]
    assert body["checks"]["database"] == "OperationalError"
    assert body["checks"]["cache"] == body["checks"]["media"] == "ok"


@pytest.mark.django_db
def test_readyz_stays_200_but_says_degraded_when_redis_is_down(client, settings, media_folders):
    # Pages are served uncached without Redis; failing the probe would drop every replica at once.
    settings.CACHES = cache_settings(CLOSED_PORT)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["failing"] == ["cache"]


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_is_down_even_if_the_cache_is_too(
    client, settings, media_folders, django_db_blocker
):
    settings.CACHES = cache_settings(CLOSED_PORT)
    with django_db_blocker.unblock(), database_on_closed_port():
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["failing"] == ["database", "cache"]


@pytest.mark.django_db
def test_readyz_is_503_naming_media_when_the_volume_is_missing(client, settings):
    settings.PRIVATE_MEDIA_ROOT.mkdir(parents=True)  # public media folder deliberately absent
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["media"]


@pytest.mark.django_db
def test_probes_ignore_host_checks_and_the_https_redirect(client, settings, media_folders):
    # Orchestrators probe over plain HTTP with the container's address as Host.
    settings.ALLOWED_HOSTS = ["news.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="172.18.0.5:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="172.18.0.5:8000").status_code == 200
    assert client.get("/", HTTP_HOST="news.example.com").status_code == 301  # everything else still redirects
