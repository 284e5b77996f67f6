"""Who is asking: a partner's API key (looked up by its hash) or an anonymous reader."""
from datetime import timedelta

from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import APIKeyHeader

from .models import ApiKey, hash_key

# last_used_at is written at most this often per key, so busy keys do not write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class Anonymous:
    """The caller without a key: published stories only, the anonymous rate limit."""

    pk = None
    has_embargo_access = False

    def __bool__(self):
        return True  # django-ninja treats a falsy auth result as "not authenticated"

    def has_scope(self, scope):
        return scope in (ApiKey.Scope.CONTENT, ApiKey.Scope.NINJS)


ANONYMOUS = Anonymous()


def find_key(raw_key):
    """The active key for `raw_key`, or None (unknown or revoked)."""
    key = ApiKey.objects.active().filter(key_hash=hash_key(raw_key)).first()
    if key is not None:
        touch(key)
    return key


def touch(key, now=None):
    now = now or timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now


class ApiKeyAuth(APIKeyHeader):
    """`X-API-Key: nr_…` for partners; no header at all is an anonymous reader, a bad key is a 401."""

    param_name = "X-API-Key"

    def authenticate(self, request, key):
        if key is None:  # no header at all; a blank or wrong one is a bad key
            return ANONYMOUS
        found = find_key(key.strip())
        if found is None:
            raise AuthenticationError(401, "Unknown or revoked API key.")
        return found


def caller(request):
    return getattr(request, "auth", None) or ANONYMOUS
