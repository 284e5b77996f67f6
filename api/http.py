"""HTTP rules every API answer follows: cache headers by caller, ETag and Last-Modified with 304s."""
import hashlib

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from .keys import caller


def cache_control(key):
    """Anonymous answers may be cached like the public pages; a key's are private, embargo keys' never stored."""
    seconds = settings.NEWSROOM_API_CACHE_SECONDS
    if key.pk is None:
        return f"public, max-age={seconds}"
    if key.has_embargo_access:
        return "private, no-store"
    return f"private, max-age={seconds}"


def set_last_modified(response, when):
    if when is not None:
        response["Last-Modified"] = http_date(when.timestamp())


def finish_response(request, response):
    """Add Cache-Control, Vary and an ETag (of the body), and answer 304 when the client's copy is current."""
    # Refusals depend on the caller and the moment (a bad key, a spent rate limit): never keep them.
    refused = response.status_code in (401, 403, 429)
    response["Cache-Control"] = "no-store" if refused else cache_control(caller(request))
    patch_vary_headers(response, ["X-API-Key"])
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    etag = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
    response["ETag"] = etag
    timestamp = parse_http_date_safe(response["Last-Modified"]) if response.has_header("Last-Modified") else None
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)
