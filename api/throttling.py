"""Rate limits: one per API key (its own or the default for keys) and one per anonymous address.

django-ninja's SimpleRateThrottle does the counting in Django's cache (Redis in production, so every
web replica shares the counts); this subclass only picks the rate and the bucket for each caller.
"""
from django.conf import settings
from ninja.throttling import SimpleRateThrottle

from newsroom.client_ip import client_ip

from .keys import caller


class CallerRateThrottle(SimpleRateThrottle):
    scope = "api"

    def __init__(self):
        self.rate = None  # chosen per request in allow_request

    def allow_request(self, request):
        key = caller(request)
        self.rate = settings.NEWSROOM_API_ANON_RATE if key.pk is None else key.effective_rate
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.bucket = f"anon:{client_ip(request)}" if key.pk is None else f"key:{key.pk}"
        return super().allow_request(request)

    def get_cache_key(self, request):
        return f"api-throttle:{self.bucket}"
