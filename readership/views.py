"""The read beacon: a tiny POST from the story page, so reads count even when pages are cached."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from newsroom.client_ip import client_ip
from newsroom.ratelimits import allow

from .counting import client_key, is_bot, is_public_story, maybe_flush, record_read

MAX_ARTICLE_ID = 2**63 - 1


@csrf_exempt  # anonymous, changes nothing a reader owns; sendBeacon cannot send a CSRF token
@require_POST
@never_cache
def beacon(request):
    """Count one read of a story: 204 always, 400 on bad input.

    Silently ignored: bots, a client address past NEWSROOM_READS_RATE hits, stories that are not public,
    and repeats (one read per story per client address per repeat window, whatever the User-Agent).
    """
    raw = request.POST.get("article") or request.GET.get("article") or ""
    if not raw.isdigit() or not 0 < int(raw) <= MAX_ARTICLE_ID:
        return HttpResponseBadRequest("article must be a story id", content_type="text/plain")
    article_id = int(raw)
    if (
        not is_bot(request.META.get("HTTP_USER_AGENT", ""))
        and allow(request, "read-beacon", settings.NEWSROOM_READS_RATE)
        and is_public_story(article_id)
    ):
        record_read(article_id, client_key(client_ip(request)))
        maybe_flush()
    return HttpResponse(status=204)
