"""Staff session rules: idle and absolute expiry, and the second factor that some roles need."""
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

from .policy import has_two_factor, two_factor_required

SIGNED_IN_AT = "newsroom_signed_in_at"
LAST_SEEN_AT = "newsroom_last_seen_at"
# Refreshing the idle clock saves the session; once a minute is precise enough and cheap.
LAST_SEEN_RESOLUTION = 60


def signed_in(request):
    """A signed-in user. Readers without a session cookie are never looked up, so public
    responses do not start to vary on Cookie."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def mark_signed_in(session, now=None):
    now = now or time.time()
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = now


class SessionExpiryMiddleware:
    """Signs a user out after NEWSROOM_SESSION_IDLE_MINUTES idle or NEWSROOM_SESSION_MAX_HOURS in all.

    The request then goes on as anonymous, so the admin sends the user to the sign-in page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if signed_in(request):
            self.check(request)
        return self.get_response(request)

    def check(self, request):
        now = time.time()
        session = request.session
        if SIGNED_IN_AT not in session:  # a session from before this rule, or force_login in tests
            mark_signed_in(session, now)
            return
        idle = now - session.get(LAST_SEEN_AT, session[SIGNED_IN_AT])
        age = now - session[SIGNED_IN_AT]
        if idle > settings.NEWSROOM_SESSION_IDLE_MINUTES * 60 or age > settings.NEWSROOM_SESSION_MAX_HOURS * 3600:
            logout(request)
            messages.info(request, "Your session has expired. Please sign in again.")
        elif idle > LAST_SEEN_RESOLUTION:
            session[LAST_SEEN_AT] = now


class RequireTwoFactorMiddleware:
    """Staff in a role that needs a second factor are sent to enrol one before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            signed_in(request)
            and not request.path_info.startswith(self.open_prefixes())
            and two_factor_required(user)
            and not has_two_factor(user)
        ):
            messages.warning(
                request, "Your role needs two-factor sign-in. Add an authenticator app or a passkey to go on."
            )
            return redirect("mfa_index")
        return self.get_response(request)

    @staticmethod
    def open_prefixes():
        # Enrolment, sign-out and the files those pages load.
        return ("/accounts/", settings.STATIC_URL)
