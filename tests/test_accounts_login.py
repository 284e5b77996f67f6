"""Staff sign-in: one login page for the desk, lockout after repeated failures (django-axes)
behind the proxy's client address, an admin unlock, and sessions that expire."""
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from tests.workflow_helpers import desk_user

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery"


def sign_in(client, username, password=PASSWORD, **headers):
    return client.post(LOGIN, {"login": username, "password": password}, headers=headers)


def test_the_admin_login_sends_staff_to_the_one_sign_in_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    page = client.get(LOGIN)
    assert page.status_code == 200
    # The admin's field ids, so password managers and scripts keep working.
    assert b'id="id_username"' in page.content and b'id="id_password"' in page.content


def test_a_good_password_signs_in_and_reaches_the_desk(client):
    desk_user("Editor")
    response = sign_in(client, "editor")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_repeated_failures_lock_the_login_with_a_clear_page(client, settings):
    desk_user("Editor")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "editor", "wrong").status_code == 200  # the form again, with an error
    assert sign_in(client, "editor", "wrong").status_code == 429  # the last allowed failure locks
    locked = sign_in(client, "editor")  # even the right password, now
    assert locked.status_code == 429
    assert b"Sign-in temporarily locked" in locked.content
    assert b"ask a desk administrator" in locked.content
    assert client.get("/admin/").status_code == 302  # not signed in


def test_lockout_counts_the_client_address_the_proxy_reports(client, settings):
    settings.NEWSROOM_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    desk_user("Editor")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "editor", "wrong", x_real_ip="203.0.113.7")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    assert sign_in(client, "editor", x_real_ip="203.0.113.7").status_code == 429
    # Every request comes from the proxy's address: another reader behind it is not locked out.
    assert sign_in(client, "editor", x_real_ip="198.51.100.20").status_code == 302


def test_an_admin_unlocks_a_locked_login_in_the_admin(client, settings):
    desk_user("Editor")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "editor", "wrong")
    attempt = AccessAttempt.objects.get(username="editor")
    admin_client = client_class_for(desk_user("Admin"))
    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and b"editor" in listing.content
    response = admin_client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert sign_in(client, "editor").status_code == 302


def test_editors_cannot_unlock_logins(settings):
    editor_client = client_class_for(desk_user("Editor"))
    assert editor_client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def client_class_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_an_idle_session_ends(client, settings):
    settings.NEWSROOM_SESSION_IDLE_MINUTES = 30
    desk_user("Editor")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, "editor")
        clock.shift(timedelta(minutes=25))
        assert client.get("/admin/").status_code == 200
        clock.shift(timedelta(minutes=25))  # 25 min after the last request: still fresh
        assert client.get("/admin/").status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_busy_session_still_ends_after_its_maximum_age(client, settings):
    settings.NEWSROOM_SESSION_IDLE_MINUTES = 60
    settings.NEWSROOM_SESSION_MAX_HOURS = 2
    desk_user("Editor")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, "editor")
        for _ in range(4):
            clock.shift(timedelta(minutes=29))
            assert client.get("/admin/").status_code == 200
        clock.shift(timedelta(minutes=5))  # 2 h 1 min after signing in
        assert client.get("/admin/").status_code == 302


def test_public_pages_do_not_vary_on_cookie_for_readers(client):
    from tests.factories import ArticleFactory

    ArticleFactory()
    response = client.get("/")
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
