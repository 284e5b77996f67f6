"""HTTP rules every API answer follows: cache headers by caller, ETag and Last-Modified with 304s."""
import hashlib

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from pagecache.generation import request_generation_read, shared_lifetimes
from pagecache.keys import SITE_KEY, add_keys, response_keys

from .keys import caller

API_KEY = "api"  # the surrogate key of every anonymous API answer


def cache_control(key):
    """Anonymous answers are cached like the public pages; a key's are private, embargo keys' never stored."""
    if key.pk is None:
        # The pages' policy (pagecache.middleware.mark_public): browsers revalidate (a cheap 304),
        # shared caches and the CDN keep it briefly and are purged by surrogate key when a story changes.
        # Never past the next scheduled go-live, embargo lift or licence end (pagecache.generation).
        s_maxage, stale, _proxy = shared_lifetimes(request_generation_read().valid_until)
        return f"public, max-age=0, s-maxage={s_maxage}, stale-while-revalidate={stale}"
    if key.has_embargo_access:
        return "private, no-store"
    return f"private, max-age={settings.NEWSROOM_API_CACHE_SECONDS}"


def tag_stories(response, articles, *, is_list=False):
    """Surrogate keys of the stories (and their sections) an answer shows, so a CDN purge of a story drops it.

    A list is also tagged "feeds", which every story change purges (articles/cdn_purge.py): like a feed,
    it may gain a story it does not show yet.
    """
    add_keys(response, *(f"story-{a.pk}" for a in articles), *(f"section-{a.section_id}" for a in articles))
    if is_list:
        add_keys(response, "feeds")


def set_last_modified(response, when):
    if when is not None:
        response["Last-Modified"] = http_date(when.timestamp())


def finish_response(request, response):
    """Add Cache-Control, Vary and an ETag (of the body), and answer 304 when the client's copy is current."""
    # Refusals depend on the caller and the moment (a bad key, a spent rate limit): never keep them.
    refused = response.status_code in (401, 403, 429)
    key = caller(request)
    response["Cache-Control"] = "no-store" if refused else cache_control(key)
    patch_vary_headers(response, ["X-API-Key"])
    if key.pk is None and not refused:
        response[settings.NEWSROOM_SURROGATE_KEY_HEADER] = " ".join([SITE_KEY, API_KEY, *response_keys(response)])
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    etag = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
    response["ETag"] = etag
    timestamp = parse_http_date_safe(response["Last-Modified"]) if response.has_header("Last-Modified") else None
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)
