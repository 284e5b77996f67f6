"""Each process's own copy of the pages it served last, so a Redis hit need not carry the page.

With Redis, a cached page lives in Redis and a hit used to fetch the whole entry (tens of KB,
unpickled into a response) on every request. Readers crowd onto a few pages when news breaks, so
each process keeps its most recent entries (NEWSROOM_PAGE_HOT_ENTRIES, least recently used out).
A hot copy is still checked against the shared generation on every request (one small GET, the same
round trip the page used to come in), so it is exactly as fresh as the shared entry: a kill that
has returned to its editor moves the generation, and the next request anywhere misses.
"""

import threading
from collections import OrderedDict

from django.conf import settings
from django.http import HttpResponse


class HotPages:
    """A bounded, thread-safe LRU of (generation value, status, headers, content).

    Keyed by the page's full cache key (prefix and version included), so two caches never share a copy.
    """

    def __init__(self):
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, generation_value, response):
        size = settings.NEWSROOM_PAGE_HOT_ENTRIES
        if size <= 0:
            return
        entry = (generation_value, response.status_code, tuple(response.items()), response.content)
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > size:
                self._entries.popitem(last=False)

    def clear(self):
        with self._lock:
            self._entries.clear()


def response_from(entry):
    """A fresh response for one request (the stack above adds its own headers to it)."""
    _generation, status, headers, content = entry
    return HttpResponse(content, status=status, headers=dict(headers))


pages = HotPages()
