"""Start-up shared by the benchmark scripts (run from the repo root: `python bench/<name>.py`)."""
import os
import sys
from pathlib import Path

DEFAULTS = {
    "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    "SECRET_KEY": "bench-only-not-secret",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/newsroom",
    "LOG_LEVEL": "WARNING",
}


def setup_django():
    """Put the project on the path and start Django; the environment's own values win."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()


def throwaway_storages(media):
    """STORAGES for a benchmark run: uploads and originals in the temporary folder `media`."""
    return {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media / "m"}},
        "originals": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media / "o", "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
