"""Absolute links to the public site, for anything that leaves the request: feeds, sitemaps, metadata,
mails, share links, "View on site" and wire results.

The site's address is NEWSROOM_SITE_URL. Left empty (development: `manage.py runserver` on any
port), it is the address the current request came to, so links follow the server you are looking
at; `make run` sets it from HOST and PORT. With neither (a worker's mail with the setting unset)
it is DEFAULT_SITE_URL. Production sets it (docs/deploying.md).
"""

from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import get_script_prefix, get_urlconf, reverse

DEFAULT_SITE_URL = "http://127.0.0.1:8000"

_request_origin = ContextVar("newsroom_request_origin", default="")


def site_url():
    """The public site's address without a trailing slash, e.g. "https://news.example"."""
    return settings.NEWSROOM_SITE_URL or _request_origin.get() or DEFAULT_SITE_URL


def absolute_url(path):
    """`path` on the public site (site_url()); an absolute URL is returned as it is."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{site_url()}{path}"


@lru_cache(maxsize=100_000)
def _reverse(viewname, args, kwargs, urlconf, root_urlconf, prefix):
    return reverse(viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs))


def reverse_once(viewname, *args, **kwargs):
    """reverse(), worked out once per name and arguments (and URLconf and script prefix).

    Reader pages link each story, section and tag several times: a home page made about a hundred
    reverse() calls, each walking the URL patterns again for the same answer.
    """
    return reverser()(viewname, *args, **kwargs)


def reverser():
    """reverse_once() for the links of one request: its URLconf and script prefix looked up once
    (each is a context-local lookup, a fifth of a story link's cost)."""
    urlconf, root, prefix = get_urlconf(), settings.ROOT_URLCONF, get_script_prefix()

    def reverse_link(viewname, *args, **kwargs):
        return _reverse(viewname, args, tuple(sorted(kwargs.items())), urlconf, root, prefix)

    return reverse_link


class RequestOriginMiddleware:
    """Remembers the scheme and host of the current request, for site_url() when the setting is empty."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            origin = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:  # CommonMiddleware answers it with a 400; no link uses it
            origin = ""
        token = _request_origin.set(origin)
        try:
            return self.get_response(request)
        finally:
            _request_origin.reset(token)
