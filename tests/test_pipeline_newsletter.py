"""The newsletter on the task queue: batched, paced, retried on SMTP failure, and exactly one copy
per subscriber even when the worker is killed in the middle and another one takes over."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail
from rq import Queue

from newsletter.editions import resume_editions, send_edition_batch, send_todays_edition
from newsletter.models import Delivery, Edition, Subscriber
from newsletter.sending import Pace, get_or_create_edition
from pipeline.models import TaskFailure
from pipeline.queue import enqueue
from tests.factories import ArticleFactory
from tests.queue_helpers import drain, kill_worker, rq_backend, run_deferred_now, worker_env  # noqa: F401
from tests.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parent.parent
SMTP_PORT = 8625


def subscribers(count):
    return Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n:03}@example.com", status=Subscriber.Status.CONFIRMED) for n in range(count)
    )


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", SMTP_PORT
    with SmtpSink(SMTP_PORT) as recorder:
        yield recorder


@pytest.mark.django_db
def test_the_edition_goes_out_in_batches_until_everyone_has_it(settings):
    settings.NEWSLETTER_BATCH_SIZE = 4
    ArticleFactory(headline="Harbour reopens")
    subscribers(10)
    enqueue(send_todays_edition)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(Subscriber.objects.values_list("email", flat=True))
    assert Edition.objects.get().completed_at is not None
    enqueue(resume_editions)  # a finished edition is left alone
    assert len(mail.outbox) == 10


def test_pace_spaces_the_mails():
    pace, started = Pace(50), time.monotonic()
    for _ in range(6):
        pace.wait()
    assert time.monotonic() - started >= 5 / 50


@pytest.mark.django_db
def test_an_smtp_failure_is_retried_on_the_queue_and_nobody_is_skipped(rq_backend, smtp, settings):  # noqa: F811
    ArticleFactory()
    subscribers(3)
    smtp.refuse_next = 1
    edition = get_or_create_edition("e1")
    enqueue(send_edition_batch, edition.pk)
    drain(rq_backend)  # the first mail is refused: the task stops and waits out its backoff
    assert smtp.recipients() == []
    assert Queue("mail", connection=rq_backend).scheduled_job_registry.count == 1
    assert not Delivery.objects.exists()  # the refused recipient's claim is released
    run_deferred_now(rq_backend)
    drain(rq_backend)
    assert sorted(smtp.recipients()) == [f"reader{n:03}@example.com" for n in range(3)]
    assert not TaskFailure.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_newsletter_and_a_new_one_send_each_subscriber_exactly_one_copy(
    rq_backend, smtp, settings  # noqa: F811
):
    ArticleFactory(headline="Ferry timetable changes")
    people = subscribers(12)
    edition = get_or_create_edition("killed-mid-send")
    env = worker_env(
        settings, EMAIL_BACKEND=settings.EMAIL_BACKEND, EMAIL_HOST="127.0.0.1", EMAIL_PORT=SMTP_PORT,
        NEWSLETTER_BATCH_SIZE=5, NEWSLETTER_MAILS_PER_SECOND=50,
    )

    def start_worker():
        return subprocess.Popen(
            [sys.executable, "manage.py", "worker", "mail", "--burst"], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    first = start_worker()

    def kill_after_seventh(count, envelope):
        # Stored, not yet acknowledged: the worst moment, the sender cannot know the mail left.
        if count == 7:
            kill_worker(first)

    smtp.on_message = kill_after_seventh
    try:
        enqueue(send_edition_batch, edition.pk)
        first.wait(timeout=60)
        assert first.returncode == -signal.SIGKILL
        assert len(smtp.recipients()) == 7
        smtp.on_message = None

        enqueue(resume_editions)  # the scheduler's sweep, once a minute in production
        second = start_worker()
        try:
            second.wait(timeout=60)
        finally:
            if second.poll() is None:
                kill_worker(second)
    finally:
        if first.poll() is None:
            kill_worker(first)

    received = smtp.recipients()
    assert sorted(received) == sorted(p.email for p in people)  # everyone, and nobody twice
    edition.refresh_from_db()
    assert edition.completed_at is not None
    # The seventh mail left but its worker died before noting it: it is reported, never resent.
    assert Delivery.objects.filter(edition=edition, sent_at__isnull=True).count() == 1
