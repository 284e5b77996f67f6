"""WSGI entry point for gunicorn: Django, behind the hot page-cache hits (pagecache/wsgi.py)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

from pagecache.wsgi import HotHits  # noqa: E402 - imports settings, so after Django is set up

application = HotHits(application)
