"""Whole-page cache for anonymous readers, checked against the content generation (pagecache.generation).

At the top of the stack (settings.MIDDLEWARE; only the replica switch, the request log and the
probes run before it): a cache hit is answered before security, CSP, sessions, auth, messages or
CSRF run, and before any template. That is safe because what the
stack adds is stored with the page: an entry is the finished response (every header the other
middleware set, less the request's own: cookies, the request id, CSP nonces are never stored).

One path for every public response (pages, feeds, sitemaps, search): a GET without a session
cookie or Authorization header for a public URL is answered from the cache when its entry was built
for the current generation; otherwise the whole stack runs and the response is stored if it is a
plain public 200. Staff (session cookie), previews and share links (``/preview/``, sent with
``never_cache``), the admin and anything that sets a cookie are never stored or served from here.
(A request without a session cookie has an empty session, so a page can only depend on it by
starting one: a cookie.) With SECURE_SSL_REDIRECT, plain-HTTP requests go through to be redirected.

A hit costs one cache round trip: with Redis, the shared generation and the page's entry come
together (``get_many``), or the generation alone when this process holds a hot copy of the page
(pagecache/hot.py); with the per-process memory cache, the generation is one database query.
A miss reads the generation from the database the page is built from and stores the entry under
it (pagecache/generation.py explains why this is exact across processes).

Every public response also gets an ``ETag`` and ``Last-Modified`` (answered with 304), the
``Cache-Control`` that lets nginx and a CDN keep it (``s-maxage``, ``stale-while-revalidate``;
browsers revalidate every time, so they never show a killed story from their own cache), an
``X-Accel-Expires`` for nginx's micro-cache and the surrogate keys a CDN purges by. Hits are in
the request log (with their request id) but not in django-prometheus's figures (it runs below).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from django.utils.timezone import now

from . import hot
from .generation import (
    SHARED_KEY,
    clock_moment_is_near,
    fetch_shared_generation,
    has_uncommitted_writes,
    publish,
    read_generation,
    request_generation,
    request_generation_read,
    shared_generation,
    shared_lifetimes,
    shares_cache,
    use_generation,
)
from .keys import SITE_KEY, response_keys

# Public URL namespaces; anything else (admin, readership, newsletter, probes) is left alone.
PUBLIC_NAMESPACES = {"reader"}
EXCLUDED_PREFIXES = ("/admin/", "/api/", "/preview/", "/readership/", "/newsletter/", "/static/", "/media/")
MAX_QUERY_STRING = 300
# Headers that are the page's own; outer middleware (security, CSP, request id) adds the rest anew.
UNSTORED_HEADERS = ("X-Request-ID", "X-Page-Cache")
SEARCH_PATH = "/search/"


def is_cacheable(method, path_info, query_string, *, secure, has_session_cookie, has_authorization):
    """The rule for which requests the page cache answers (for a request, or a WSGI environ in wsgi.py)."""
    return (
        method in ("GET", "HEAD")
        and not has_session_cookie
        and (secure or not settings.SECURE_SSL_REDIRECT)
        and not has_authorization
        and not path_info.startswith(EXCLUDED_PREFIXES)
        and len(query_string) <= MAX_QUERY_STRING
    )


def is_cacheable_request(request):
    return is_cacheable(
        request.method,
        request.path_info,
        request.META.get("QUERY_STRING", ""),
        secure=request.is_secure(),
        has_session_cookie=settings.SESSION_COOKIE_NAME in request.COOKIES,
        has_authorization="HTTP_AUTHORIZATION" in request.META,
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
        # A nonce is for one response only (django-csp sets it when a template asks for one).
        and "'nonce-" not in response.get("Content-Security-Policy", "")
    )


def url_key(scheme, host, path_info, query_string):
    """The entry of this URL (whatever the generation: the entry says which one it was built for)."""
    raw = f"{scheme}://{host}{path_info}?{query_string}"
    return f"page:{hashlib.sha1(raw.encode()).hexdigest()}"


def page_key(request):
    return url_key(request.scheme, request.get_host(), request.path_info, request.META.get("QUERY_STRING", ""))


def lookup(key):
    """(the shared generation or None, the URL's entry or None), in one cache round trip if it can be.

    With Redis, a page this process served under the shared generation comes from its own hot copy
    (pagecache/hot.py): the round trip then fetches the generation alone.
    """
    if not shares_cache():
        return None, cache.get(key)
    copy = hot.pages.get(cache.make_key(key))
    if copy is not None:
        shared = fetch_shared_generation()
        if shared is not None and copy[0] == shared.value:
            return shared, (copy[0], hot.response_from(copy))
        return shared, cache.get(key)
    found = cache.get_many([SHARED_KEY, key])
    shared, entry = shared_generation(found.get(SHARED_KEY)), found.get(key)
    if entry is not None and shared is not None and entry[0] == shared.value:
        hot.pages.put(cache.make_key(key), *entry)
    return shared, entry


def server_seconds(path_info):
    """How long the cache keeps this path's pages (0: not at all)."""
    if path_info == SEARCH_PATH:
        return settings.NEWSROOM_SEARCH_CACHE_SECONDS
    return settings.NEWSROOM_PAGE_CACHE_SECONDS


def mark_public(response, generation):
    """Validators, shared-cache lifetimes and surrogate keys on a public response built under `generation`."""
    if not response.has_header("ETag"):
        response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(now().timestamp())
    set_shared_lifetimes(response, generation)
    response[settings.NEWSROOM_SURROGATE_KEY_HEADER] = " ".join([SITE_KEY, *response_keys(response)])
    return response


def set_shared_lifetimes(response, generation):
    s_maxage, stale, proxy = shared_lifetimes(generation.valid_until)
    patch_cache_control(response, public=True, max_age=0, s_maxage=s_maxage, stale_while_revalidate=stale)
    response["X-Accel-Expires"] = str(proxy)


def conditional(request, response):
    """A 304 when the reader's copy is current (ETag first, then Last-Modified), else `response`."""
    if "HTTP_IF_NONE_MATCH" not in request.META and "HTTP_IF_MODIFIED_SINCE" not in request.META:
        return response
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
            if server_seconds(request.path_info) <= 0:
                return self.build(request)
            key = page_key(request)
            shared, entry = lookup(key)
            if entry is not None and shared is not None and entry[0] == shared.value:
                return self.hit(request, entry[1], shared)
            # No usable shared generation, or a miss: read the database's, the one the page is built from.
            generation = read_generation()
            use_generation(generation)
            if shares_cache() and (shared is None or shared.value != generation.value) and not has_uncommitted_writes():
                publish(generation)
            if entry is not None and entry[0] == generation.value:
                return self.hit(request, entry[1], generation)
            return self.build(request, key, generation)

    def hit(self, request, response, generation):
        response["X-Page-Cache"] = "hit"
        if clock_moment_is_near(generation.valid_until):
            # Stored with the lifetimes left when it was built: shorten them as the clock moment nears.
            set_shared_lifetimes(response, generation)
        return conditional(request, response)

    def build(self, request, key=None, generation=None):
        """Run the stack; keep a public response under `generation`, the one its data was read at."""
        response = self.get_response(request)
        if not is_public_response(request, response):
            return response
        mark_public(response, generation or request_generation_read())
        if key:
            stored = HttpResponse(
                response.content,
                status=response.status_code,
                headers={name: value for name, value in response.items() if name not in UNSTORED_HEADERS},
            )
            cache.set(key, (generation.value, stored), server_seconds(request.path_info))
            if shares_cache():
                hot.pages.put(cache.make_key(key), generation.value, stored)
            response["X-Page-Cache"] = "miss"
        return conditional(request, response)
