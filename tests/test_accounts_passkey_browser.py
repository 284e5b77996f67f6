"""A passkey end to end in chromium, with its virtual authenticator (Chrome DevTools WebAuthn):
an editor enrols a passkey, signs out, and signs in to the admin with password + passkey."""
import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.management import call_command

from tests.browser import chromium_browser
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
VIRTUAL_AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}


def sign_in_with_password(page, base_url):
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", "passkey-editor")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")


def test_an_editor_enrols_a_passkey_and_signs_in_with_it(live_server, settings):
    # The live server speaks plain http://localhost; production requires HTTPS origins.
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    settings.NEWSROOM_2FA_REQUIRED_ROLES = ["Editor"]
    call_command("sync_roles")  # transactional tests start from an empty database
    user = UserFactory(username="passkey-editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    base_url = live_server.url.replace("127.0.0.1", "localhost")  # a WebAuthn RP id must be a name
    with chromium_browser() as browser:
        context = browser.new_context()
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        devtools.send("WebAuthn.enable")
        devtools.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_AUTHENTICATOR})

        sign_in_with_password(page, base_url)
        page.wait_for_url("**/accounts/2fa/")  # Editors must enrol before the desk opens
        page.goto(base_url + "/accounts/2fa/webauthn/add/")
        page.wait_for_url("**/accounts/reauthenticate/**")
        page.fill("#id_password", "correct-horse-battery")
        page.click("button[type=submit]")
        page.wait_for_url("**/accounts/2fa/webauthn/add/")
        page.fill("#id_name", "Desk laptop")
        page.click("#mfa_webauthn_add")
        page.wait_for_url(lambda url: "/webauthn/add/" not in url)
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).count() == 1

        context.clear_cookies()
        sign_in_with_password(page, base_url)
        page.wait_for_url("**/accounts/2fa/authenticate/**")
        page.click("#mfa_webauthn_authenticate")
        page.wait_for_url("**/admin/")
        assert page.locator("#site-name").count() == 1
        context.close()
