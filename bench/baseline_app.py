"""The bare-Django baseline of bench/pages.py: one view returning a page's bytes from memory.

    gunicorn --chdir bench baseline_app:application   (BENCH_BYTES_DIR names the folder of pages)

No middleware, no database, no templates: what Django itself costs per request on this machine,
serving exactly the bytes Newsroom served for the same page in the same run.
"""

import os
from pathlib import Path

import django
from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound
from django.urls import path

PAGES = {p.stem: p.read_bytes() for p in Path(os.environ["BENCH_BYTES_DIR"]).glob("*.html")}
CONTENT_TYPES = {"feed": "application/rss+xml; charset=utf-8", "robots": "text/plain; charset=utf-8"}


def page(request, name):
    if name not in PAGES:
        return HttpResponseNotFound()
    return HttpResponse(PAGES[name], content_type=CONTENT_TYPES.get(name, "text/html; charset=utf-8"))


urlpatterns = [path("<str:name>", page)]

settings.configure(
    DEBUG=False, SECRET_KEY="bench-only", ALLOWED_HOSTS=["*"], ROOT_URLCONF=__name__, MIDDLEWARE=[],
    INSTALLED_APPS=[], USE_TZ=True,
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
