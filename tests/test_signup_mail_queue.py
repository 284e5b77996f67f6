"""SMTP down: sign-up still answers, its mail waits in the outbox and goes out, with backoff, once SMTP
is back. Real SMTP: smtplib against a closed port, then an aiosmtpd server on the same port."""
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from newsletter import outbox
from newsletter.models import SignupMail, Subscriber
from newsroom.settings import cache_settings
from pipeline.models import TaskFailure
from tests.queue_helpers import rq_backend, scheduled_count  # noqa: F401
from tests.smtp_sink import smtp_sink

pytestmark = pytest.mark.django_db

SMTP_PORT = 8311  # in this engineer's port range; nothing listens until smtp_sink() starts


@pytest.fixture
def real_smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", SMTP_PORT, 5


def sign_up(client, email="reader@example.com", ip="203.0.113.30"):
    return client.post("/newsletter/", {"email": email}, REMOTE_ADDR=ip)


def test_sign_up_answers_while_smtp_is_down_and_keeps_the_mail_queued(client, real_smtp):
    response = sign_up(client)
    assert response.status_code == 302
    mail = SignupMail.objects.get()
    assert mail.sent_at is None and mail.attempts == 1
    assert "ConnectionRefusedError" in mail.last_error
    assert not TaskFailure.objects.exists()  # not failed for good: it is waiting for its retry


def test_queued_mails_are_sent_once_smtp_is_back(client, real_smtp):
    for n in range(3):
        assert sign_up(client, f"r{n}@example.com").status_code == 302
    assert SignupMail.objects.filter(sent_at__isnull=True).count() == 3
    with smtp_sink(SMTP_PORT) as received:
        call_command("send_signup_mails", "--now")
    assert sorted(m["To"] for m in received) == ["r0@example.com", "r1@example.com", "r2@example.com"]
    assert all(re.search(r"/newsletter/confirm/\S+/", m.get_content()) for m in received)
    assert not SignupMail.objects.filter(sent_at__isnull=True).exists()
    call_command("send_signup_mails", "--now")  # a rerun sends nothing twice
    assert len(received) == 3


def test_retries_back_off_and_the_sweep_waits_for_the_retry_time(client, real_smtp):
    sign_up(client)
    mail = SignupMail.objects.get()
    first_retry = mail.next_attempt_at - timezone.now()
    assert timedelta(seconds=55) < first_retry <= timedelta(seconds=60)
    assert outbox.send_due(now=timezone.now() + timedelta(seconds=30)) == (0, 1)  # not due yet
    mail.refresh_from_db()
    assert mail.attempts == 1
    later = timezone.now() + timedelta(seconds=61)
    assert outbox.send_due(now=later) == (0, 1)  # due, tried, SMTP still down
    mail.refresh_from_db()
    assert mail.attempts == 2 and mail.next_attempt_at - later == timedelta(seconds=120)
    with smtp_sink(SMTP_PORT) as received:
        assert outbox.send_due(now=later + timedelta(seconds=121)) == (1, 0)
    assert len(received) == 1


def test_a_mail_is_left_after_its_last_attempt(client, real_smtp, settings):
    settings.NEWSLETTER_MAIL_MAX_ATTEMPTS = 2
    sign_up(client)
    assert outbox.send_due(now=timezone.now() + timedelta(hours=1)) == (0, 1)
    assert SignupMail.objects.get().attempts == 2
    with smtp_sink(SMTP_PORT) as received:
        assert outbox.send_due(now=timezone.now() + timedelta(hours=3)) == (0, 1)
    assert received == []


def test_one_mail_per_address_per_window_even_with_the_cache_down(client, real_smtp, settings):
    settings.CACHES = cache_settings("redis://127.0.0.1:1/0")
    for _ in range(4):
        assert sign_up(client).status_code == 302
    assert SignupMail.objects.count() == 1
    assert Subscriber.objects.count() == 1


def test_with_a_task_queue_the_failed_send_is_retried_by_the_queue_after_a_backoff(
    client, real_smtp, rq_backend, django_capture_on_commit_callbacks  # noqa: F811
):
    with django_capture_on_commit_callbacks(execute=True):
        assert sign_up(client).status_code == 302
    assert SignupMail.objects.get().attempts == 0  # nothing was tried in the request
    work_once(rq_backend)
    assert SignupMail.objects.get().attempts == 1  # the worker tried, SMTP refused
    assert scheduled_count(rq_backend, ["mail"]) == 1  # the queue holds the retry for its backoff


def work_once(connection):
    from django_tasks_rq import Job
    from rq import SimpleWorker

    SimpleWorker(["mail"], connection=connection, job_class=Job).work(burst=True)


def test_sign_up_answers_when_the_task_queue_is_down_too_and_the_sweep_sends_later(
    client, real_smtp, settings, django_capture_on_commit_callbacks
):
    down = "redis://127.0.0.1:1/0"
    settings.CACHES = cache_settings(down)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": settings.TASK_QUEUES}}
    settings.RQ_QUEUES = {name: {"URL": down, "DEFAULT_TIMEOUT": 60} for name in settings.TASK_QUEUES}
    with django_capture_on_commit_callbacks(execute=True):
        assert sign_up(client).status_code == 302
    assert SignupMail.objects.get().sent_at is None
    with smtp_sink(SMTP_PORT) as received:
        assert outbox.send_due() == (1, 0)
    assert len(received) == 1
