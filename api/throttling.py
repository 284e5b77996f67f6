"""Rate limits: one per API key (its own or the default for keys) and one per anonymous address.

django-ninja's SimpleRateThrottle does the counting in Django's cache (Redis in production, so every
web replica shares the counts); CallerRateThrottle only picks the rate and the bucket for each caller.
"""
import threading

from django.conf import settings
from ninja.throttling import BaseThrottle, SimpleRateThrottle

from newsroom.client_ip import client_ip

from .keys import caller


class Bucket(SimpleRateThrottle):
    """One caller's counter at one rate."""

    def __init__(self, rate, name):
        self.name = name
        super().__init__(rate)

    def get_cache_key(self, request):
        return f"api-throttle:{self.name}"


class CallerRateThrottle(BaseThrottle):
    def __init__(self):
        # django-ninja keeps one throttle object per API, shared by gunicorn's threads; each request's
        # counter lives in this thread's slot between allow_request() and wait().
        self.current = threading.local()

    def allow_request(self, request):
        key = caller(request)
        if key.pk is None:
            bucket = Bucket(settings.NEWSROOM_API_ANON_RATE, f"anon:{client_ip(request)}")
        else:
            bucket = Bucket(key.effective_rate, f"key:{key.pk}")
        self.current.bucket = bucket
        return bucket.allow_request(request)

    def wait(self):
        return self.current.bucket.wait()
