"""Double opt-in sign-up, confirmation and unsubscribe, with signed links and no address enumeration."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from . import outbox, tasks
from .mails import (  # noqa: F401 - the sign-up API others import from here
    CONFIRM_SALT,
    UNSUBSCRIBE_SALT,
    address_check,
    compose_mail,
    confirm_url,
    make_token,
    unsubscribe_headers,
    unsubscribe_url,
)
from .models import SignupMail, Subscriber

logger = logging.getLogger(__name__)


class LinkExpired(Exception):
    """The signed link was genuine but is too old."""


class LinkInvalid(Exception):
    """The link was altered, belongs to nobody, or no longer matches the subscriber."""


def normalize_email(email):
    return (email or "").strip().lower()


def subscriber_from_token(token, salt, max_age=None):
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except signing.BadSignature as error:
        raise LinkInvalid from error
    subscriber = Subscriber.objects.filter(pk=data.get("s")).first() if isinstance(data, dict) else None
    if subscriber is None or not constant_time_compare(data.get("h", ""), address_check(subscriber.email, salt)):
        raise LinkInvalid
    return subscriber


def may_mail(subscriber, now):
    """At most one sign-up mail per address per window, so the form cannot be used to flood someone.

    Counted in the database (the outbox), so the rule holds when the cache is down.
    """
    window = timedelta(seconds=settings.NEWSLETTER_MAIL_INTERVAL_SECONDS)
    return not subscriber.signup_mails.filter(created_at__gt=now - window).exists()


def request_subscription(email, now=None):
    """Start (or restart) double opt-in for `email`. Says nothing about whether the address was known.

    The mail is queued in the outbox in the same transaction and sent by a task once it commits; an
    SMTP outage leaves it queued for the retries, never fails the sign-up.
    """
    email = normalize_email(email)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            Subscriber.objects.get_or_create(email=email)
    except IntegrityError:  # a simultaneous sign-up of the same address won the race
        pass
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(email=email)  # one mail decision at a time
        if not may_mail(subscriber, now):
            return subscriber
        if subscriber.status == Subscriber.Status.CONFIRMED:
            # Already on the list: tell the owner of the address, not the person at the form.
            mail = outbox.queue(subscriber, SignupMail.Kind.ALREADY_SUBSCRIBED, now)
        else:
            if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
                subscriber.status = Subscriber.Status.PENDING
            subscriber.confirmation_sent_at = now
            subscriber.save(update_fields=["status", "confirmation_sent_at"])
            mail = outbox.queue(subscriber, SignupMail.Kind.CONFIRM, now)
    tasks.send_soon(mail)
    return subscriber


def check_confirm_token(token):
    return subscriber_from_token(token, CONFIRM_SALT, max_age=settings.NEWSLETTER_CONFIRM_MAX_AGE)


def confirm_subscription(token, now=None):
    """Confirm the subscriber named by a confirmation link; raises LinkExpired or LinkInvalid."""
    subscriber = check_confirm_token(token)
    if subscriber.status != Subscriber.Status.CONFIRMED:
        subscriber.confirm(now)
        subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
    return subscriber


def check_unsubscribe_token(token):
    return subscriber_from_token(token, UNSUBSCRIBE_SALT)


def unsubscribe(token, now=None):
    """Unsubscribe the subscriber named by an unsubscribe link (never expires); raises LinkInvalid."""
    subscriber = check_unsubscribe_token(token)
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.unsubscribe(now)
        subscriber.save(update_fields=["status", "unsubscribed_at"])
    return subscriber
