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


def check_cache():
    key, token = "newsroom:readyz", uuid.uuid4().hex
    cache.set(key, token, 30)
    if cache.get(key) != token:
        raise RuntimeError("the cache did not return what was just stored")


def check_media():
    # Lists the top level of the public media and the private originals store (local folder or
    # bucket): proves they are mounted and readable without touching any file.
    for name in ("default", "originals"):
        storages[name].listdir("")


READINESS_CHECKS = {"database": check_databases, "cache": check_cache, "media": check_media}


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
    """200 when database, cache and media storage answer; 503 naming the failing checks otherwise."""
    results = run_readiness_checks()
    failing = [name for name, reason in results.items() if reason]
    body = {
        "status": "unavailable" if failing else "ok",
        "checks": {name: reason or "ok" for name, reason in results.items()},
    }
    if failing:
        body["failing"] = failing
    response = JsonResponse(body, status=503 if failing else 200)
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
