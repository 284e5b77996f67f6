"""Liveness and readiness probes: /healthz (the process answers) and /readyz (its backends do)."""
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connections
from django.http import JsonResponse

logger = logging.getLogger("newsroom.health")


def check_databases():
    for alias in settings.DATABASES:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")


class CacheUnavailable(Exception):
    """The cache did not give back what was just stored (django-redis hides the error itself)."""


def check_cache():
    key, token = "newsroom:readyz", uuid.uuid4().hex
    cache.set(key, token, 30)
    if cache.get(key) != token:
        raise CacheUnavailable("the cache did not return what was just stored")


def check_media():
    # Lists the top level of the public media and the private originals store (local folder or
    # bucket): proves they are mounted and readable without touching any file.
    for name in ("default", "originals"):
        storages[name].listdir("")


READINESS_CHECKS = {"database": check_databases, "cache": check_cache, "media": check_media}
# Without these the replica still serves every page, only slower: /readyz says "degraded" with a 200
# so a load balancer keeps it (dropping every replica at once for a shared Redis outage would take the
# whole site down). Without the database or media it cannot serve: 503.
DEGRADING_CHECKS = {"cache"}


def run_readiness_checks():
    """{check name: None if fine, else a short reason}; details go to the log, not the response."""
    results = {}
    for name, check in READINESS_CHECKS.items():
        try:
            check()
        # A probe must report any failure of its backend rather than crash; the full error is logged.
        except Exception as exc:  # noqa: BLE001
            logger.warning("readiness check %s failed", name, exc_info=True)
            results[name] = type(exc).__name__
        else:
            results[name] = None
    return results


def healthz(request):
    """The process is up and serving; touches no backend."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """200 "ok" when database, cache and media storage answer; 200 "degraded" when only the cache fails;
    503 "unavailable" naming the failing checks otherwise."""
    results = run_readiness_checks()
    failing = [name for name, reason in results.items() if reason]
    fatal = [name for name in failing if name not in DEGRADING_CHECKS]
    body = {
        "status": "unavailable" if fatal else "degraded" if failing else "ok",
        "checks": {name: reason or "ok" for name, reason in results.items()},
    }
    if failing:
        body["failing"] = failing
    response = JsonResponse(body, status=503 if fatal else 200)
    response["Cache-Control"] = "no-store"
    return response


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answers the probes ahead of the rest of the stack.

    Orchestrators call them over plain HTTP with the container's own address as Host, so they must
    not depend on ALLOWED_HOSTS, the HTTPS redirect or sessions.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)
