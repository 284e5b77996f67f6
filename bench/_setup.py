"""Start-up shared by the benchmark scripts (run from the repo root: `python bench/<name>.py`)."""
import os
import subprocess
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


def server_url(db):
    """DATABASE_URL's server, database `db` (the corpora live next to the database named there)."""
    return os.environ.get("DATABASE_URL", DEFAULTS["DATABASE_URL"]).rsplit("/", 1)[0] + f"/{db}"


def psql(sql, db="postgres"):
    return subprocess.run(["psql", server_url(db), "-tAc", sql], capture_output=True, text=True,
                          check=True).stdout.strip()


def server_env(db, work, **extra):
    """Environment of a Django process a benchmark starts (manage.py, corpus.py, gunicorn): production
    settings (DEBUG off) on database `db`, files under `work`, no Redis, tasks in-process, and no
    per-address search limit (every bench request comes from one address: the 30/m limit would
    answer 429, which measures the limiter, not search)."""
    return {
        **os.environ,
        "DATABASE_URL": server_url(db),
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "PRIVATE_MEDIA_ROOT": str(work / "private_media"),
        "NEWSROOM_SITE_URL": "http://127.0.0.1",
        "TASKS_BACKEND": "immediate",
        "NEWSROOM_SEARCH_RATE": "1000000/m",
        **extra,
    }


def corpus_database(db, rebuild):
    """Make sure database `db` exists (dropped first with `rebuild`); True when it was just created,
    so the caller builds its corpus."""
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"
    if exists and rebuild:
        psql(f'DROP DATABASE "{db}"')
        exists = False
    if not exists:
        psql(f'CREATE DATABASE "{db}"')
    return not exists
