"""Who must sign in with a second factor (NEWSROOM_2FA_REQUIRED_ROLES), and who has one."""
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings

ADMIN_ROLE = "Admin"


def two_factor_required(user):
    """Staff in a role named in NEWSROOM_2FA_REQUIRED_ROLES; superusers count as Admins."""
    roles = set(settings.NEWSROOM_2FA_REQUIRED_ROLES)
    if not roles or not user.is_authenticated or not user.is_staff:
        return False
    if user.is_superuser and ADMIN_ROLE in roles:
        return True
    return user.groups.filter(name__in=roles).exists()


def has_two_factor(user):
    """A TOTP app or a passkey/security key (recovery codes alone do not count)."""
    return is_mfa_enabled(user, types=["totp", "webauthn"])
