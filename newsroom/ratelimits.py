"""Per-client rate limits, counted by django-ratelimit in the `ratelimit` cache.

They fail open (RATELIMIT_FAIL_OPEN in settings): when the cache cannot count, the request is
allowed, so a Redis outage never locks readers out. Each limit's scope names its counter.
"""

from django_ratelimit.core import is_ratelimited

from .client_ip import client_ip


def _client_address(group, request):
    return client_ip(request)


def allow(request, scope, rate):
    """Count this request against `rate` ("30/m", "10/h") for its client address; False once over."""
    return not is_ratelimited(request, group=scope, key=_client_address, rate=rate, increment=True)
