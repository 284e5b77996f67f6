"""Authenticator-app codes through a Redis outage.

allauth remembers each used TOTP code in the default cache (`cache.add`, so a code cannot be
replayed within its window) and treats a failed `add` as "already used". Our cache fails open:
with Redis unreachable django-redis answers `None` instead of raising (IGNORE_EXCEPTIONS), so
every code was refused and every Editor and Admin, who must use a second factor in production,
was locked out of the desk until Redis came back (each refusal even counted towards a lockout).

Here `None` (the cache could not say) accepts the code; `False` (the code was seen) still refuses
it. The price, during an outage only: a code could be used twice within its window
(docs/security.md). allauth offers no hook for this, so its one method is wrapped at start-up;
tests/test_cache_outage.py and tests/test_accounts_two_factor.py fail if an upgrade changes it.
"""
from allauth.mfa.totp.internal.auth import TOTP


def accept_codes_when_the_cache_cannot_answer():
    mark_code_used = TOTP._mark_code_used
    if getattr(mark_code_used, "fails_open", False):
        return

    def mark_code_used_or_cache_down(self, code):
        return mark_code_used(self, code) is not False

    mark_code_used_or_cache_down.fails_open = True
    TOTP._mark_code_used = mark_code_used_or_cache_down
