"""Double opt-in sign-up, confirmation and unsubscribe, with signed links and no address enumeration."""

import hashlib
import logging

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from newsroom.links import absolute_url

from .models import Subscriber

logger = logging.getLogger(__name__)

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"


class LinkExpired(Exception):
    """The signed link was genuine but is too old."""


class LinkInvalid(Exception):
    """The link was altered, belongs to nobody, or no longer matches the subscriber."""


def confirm_max_age():
    return int(getattr(settings, "NEWSLETTER_CONFIRM_MAX_AGE", 3 * 24 * 3600))


def normalize_email(email):
    return (email or "").strip().lower()


def make_token(subscriber, salt):
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=salt, compress=True)


def confirm_url(subscriber):
    return absolute_url(reverse("newsletter:confirm", args=[make_token(subscriber, CONFIRM_SALT)]))


def unsubscribe_url(subscriber):
    return absolute_url(reverse("newsletter:unsubscribe", args=[make_token(subscriber, UNSUBSCRIBE_SALT)]))


def unsubscribe_headers(url):
    """RFC 2369 / RFC 8058 headers for `url`: mail clients offer a one-click unsubscribe that POSTs to us."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def subscriber_from_token(token, salt, max_age=None):
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except signing.BadSignature as error:
        raise LinkInvalid from error
    subscriber = Subscriber.objects.filter(pk=data.get("s"), email=data.get("e")).first()
    if subscriber is None:
        raise LinkInvalid
    return subscriber


def may_mail(email):
    """At most one sign-up mail per address per window, so the form cannot be used to flood someone."""
    window = int(getattr(settings, "NEWSLETTER_MAIL_INTERVAL_SECONDS", 15 * 60))
    digest = hashlib.sha256(email.encode()).hexdigest()[:32]
    return cache.add(f"newsletter:mailed:{digest}", 1, window)


def compose_mail(subscriber, template, context, *, headers=None, connection=None, html=False):
    """A mail to `subscriber` from newsletter/email/<template>_subject.txt and <template>.txt (and .html)."""
    context = {"site_name": settings.NEWSROOM_SITE_NAME, "site_url": settings.NEWSROOM_SITE_URL, **context}

    def render(suffix):
        return render_to_string(f"newsletter/email/{template}{suffix}", context)

    message = EmailMultiAlternatives(
        subject=render("_subject.txt").strip(),
        body=render(".txt"),
        to=[subscriber.email],
        headers=headers or {},
        connection=connection,
    )
    if html:
        message.attach_alternative(render(".html"), "text/html")
    return message


def request_subscription(email, now=None):
    """Start (or restart) double opt-in for `email`. Says nothing about whether the address was known."""
    email = normalize_email(email)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            subscriber, _created = Subscriber.objects.get_or_create(email=email)
    except IntegrityError:  # a simultaneous sign-up of the same address won the race
        subscriber = Subscriber.objects.get(email=email)
    if not may_mail(email):
        return subscriber
    if subscriber.status == Subscriber.Status.CONFIRMED:
        # Already on the list: tell the owner of the address, not the person at the form.
        compose_mail(subscriber, "already_subscribed", {"unsubscribe_url": unsubscribe_url(subscriber)}).send()
        return subscriber
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.PENDING
    subscriber.confirmation_sent_at = now
    subscriber.save(update_fields=["status", "confirmation_sent_at"])
    compose_mail(
        subscriber,
        "confirm",
        {"confirm_url": confirm_url(subscriber), "valid_days": max(1, confirm_max_age() // 86400)},
    ).send()
    return subscriber


def check_confirm_token(token):
    return subscriber_from_token(token, CONFIRM_SALT, max_age=confirm_max_age())


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
