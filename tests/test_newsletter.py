"""eNewsletter: double opt-in with signed expiring links, no enumeration, rate limits, one-click
unsubscribe, CSV export and an idempotent send command."""

import re
import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from newsletter.models import Delivery, Edition, Subscriber
from newsletter.signup import CONFIRM_SALT, make_token, unsubscribe_url
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SIGNUP = "/newsletter/"


def sign_up(client, email, ip="203.0.113.9"):
    return client.post(SIGNUP, {"email": email}, REMOTE_ADDR=ip)


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


def path_of(url):
    return "/" + url.split("/", 3)[3]


def subscriber(email="reader@example.com", status=Subscriber.Status.CONFIRMED):
    return Subscriber.objects.create(email=email, status=status)


def test_sign_up_box_is_on_home_and_story_pages(client):
    article = ArticleFactory()
    for url in ("/", article.get_absolute_url()):
        html = client.get(url).content.decode()
        assert 'action="/newsletter/"' in html and 'name="email"' in html


def test_sign_up_sends_a_confirmation_link_and_confirming_subscribes(client):
    response = sign_up(client, "  Reader@Example.com ")
    assert response.status_code == 302 and response["Location"] == reverse("newsletter:check-email")
    person = Subscriber.objects.get()
    assert person.email == "reader@example.com" and person.status == Subscriber.Status.PENDING
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["reader@example.com"]
    confirm = path_of(link_in(mail.outbox[0]))
    assert client.get(confirm).status_code == 200  # a page with a button; a link scanner confirms nothing
    person.refresh_from_db()
    assert person.status == Subscriber.Status.PENDING
    assert client.post(confirm).status_code == 200
    person.refresh_from_db()
    assert person.status == Subscriber.Status.CONFIRMED and person.confirmed_at


def test_confirmation_link_expires(client, settings):
    settings.NEWSLETTER_CONFIRM_MAX_AGE = 3600
    sign_up(client, "late@example.com")
    confirm = path_of(link_in(mail.outbox[0]))
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        response = client.post(confirm)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


@pytest.mark.parametrize("token", ["garbage", "eyJzIjoxfQ:1abc:forged"])
def test_tampered_confirmation_link_is_refused(client, token):
    subscriber(status=Subscriber.Status.PENDING)
    assert client.post(reverse("newsletter:confirm", args=[token])).status_code == 404
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_unsubscribe_token_cannot_confirm(client):
    person = subscriber(status=Subscriber.Status.PENDING)
    token = path_of(unsubscribe_url(person)).split("/")[-2]
    assert client.post(reverse("newsletter:confirm", args=[token])).status_code == 404


def test_known_and_unknown_addresses_get_the_same_answer(client):
    subscriber("known@example.com")
    known = sign_up(client, "known@example.com")
    unknown = sign_up(client, "new@example.com")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    page_known = client.get(known["Location"]).content
    page_unknown = client.get(unknown["Location"]).content
    assert page_known == page_unknown
    # the owner of the known address is told by email instead; the person at the form learns nothing
    assert mail.outbox[0].to == ["known@example.com"] and "already" in mail.outbox[0].subject


def test_invalid_address_gets_a_clear_error(client):
    response = sign_up(client, "not-an-address")
    assert response.status_code == 400
    assert "valid email" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_sign_ups_are_rate_limited_per_client(client, settings):
    settings.NEWSLETTER_SIGNUPS_PER_HOUR = 3
    statuses = [sign_up(client, f"r{n}@example.com").status_code for n in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert sign_up(client, "other@example.com", ip="198.51.100.1").status_code == 302
    assert Subscriber.objects.count() == 4


def test_repeated_sign_ups_for_one_address_send_one_mail(client):
    for _ in range(3):
        sign_up(client, "reader@example.com")
    assert len(mail.outbox) == 1


def test_unsubscribe_page_and_link(client):
    person = subscriber()
    url = path_of(unsubscribe_url(person))
    assert client.get(url).status_code == 200
    person.refresh_from_db()
    assert person.status == Subscriber.Status.CONFIRMED
    assert client.post(url).status_code == 200
    person.refresh_from_db()
    assert person.status == Subscriber.Status.UNSUBSCRIBED


def test_one_click_unsubscribe_works_without_csrf_token(settings):
    from django.test import Client

    person = subscriber()
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        path_of(unsubscribe_url(person)), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.status == Subscriber.Status.UNSUBSCRIBED


def test_unsubscribed_reader_can_sign_up_again(client):
    subscriber(status=Subscriber.Status.UNSUBSCRIBED)
    sign_up(client, "reader@example.com")
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    client.post(path_of(link_in(mail.outbox[0])))
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_send_newsletter_mails_confirmed_subscribers_with_unsubscribe_headers(capsys):
    story = ArticleFactory(headline="Ferry fares cut")
    confirmed = subscriber("a@example.com")
    subscriber("b@example.com", status=Subscriber.Status.PENDING)
    subscriber("c@example.com", status=Subscriber.Status.UNSUBSCRIBED)
    # The unsubscribe link is signed with a timestamp: freeze the clock so the mail's link and the
    # expected one are signed in the same second.
    with time_machine.travel(timezone.now(), tick=False):
        call_command("send_newsletter", edition="2026-11-29")
        expected_unsubscribe = unsubscribe_url(confirmed)
    assert [m.to for m in mail.outbox] == [["a@example.com"]]
    message = mail.outbox[0]
    assert "Ferry fares cut" in message.body and story.get_absolute_url() in message.body
    assert "Ferry fares cut" in message.alternatives[0][0]
    assert message.extra_headers["List-Unsubscribe"] == f"<{expected_unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    out = capsys.readouterr().out
    assert "sent 1/1" in out and "sent 1." in out


@pytest.mark.parametrize("trait", ["draft", "scheduled", "killed"])
def test_newsletter_never_carries_unpublished_stories(trait):
    ArticleFactory(headline="Not yet public", **{trait: True})
    ArticleFactory(headline="Public story")
    subscriber()
    call_command("send_newsletter", edition="e1")
    assert "Public story" in mail.outbox[0].body
    assert "Not yet public" not in mail.outbox[0].body


def test_story_killed_after_the_edition_was_chosen_is_left_out_of_the_rerun():
    killed_later = ArticleFactory(headline="Retracted report")
    ArticleFactory(headline="Standing story")
    subscriber("a@example.com")
    call_command("send_newsletter", edition="e1")
    killed_later.unpublish()
    killed_later.save()
    subscriber("b@example.com")
    call_command("send_newsletter", edition="e1")
    assert "Retracted report" not in mail.outbox[1].body and "Standing story" in mail.outbox[1].body


def test_plain_text_mail_is_not_html_escaped():
    ArticleFactory(headline="Rates & fares: what's next")
    subscriber()
    call_command("send_newsletter", edition="e1")
    assert "Rates & fares: what's next" in mail.outbox[0].body
    assert "Rates &amp; fares" in mail.outbox[0].alternatives[0][0]


def test_edition_with_nothing_published_stops_with_a_clear_error():
    subscriber()
    with pytest.raises(CommandError, match="nothing to send"):
        call_command("send_newsletter", edition="empty")
    assert mail.outbox == []


def test_dry_run_sends_nothing(capsys):
    ArticleFactory()
    subscriber()
    call_command("send_newsletter", edition="e1", dry_run=True)
    assert mail.outbox == [] and not Edition.objects.exists()
    assert "1 recipients would be sent to" in capsys.readouterr().out


def test_rerunning_an_edition_sends_nothing_twice():
    ArticleFactory()
    for n in range(3):
        subscriber(f"r{n}@example.com")
    call_command("send_newsletter", edition="e1")
    call_command("send_newsletter", edition="e1")
    assert len(mail.outbox) == 3
    assert Edition.objects.get().completed_at is not None


def test_rerun_after_a_crash_continues_where_it_stopped(monkeypatch):
    ArticleFactory()
    for n in range(4):
        subscriber(f"r{n}@example.com")
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages
    calls = {"n": 0}

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] == 3:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    with pytest.raises(CommandError, match="Stopped after 2 of 4"):
        call_command("send_newsletter", edition="e1")
    assert len(mail.outbox) == 2
    call_command("send_newsletter", edition="e1")
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["r0@example.com", "r1@example.com", "r2@example.com", "r3@example.com"]
    assert Delivery.objects.filter(sent_at__isnull=False).count() == 4


def test_admin_exports_subscribers_as_csv(client):
    admin = get_user_model().objects.create_superuser("chief", "chief@example.com", "pw-not-secret-123")
    client.force_login(admin)
    subscriber("a@example.com")
    subscriber("=cmd@example.com", status=Subscriber.Status.PENDING)
    response = client.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {"action": "export_csv", "_selected_action": list(Subscriber.objects.values_list("pk", flat=True))},
    )
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "email,status,created_at,confirmed_at,unsubscribed_at"
    assert any(line.startswith("a@example.com,confirmed") for line in lines)
    assert any(line.startswith("'=cmd@example.com,pending") for line in lines)


def test_confirmation_token_is_bound_to_the_address(client):
    person = subscriber(status=Subscriber.Status.PENDING)
    token = make_token(person, CONFIRM_SALT)
    person.email = "changed@example.com"
    person.save()
    assert client.post(reverse("newsletter:confirm", args=[token])).status_code == 404
