"""Two-factor sign-in (django-allauth MFA): TOTP and recovery codes guard the admin, and the
roles named in NEWSROOM_2FA_REQUIRED_ROLES must enrol before they reach the desk."""
import time

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from tests.test_accounts_login import sign_in
from tests.test_settings_prod import loaded_settings, production_env
from tests.workflow_helpers import desk_user

pytestmark = pytest.mark.django_db


def current_code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def with_totp(user):
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def test_a_password_alone_does_not_open_the_admin_when_totp_is_set_up(client):
    with_totp(desk_user("Editor"))
    response = sign_in(client, "editor")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/authenticate/")
    assert client.get("/admin/").status_code == 302  # not signed in yet
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and client.get("/admin/").status_code == 302


def test_the_authenticator_code_completes_the_admin_sign_in(client):
    secret = with_totp(desk_user("Editor"))
    client.post("/accounts/login/?next=/admin/", {"login": "editor", "password": "correct-horse-battery"})
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_an_authenticator_code_signs_in_once(client):
    secret = with_totp(desk_user("Editor"))
    code = current_code(secret)
    sign_in(client, "editor")
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    client.logout()
    sign_in(client, "editor")
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 200  # refused: replayed
    assert client.get("/admin/").status_code == 302


def test_a_recovery_code_signs_in_once(client):
    user = desk_user("Editor")
    with_totp(user)
    code = RecoveryCodes.activate(user).get_unused_codes()[0]
    sign_in(client, "editor")
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    sign_in(client, "editor")
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert client.get("/admin/").status_code == 302  # used up


@pytest.fixture
def two_factor_for_editors(settings):
    settings.NEWSROOM_2FA_REQUIRED_ROLES = ["Editor", "Admin"]


def test_editors_without_a_second_factor_are_sent_to_enrol(client, two_factor_for_editors):
    desk_user("Editor")
    sign_in(client, "editor")
    response = client.get("/admin/articles/article/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"
    page = client.get("/accounts/2fa/")
    assert page.status_code == 200
    # The enrolment pages: an authenticator app, a passkey or security key.
    assert b"/accounts/2fa/totp/activate/" in page.content
    assert b"/accounts/2fa/webauthn/" in page.content
    confirm_password(client, "/accounts/2fa/totp/activate/")
    activate = client.get("/accounts/2fa/totp/activate/")
    assert activate.status_code == 200 and b"<svg" in activate.content  # the QR code
    assert client.get("/accounts/2fa/webauthn/add/").status_code == 200


def confirm_password(client, next_url):
    """allauth asks for the password again before a second factor is added."""
    response = client.get(next_url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    assert client.post(response["Location"], {"password": "correct-horse-battery"}).status_code == 302


def test_enrolling_an_authenticator_app_opens_the_desk(client, two_factor_for_editors):
    desk_user("Editor")
    sign_in(client, "editor")
    confirm_password(client, "/accounts/2fa/totp/activate/")
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/articles/article/").status_code == 200


def test_reporters_and_superusers_follow_the_setting(client, two_factor_for_editors, django_user_model):
    client.force_login(desk_user("Reporter"))
    assert client.get("/admin/").status_code == 200
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", "x")
    client.force_login(boss)
    assert client.get("/admin/").status_code == 302  # superusers count as Admins


def test_editors_who_have_enrolled_reach_the_desk(client, two_factor_for_editors):
    user = desk_user("Editor")
    with_totp(user)
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


def test_two_factor_is_required_of_editors_and_admins_in_production_and_off_in_debug():
    probe = "from django.conf import settings; print(','.join(settings.NEWSROOM_2FA_REQUIRED_ROLES))"
    import subprocess
    import sys

    from tests.test_settings_prod import ROOT

    def roles(env):
        env = env | {"DJANGO_SETTINGS_MODULE": "newsroom.settings"}
        result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    prod = production_env()
    prod.pop("NEWSROOM_2FA_REQUIRED_ROLES", None)
    assert roles(prod) == "Editor,Admin"
    assert roles({"PATH": prod["PATH"], "DEBUG": "1"}) == ""
    assert loaded_settings(production_env())["DEBUG"] is False


def test_wrong_codes_lock_the_second_step_like_wrong_passwords(client, settings):
    from axes.models import AccessAttempt

    secret = with_totp(desk_user("Editor"))
    sign_in(client, "editor")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/accounts/2fa/authenticate/", {"code": "000000"}).status_code == 200
    locked = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert locked.status_code == 429 and b"Sign-in temporarily locked" in locked.content
    assert AccessAttempt.objects.get(username="editor").failures_since_start == settings.AXES_FAILURE_LIMIT
    client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})  # even the right code
    assert client.get("/admin/").status_code == 302
    from django.test import Client

    assert sign_in(Client(), "editor").status_code == 429  # and a fresh password sign-in too
