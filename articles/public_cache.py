"""Short-lived caches of public lists (section navigation, Top 10) that are dropped on every save.

Each cached value lives under a key that includes a generation number; saving or deleting any
Article, Section, Photo or Caption bumps the generation, so a killed story vanishes from every cached
list at once. Writes through ``QuerySet.update()`` skip signals: call ``invalidate_public_cache()``.

Photos also change by the clock (a licence ends, a photo embargo lifts: see articles/rights.py), with
no save. Cached responses that show photos therefore never outlive the next such moment:
``timeout_until_photo_change()`` caps their timeout, so an expired photo leaves them at its time.
"""

import hashlib
import math
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min, Q
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone

from .models import Article, Caption, Photo, Section

GENERATION_KEY = "public-cache:generation"
KEPT_HEADERS = {"content-type", "x-robots-tag", "last-modified"}


def next_photo_change(now=None):
    """The next time a photo on a live story appears or disappears by the clock, or None.

    Caches of public pages must not outlive it (public_cache caps their timeouts with it), so an
    expired photo leaves every cached surface at its time, just as a killed story does.
    """
    now = now or timezone.now()
    found = Photo.objects.filter(captions__article__in=Article.objects.published(now)).aggregate(
        expiry=Min("expires_at", filter=Q(expires_at__gt=now)),
        release=Min("usable_from", filter=Q(usable_from__gt=now)),
    )
    moments = [m for m in found.values() if m]
    return min(moments) if moments else None


def _generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = time.time_ns()
        if not cache.add(GENERATION_KEY, generation, None):
            generation = cache.get(GENERATION_KEY, generation)
    return generation


def cached_public(name, build, timeout=300):
    """The value of `build()`, kept in the cache until `timeout` or the next content change."""
    key = f"public-cache:{_generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


def nav_sections():
    """Every section, for the navigation and the search filter: no query while the cache is warm."""
    return cached_public("nav-sections", lambda: list(Section.objects.all()))


def invalidate_public_cache(**kwargs):
    """Forget every cached public list; the next page builds them afresh."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


def timeout_until_photo_change(timeout, now=None):
    """`timeout` (seconds), shortened so the cached value is gone when a live photo next expires.

    The next moment is itself cached per generation (a photo or caption save starts a new one),
    so this costs queries only once per generation and process.
    """
    now = now or timezone.now()
    key = f"public-cache:{_generation()}:next-photo-change"
    moment = cache.get(key)
    if moment is None:
        upcoming = next_photo_change(now)
        moment = upcoming.timestamp() if upcoming else 0.0  # 0: no photo changes by the clock
        cache.set(key, moment, max(1, math.ceil(moment - now.timestamp())) if upcoming else timeout)
    if not moment:
        return timeout
    return max(1, min(timeout, math.ceil(moment - now.timestamp())))


def connect_signals():
    """Drop the caches whenever a story, section, photo or caption changes (from ArticlesConfig.ready)."""
    for model in (Article, Section, Photo, Caption):
        post_save.connect(invalidate_public_cache, sender=model, dispatch_uid=f"public-cache-save-{model.__name__}")
        post_delete.connect(invalidate_public_cache, sender=model, dispatch_uid=f"public-cache-delete-{model.__name__}")


def cache_public_response(view):
    """Cache a public GET view's response until NEWSROOM_PUBLIC_RESPONSE_CACHE_SECONDS or the next change.

    For feeds and sitemaps: a killed story drops out at once (the generation changes), and a story
    that becomes due by the clock appears within the timeout.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET":
            return view(request, *args, **kwargs)
        # Only the page number varies these responses; other query strings must not fill the cache.
        page = request.GET.get("p", "")[:8]
        path = hashlib.sha1(f"{request.path}?p={page}".encode()).hexdigest()
        key = f"public-cache:{_generation()}:response:{path}"
        cached = cache.get(key)
        if cached is not None:
            content, headers = cached
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()  # TemplateResponse (Django's sitemap view)
        if response.status_code == 200 and not response.streaming:
            seconds = timeout_until_photo_change(settings.NEWSROOM_PUBLIC_RESPONSE_CACHE_SECONDS)
            headers = {k: v for k, v in response.headers.items() if k.lower() in KEPT_HEADERS}
            cache.set(key, (response.content, headers), seconds)
        return response

    return wrapper
