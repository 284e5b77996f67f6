"""The read beacon: a tiny POST from the story page, so reads count even when pages are cached."""

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from newsroom.client_ip import client_ip

from .counting import client_key, is_bot, maybe_flush, record_read

MAX_ARTICLE_ID = 2**63 - 1


@csrf_exempt  # anonymous, changes nothing a reader owns; sendBeacon cannot send a CSRF token
@require_POST
@never_cache
def beacon(request):
    """Count one read of a story: 204 always (bots and repeats are silently ignored), 400 on bad input."""
    raw = request.POST.get("article") or request.GET.get("article") or ""
    if not raw.isdigit() or not 0 < int(raw) <= MAX_ARTICLE_ID:
        return HttpResponseBadRequest("article must be a story id", content_type="text/plain")
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    if not is_bot(user_agent):
        record_read(int(raw), client_key(client_ip(request), user_agent))
        maybe_flush()
    return HttpResponse(status=204)
