"""The daily edition on the task queue: sent at its time, in paced batches.

One batch task sends at most NEWSLETTER_BATCH_SIZE mails at NEWSLETTER_MAILS_PER_SECOND, then
queues the next batch. Only one batch of an edition sends at a time (a PostgreSQL session lock,
released by the database itself if the worker dies), and every recipient is claimed before the
mail leaves, so a crash, a retry or a sweep never sends anyone an edition twice. The scheduler's
resume sweep restarts editions whose worker was killed; an SMTP failure raises, and the task is
retried with backoff.
"""

from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from pipeline.queue import background_task, enqueue

from .models import Edition, Subscriber
from .sending import edition_key, get_or_create_edition, pending_recipients, send_edition

LOCK_NAMESPACE = 0x4E4C  # "NL": advisory locks of newsletter editions
RESUME_DAYS = 2  # editions older than this are not resumed (yesterday's news)


@contextmanager
def edition_lock(edition_id):
    """True while this connection holds the edition's sending lock; False if another sender does."""
    if connection.vendor != "postgresql":  # SQLite: one process sends (make run, no queue)
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, edition_id])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, edition_id])


@background_task(retries=5, backoff=60, queue_name="mail")
def send_edition_batch(edition_id):
    """Send the next batch of one edition and queue the one after; returns the number sent."""
    edition = Edition.objects.filter(pk=edition_id, completed_at__isnull=True).first()
    if edition is None:
        return 0
    with edition_lock(edition_id) as acquired:
        if not acquired:
            return 0  # another worker is sending this edition right now
        sent = send_edition(
            edition, limit=settings.NEWSLETTER_BATCH_SIZE, per_second=settings.NEWSLETTER_MAILS_PER_SECOND
        )
    if pending_recipients(edition).exists():
        enqueue(send_edition_batch, edition_id)
    return sent


@background_task(retries=3, backoff=60, queue_name="mail")
def send_todays_edition():
    """The scheduler's daily job (NEWSLETTER_SEND_AT): make today's edition and start sending it."""
    edition = get_or_create_edition(edition_key())
    if edition.completed_at is None:
        enqueue(send_edition_batch, edition.pk)
    return edition.key


@background_task(retries=0, queue_name="mail")
def resume_editions():
    """The scheduler's sweep: give every recent unfinished edition a batch (a no-op while one sends)."""
    since = timezone.now() - timedelta(days=RESUME_DAYS)
    unfinished = Edition.objects.filter(completed_at__isnull=True, created_at__gte=since)
    editions = list(unfinished.values_list("pk", flat=True))
    for edition_id in editions:
        enqueue(send_edition_batch, edition_id)
    return len(editions)


@background_task(retries=1, backoff=300, queue_name="mail")
def purge_unconfirmed():
    """Daily: sign-ups never confirmed within NEWSLETTER_CONFIRM_MAX_AGE (personal data kept without consent)."""
    confirm_by = timezone.now() - timedelta(seconds=settings.NEWSLETTER_CONFIRM_MAX_AGE)
    expired = Subscriber.objects.filter(status=Subscriber.Status.PENDING).filter(
        Q(confirmation_sent_at__lt=confirm_by) | Q(confirmation_sent_at__isnull=True, created_at__lt=confirm_by)
    )
    return expired.delete()[0]
