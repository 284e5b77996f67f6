"""What the ops layer costs per request, and how long the probes take, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/ops.py [--requests 3000]

1. A 30 KB HTML page served through Django's WSGI handler with the full MIDDLEWARE list and with our
   four ops middlewares (request log, probes, CSP, replica routing) taken out: ms per request and
   the ratio. Once for a public path and once under /admin/, where the CSP middleware also hashes
   the page's import map. Logs are written (JSON) to /dev/null so formatting is counted.
2. /healthz and /readyz (database, cache, media) latency through the full stack.
Figures are printed, never asserted.
"""

import argparse
import io
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path

from _setup import setup_django  # noqa: E402  (bench/ is on sys.path when run as a script)

os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("LOG_LEVEL", "INFO")  # the request log lines are part of the cost
os.environ["SECURE_SSL_REDIRECT"] = "0"  # the bench speaks plain HTTP, like the proxy to gunicorn
_media = tempfile.mkdtemp(prefix="bench-ops-")
os.environ["MEDIA_ROOT"] = f"{_media}/media"
os.environ["PRIVATE_MEDIA_ROOT"] = f"{_media}/private"
Path(_media, "media").mkdir()
Path(_media, "private").mkdir()
setup_django()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory, override_settings  # noqa: E402
from django.urls import path  # noqa: E402

OPS_MIDDLEWARE = {
    "newsroom.middleware.RequestLogMiddleware",
    "newsroom.health.HealthCheckMiddleware",
    "newsroom.middleware.ContentSecurityPolicyMiddleware",
    "newsroom.db_router.ReaderReadsMiddleware",
}
PAGE = (
    '<!doctype html><html><head><script type="importmap">{"imports": {"a": "/static/a.js"}}</script>'
    "</head><body>" + "<p>Paragraph of a story about the harbour.</p>" * 650 + "</body></html>"
).encode()


def page(request):
    return HttpResponse(PAGE)


urlpatterns = [path("page/", page), path("admin/page/", page)]


def time_requests(handler, path_info, n):
    environ = RequestFactory()._base_environ(PATH_INFO=path_info, REQUEST_METHOD="GET")
    status = []

    def start_response(s, headers):
        status.append(s)

    samples = []
    for _ in range(n):
        env = dict(environ, **{"wsgi.input": io.BytesIO()})
        started = time.perf_counter()
        body = b"".join(handler(env, start_response))
        samples.append((time.perf_counter() - started) * 1000)
    assert status[-1].startswith("200"), status[-1]
    assert body
    return statistics.median(samples)


def handler_with(middleware):
    with override_settings(MIDDLEWARE=middleware, ROOT_URLCONF=__name__):
        return WSGIHandler()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    n = parser.parse_args().requests
    for handler in logging.getLogger().handlers:
        handler.setStream(open(os.devnull, "w"))  # noqa: SIM115

    print(f"cache: {settings.CACHES['default']['BACKEND']}, requests per case: {n}")
    full = list(settings.MIDDLEWARE)
    bare = [m for m in full if m not in OPS_MIDDLEWARE]
    with override_settings(ROOT_URLCONF=__name__):
        for label, path_info in (("public page", "/page/"), ("admin page", "/admin/page/")):
            with_ops = handler_with(full)
            without = handler_with(bare)
            time_requests(with_ops, path_info, 200)  # warm up
            time_requests(without, path_info, 200)
            ours = time_requests(with_ops, path_info, n)
            plain = time_requests(without, path_info, n)
            print(f"{label:12s} with ops middleware {ours:.3f} ms, without {plain:.3f} ms, "
                  f"ratio {ours / plain:.2f}x (+{ours - plain:.3f} ms)")
    handler = WSGIHandler()
    healthz = time_requests(handler, "/healthz", min(n, 1000))
    readyz = time_requests(handler, "/readyz", min(n, 1000))
    print(f"/healthz {healthz:.3f} ms, /readyz {readyz:.3f} ms (database + cache + media), "
          f"ratio {readyz / healthz:.1f}x")


if __name__ == "__main__":
    main()
