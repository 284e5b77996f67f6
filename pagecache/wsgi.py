"""Hot cache hits answered in front of Django (newsroom/wsgi.py wraps the application in HotHits).

With Redis, a page this process served lately is in its hot copies (pagecache/hot.py). Answering
such a hit still took Django's request object, URL-independent middleware and response object
around one Redis GET: about half of what the process could serve. This wrapper answers it straight
from the WSGI environ, with the same checks the page-cache middleware makes and the same exactness:

* the same rule for which requests may be answered (middleware.is_cacheable) and the same key
  (middleware.url_key), host checked against ALLOWED_HOSTS as Django checks it;
* the copy is served only when it was built for the shared generation: the one pushed to this
  process while it holds its lease (pagecache/push.py: a write returns only once every lease holder
  has applied it), else one GET from Redis. So a kill that has returned to its editor misses on
  the next request, and a hot hit usually asks Redis nothing;
* the same headers as a hit through the middleware: the stored ones, ``X-Page-Cache: hit`` and the
  request id, and the same log line (newsroom.middleware.log_request).

Everything else goes to Django untouched: no hot copy, another generation, a conditional request
(304s are answered by the middleware), a clock moment near enough to shorten the shared lifetimes,
the per-process cache (no Redis), an unusual host or path. A Redis error reads as no generation
(django-redis ignores it), so the request goes to Django, which degrades as it always has.
"""

import time
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.http import parse_cookie
from django.http.request import split_domain_port, validate_host

from newsroom.middleware import log_request, request_id_for

from . import hot
from .generation import clock_moment_is_near, shares_cache
from .middleware import is_cacheable, server_seconds, url_key
from .push import shared_generation_now

CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
DEBUG_HOSTS = [".localhost", "127.0.0.1", "[::1]"]  # what Django allows with DEBUG and no ALLOWED_HOSTS
STATUS_LINES = {status.value: f"{status.value} {status.phrase}" for status in HTTPStatus}


def request_scheme(environ):
    """request.scheme, from the environ (SECURE_PROXY_SSL_HEADER as Django reads it)."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    return environ.get("wsgi.url_scheme", "http")


def request_host(environ):
    """request.get_host(), or None where Django would refuse the host (or it is not the plain case)."""
    if settings.USE_X_FORWARDED_HOST or "HTTP_HOST" not in environ:
        return None  # rare set-ups: Django works it out
    host = environ["HTTP_HOST"]
    domain, _port = split_domain_port(host)
    allowed = settings.ALLOWED_HOSTS or (DEBUG_HOSTS if settings.DEBUG else [])
    return host if domain and validate_host(domain, allowed) else None


def request_path_info(environ):
    """request.path_info: PATH_INFO as UTF-8 (None when it is not, so Django handles it)."""
    try:
        return environ.get("PATH_INFO", "").encode("iso-8859-1").decode() or "/"
    except UnicodeError:
        return None


def hot_hit(environ, path_info):
    """(status, headers, content) of this request's hot copy when it may be served as is, else None.

    `path_info`: request_path_info(environ), already checked to be UTF-8.
    """
    if not shares_cache() or any(header in environ for header in CONDITIONAL_HEADERS):
        return None
    host = request_host(environ)
    if host is None:
        return None
    scheme, query_string = request_scheme(environ), environ.get("QUERY_STRING", "")
    cookies = environ.get("HTTP_COOKIE")
    if not is_cacheable(
        environ["REQUEST_METHOD"],
        path_info,
        query_string,
        secure=scheme == "https",
        has_session_cookie=bool(cookies) and settings.SESSION_COOKIE_NAME in parse_cookie(cookies),
        has_authorization="HTTP_AUTHORIZATION" in environ,
    ) or server_seconds(path_info) <= 0:
        return None
    copy = hot.pages.get(cache.make_key(url_key(scheme, host, path_info, query_string)))
    if copy is None:
        return None
    shared = shared_generation_now()
    if shared is None or copy[0] != shared.value or clock_moment_is_near(shared.valid_until):
        return None
    _generation, status, headers, content = copy
    return status, headers, content


class HotHits:
    """WSGI middleware: answers hot cache hits (above), hands every other request to `application`."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        path_info = request_path_info(environ)
        hit = None if path_info is None else hot_hit(environ, path_info)
        if hit is None:
            return self.application(environ, start_response)
        status, headers, content = hit
        request_id = request_id_for(environ.get("HTTP_X_REQUEST_ID", ""))
        start_response(STATUS_LINES[status], [*headers, ("X-Page-Cache", "hit"), ("X-Request-ID", request_id)])
        log_request(environ["REQUEST_METHOD"], path_info, status,
                    round((time.perf_counter() - started) * 1000, 1), request_id=request_id)
        return [content]
