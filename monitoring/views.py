"""The pipeline health page (desk), its JSON twin (monitors) and the Prometheus metrics (ops)."""

import hmac

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from prometheus_client import CONTENT_TYPE_LATEST

from .metrics import exposition
from .status import pipeline_status


def bearer_ok(request):
    """The request carries NEWSROOM_METRICS_TOKEN as a bearer token (none is accepted while it is unset)."""
    token = settings.NEWSROOM_METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


@staff_member_required
def pipeline_page(request):
    context = {**admin.site.each_context(request), "title": "Pipeline health", "health": pipeline_status()}
    response = TemplateResponse(request, "monitoring/pipeline.html", context)
    response["Cache-Control"] = "no-store"
    return response


def pipeline_json(request):
    """Staff (signed in) or a monitor with the metrics token; 503 when the pipeline is degraded."""
    if not (bearer_ok(request) or (request.user.is_authenticated and request.user.is_staff)):
        raise Http404
    status = pipeline_status()
    response = JsonResponse(status, status=200 if status["status"] == "ok" else 503)
    response["Cache-Control"] = "no-store"
    return response


def metrics(request):
    """Prometheus text format, for a scraper with the token (or anyone while DEBUG is on)."""
    if not (bearer_ok(request) or settings.DEBUG):
        raise Http404
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
