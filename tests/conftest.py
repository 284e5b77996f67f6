import pytest
from django.core.cache import caches

from pagecache import hot


def pytest_configure(config):
    """A fast password hasher: the default PBKDF2 spends ~0.3 s per login or created user."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads and renditions go to a throwaway folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": tmp_path / "media"}},
        "originals": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                      "OPTIONS": {"location": tmp_path / "private", "base_url": None}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def empty_cache():
    """Every cache alias (page caches and rate-limit counters) starts and ends empty."""
    for cache in caches.all():
        cache.clear()
    hot.pages.clear()
    yield
    for cache in caches.all():
        cache.clear()
    hot.pages.clear()


@pytest.fixture
def no_avif(settings):
    """Renditions without the slow AVIF encodes; test_images and test_photos_pages cover AVIF itself."""
    settings.NEWSROOM_PHOTO_AVIF = False


@pytest.fixture
def editor(db):
    """A desk user in the Editor group (see tests/workflow_helpers.desk_user)."""
    from tests.workflow_helpers import desk_user

    return desk_user("Editor")


@pytest.fixture
def uncached_pages(settings):
    """Whole-page caching off, so a test measures the work of building the page itself."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    settings.NEWSROOM_SEARCH_CACHE_SECONDS = 0
