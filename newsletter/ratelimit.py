"""A fixed-window counter in Django's cache.

Why not django-ratelimit: its system checks reject LocMemCache (our development default) with an
error and warn about Django's built-in Redis backend, which would break a clean
``check --deploy``. The counter needs only the cache's atomic ``add`` and ``incr``, which Redis and
local memory both provide.
"""

import time

from django.core.cache import cache


def hit(scope, key, *, limit, period, now=None):
    """Count one attempt; False once `key` has made more than `limit` attempts in this `period`."""
    now = time.time() if now is None else now
    cache_key = f"ratelimit:{scope}:{key}:{int(now // period)}"
    cache.add(cache_key, 0, period + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, period + 5)
        count = 1
    return count <= limit
