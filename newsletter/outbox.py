"""The sign-up mail outbox: queue a mail with the sign-up, send it from a task, retry until SMTP takes it.

A queued mail is a SignupMail row written in the sign-up's transaction. `tasks.send_soon` hands it
to the task queue once that commits; `deliver` sends it (at most once: the row is locked while sending and
marked sent in the same transaction) and, when SMTP fails, records the attempt and the time of the
next one (backoff doubling from RETRY_SECONDS, at most an hour). The task is retried by the queue
with the same backoff; `send_due` (the `send_signup_mails` command, run every minute) sends whatever
is due, which covers a task queue that was down and the immediate backend, which cannot defer.
"""

import logging
import smtplib

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .mails import compose_mail, confirm_url, unsubscribe_url
from .models import SignupMail

logger = logging.getLogger(__name__)

RETRY_SECONDS = 60  # first retry a minute after a failure, then 2, 4, 8 … minutes, at most an hour apart


class MailNotSent(Exception):
    """SMTP refused or could not be reached; the mail stays queued for a later attempt."""


def queue(subscriber, kind, now=None):
    """A new queued mail of `kind` to `subscriber`; call inside the sign-up's transaction."""
    now = now or timezone.now()
    return SignupMail.objects.create(subscriber=subscriber, kind=kind, created_at=now, next_attempt_at=now)


def message_for(mail):
    subscriber = mail.subscriber
    if mail.kind == SignupMail.Kind.ALREADY_SUBSCRIBED:
        return compose_mail(subscriber, "already_subscribed", {"unsubscribe_url": unsubscribe_url(subscriber)})
    valid_days = max(1, settings.NEWSLETTER_CONFIRM_MAX_AGE // 86400)
    return compose_mail(subscriber, "confirm", {"confirm_url": confirm_url(subscriber), "valid_days": valid_days})


def deliver(mail_id, now=None):
    """Send one queued mail unless it has gone already; True if sent now. Raises MailNotSent on SMTP failure."""
    with transaction.atomic():
        mail = (
            SignupMail.objects.select_for_update(skip_locked=True)  # another worker is sending it: leave it
            .select_related("subscriber")
            .filter(pk=mail_id, sent_at__isnull=True)
            .first()
        )
        if mail is None:
            return False
        error = None
        try:
            message_for(mail).send()
        except (smtplib.SMTPException, OSError) as exc:  # OSError: refused, unreachable, timed out
            error = exc
        mail.record_attempt(now or timezone.now(), error, retry_seconds=RETRY_SECONDS)
        mail.save(update_fields=["attempts", "sent_at", "last_error", "next_attempt_at"])
    if error is not None:
        logger.warning("sign-up mail %s not sent (attempt %s): %s", mail.pk, mail.attempts, mail.last_error)
        raise MailNotSent(mail.last_error) from error
    return True


def send_due(now=None, limit=500, *, ignore_backoff=False):
    """Send the queued mails that are due (all unsent ones with `ignore_backoff`); stops at the first SMTP
    failure. Returns (sent, still queued)."""
    now = now or timezone.now()
    due = SignupMail.objects.due(now, settings.NEWSLETTER_MAIL_MAX_ATTEMPTS, ignore_backoff=ignore_backoff)
    sent = 0
    for mail_id in due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]:
        try:
            sent += deliver(mail_id, now)
        except MailNotSent:
            break  # SMTP is still down: the rest would fail the same way
    return sent, SignupMail.objects.filter(sent_at__isnull=True).count()
