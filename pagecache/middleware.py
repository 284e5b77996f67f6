"""Whole-page cache for anonymous readers, keyed by the content generation (pagecache.generation).

One path for every public response (pages, feeds, sitemaps, search): a request without a session
cookie for a public URL is answered from the cache when an entry exists for the current
generation; otherwise the view runs and its response is stored if it is a plain public 200. Staff
(session cookie), previews and share links (``/preview/``, sent with ``never_cache``), the admin
and anything that sets a cookie are never stored or served from here. (A request without a session
cookie has an empty session, so a page can only depend on it by starting one: a cookie.)

Every public response also gets an ``ETag`` and ``Last-Modified`` (answered with 304), the
``Cache-Control`` that lets nginx and a CDN keep it (``s-maxage``, ``stale-while-revalidate``;
browsers revalidate every time, so they never show a killed story from their own cache), an
``X-Accel-Expires`` for nginx's micro-cache and the surrogate keys a CDN purges by.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from django.utils.timezone import now

from .generation import current_generation, request_generation
from .keys import SITE_KEY, response_keys

# Public URL namespaces; anything else (admin, readership, newsletter, probes) is left alone.
PUBLIC_NAMESPACES = {"reader"}
EXCLUDED_PREFIXES = ("/admin/", "/api/", "/preview/", "/readership/", "/newsletter/", "/static/", "/media/")
MAX_QUERY_STRING = 300
# Headers that are the page's own; outer middleware (security, CSP, request id) adds the rest anew.
UNSTORED_HEADERS = {
    "set-cookie",
    "x-request-id",
    "x-page-cache",
    "content-security-policy",
    "content-security-policy-report-only",
}
SEARCH_PATH = "/search/"


def is_cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path_info.startswith(EXCLUDED_PREFIXES)
        and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_STRING
    )


def is_public_response(request, response):
    match = getattr(request, "resolver_match", None)
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and match is not None
        and match.namespace in PUBLIC_NAMESPACES
        and not response.cookies
        and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
    )


def page_key(request):
    raw = f"{request.get_host()}{request.path_info}?{request.META.get('QUERY_STRING', '')}"
    return f"page:{current_generation()}:{hashlib.sha1(raw.encode()).hexdigest()}"


def server_seconds(request):
    if request.path_info == SEARCH_PATH:
        return settings.NEWSROOM_SEARCH_CACHE_SECONDS
    return settings.NEWSROOM_PAGE_CACHE_SECONDS


def mark_public(response):
    """Validators, shared-cache lifetimes and surrogate keys on a public response."""
    if not response.has_header("ETag"):
        response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(now().timestamp())
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=settings.NEWSROOM_SHARED_CACHE_SECONDS,
        stale_while_revalidate=settings.NEWSROOM_STALE_WHILE_REVALIDATE_SECONDS,
    )
    response["X-Accel-Expires"] = str(settings.NEWSROOM_PROXY_CACHE_SECONDS)
    response[settings.NEWSROOM_SURROGATE_KEY_HEADER] = " ".join([SITE_KEY, *response_keys(response)])
    return response


def conditional(request, response):
    """A 304 when the reader's copy is current (ETag first, then Last-Modified), else `response`."""
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    not_modified = get_conditional_response(request, etag=response["ETag"], last_modified=last_modified)
    if not_modified is None:
        return response
    for header in ("Cache-Control", "Vary", "X-Accel-Expires", settings.NEWSROOM_SURROGATE_KEY_HEADER):
        if response.has_header(header):
            not_modified[header] = response[header]
    return not_modified


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_generation():
            if not is_cacheable_request(request):
                return self.get_response(request)
            use_cache = server_seconds(request) > 0
            key = page_key(request) if use_cache else None
            entry = cache.get(key) if use_cache else None
            if entry is not None:
                status, headers, content = entry
                response = HttpResponse(content, status=status, headers=headers)
                response["X-Page-Cache"] = "hit"
                return conditional(request, response)
            response = self.get_response(request)
            if not is_public_response(request, response):
                return response
            mark_public(response)
            if use_cache:
                headers = {k: v for k, v in response.items() if k.lower() not in UNSTORED_HEADERS}
                cache.set(key, (response.status_code, headers, response.content), server_seconds(request))
                response["X-Page-Cache"] = "miss"
            return conditional(request, response)
