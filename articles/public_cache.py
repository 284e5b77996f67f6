"""Caches of public output, all keyed by the content generation (pagecache.generation).

Short-lived lists (section navigation, Top 10) live here; whole anonymous responses (pages,
feeds, sitemaps, search) are kept by pagecache.middleware. Nothing is ever deleted on a change:
database triggers bump the generation in the same transaction as any change to a story, section,
tag, author, source, photo, caption or note -- from the admin, ingest, the shell or a plain
``QuerySet.update()`` -- and the clock part of the generation moves when a scheduled story or an
embargo comes due. The next request in every process then reads fresh entries.

A CDN cannot see the generation, so saves also purge the CDN by surrogate key (cdn_purge.py).
"""

from functools import wraps

from django.core.cache import cache

from pagecache.generation import current_generation
from pagecache.keys import add_keys

from .models import Section


def cached_public(name, build, timeout=300):
    """The value of `build()`, kept in the cache until `timeout` or the next content change."""
    key = f"public-cache:{current_generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


def nav_sections():
    """Every section, for the navigation and the search filter: no query while the cache is warm."""
    return cached_public("nav-sections", lambda: list(Section.objects.all()))


def cache_public_response(view):
    """Marks a feed or sitemap view: its responses carry the "feeds" or "sitemaps" surrogate key.

    The response itself is cached by pagecache.middleware like every other public response.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        return add_keys(response, "sitemaps" if "sitemap" in request.path_info else "feeds")

    return wrapper
