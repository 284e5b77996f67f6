"""CDN purge hook: after a change commits, ask the CDN to drop the responses tagged with its keys.

The backend is NEWSROOM_CDN_PURGE_BACKEND (a dotted path): ``pagecache.purge.NoPurge`` by default
(no CDN; the server-side cache needs no purge, it follows the generation), or
``pagecache.purge.FastlyPurge`` (Fastly's purge-by-surrogate-key API; docs/deploying.md). A
failing CDN API never fails the change: the error is logged and the CDN copy ages out after
NEWSROOM_SHARED_CACHE_SECONDS.
"""

import json
import logging
import urllib.request
from functools import cache as memoize

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger("newsroom.purge")


class NoPurge:
    def purge(self, keys):
        pass


class FastlyPurge:
    """POST /service/{id}/purge with the keys in a Surrogate-Key header (Fastly's batch purge)."""

    timeout = 5

    def purge(self, keys):
        request = urllib.request.Request(
            f"{settings.NEWSROOM_CDN_API_URL.rstrip('/')}/service/{settings.NEWSROOM_CDN_SERVICE_ID}/purge",
            method="POST",
            headers={
                "Fastly-Key": settings.NEWSROOM_CDN_API_TOKEN,
                "Surrogate-Key": " ".join(sorted(keys)),
                "Accept": "application/json",
            },
            data=b"",
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
            return json.loads(response.read() or b"{}")


@memoize
def _backend(path):
    return import_string(path)()


def backend():
    return _backend(settings.NEWSROOM_CDN_PURGE_BACKEND)


def purge_enabled():
    return not isinstance(backend(), NoPurge)


def purge_now(keys):
    try:
        backend().purge(keys)
    except Exception:  # noqa: BLE001 - a CDN outage must not fail an editor's save
        logger.warning("CDN purge of %s failed", " ".join(sorted(keys)), exc_info=True)


def purge_on_commit(keys):
    """Purge `keys` once the current transaction commits (at once outside a transaction)."""
    keys = set(keys)
    if keys:
        transaction.on_commit(lambda: purge_now(keys))
