"""Sending one edition of the brief: each confirmed subscriber at most once, even across crashes.

A recipient is *claimed* (a Delivery row, unique per edition and subscriber) before the mail is
handed to the email backend and marked sent afterwards. A rerun skips every claimed recipient, so
nobody gets an edition twice; a crash between claim and send leaves that one recipient unsent,
which the command reports (at most once, never twice).
"""

import smtplib
import time

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article
from articles.top_stories import rank_top_stories

from .models import Delivery, Edition, Subscriber
from .signup import compose_mail, unsubscribe_headers, unsubscribe_url


class SendError(Exception):
    """Sending stopped; already-sent recipients stay recorded and a rerun continues."""


def edition_key(now=None):
    return timezone.localdate(now or timezone.now()).isoformat()


def get_or_create_edition(key, limit=10):
    """The edition named `key`; its stories are chosen (most read, then latest) the first time only."""
    edition = Edition.objects.filter(key=key).first()
    if edition is not None:
        return edition
    stories = rank_top_stories(limit)
    subject = f"{settings.NEWSROOM_SITE_NAME} eNewsletter: top stories for {key}"
    try:
        with transaction.atomic():
            return Edition.objects.create(key=key, subject=subject, article_ids=[a.pk for a in stories])
    except IntegrityError:  # a parallel run created it first
        return Edition.objects.get(key=key)


def edition_articles(edition):
    """The edition's stories that are still published, in the edition's order."""
    published = Article.objects.published().filter(pk__in=edition.article_ids).select_related("section")
    by_id = {article.pk: article for article in published}
    return [by_id[pk] for pk in edition.article_ids if pk in by_id]


def build_message(edition, articles, subscriber, connection=None):
    url = unsubscribe_url(subscriber)  # signed once: the same link in the body and the headers
    context = {"edition": edition, "articles": articles, "unsubscribe_url": url}
    return compose_mail(
        subscriber, "edition", context, headers=unsubscribe_headers(url), connection=connection, html=True
    )


def pending_recipients(edition):
    return Subscriber.objects.confirmed().exclude(deliveries__edition=edition).order_by("pk")


def interrupted_deliveries(edition):
    return edition.deliveries.filter(sent_at__isnull=True)


def send_edition(edition, *, progress=None, batch_size=500, limit=None, per_second=None):
    """Send `edition` to confirmed subscribers not yet claimed; returns the number sent.

    `limit` stops after that many mails (a batch of the newsletter task); `per_second` paces them
    (the SMTP provider's rate). The message is built before the recipient is claimed, so the only
    moment a crash leaves a recipient unsure is the SMTP exchange itself.
    """
    articles = edition_articles(edition)
    if not articles:
        raise SendError("None of this edition's stories is published any more; nothing to send.")
    total = pending_recipients(edition).count()
    if limit is not None:
        total = min(total, limit)
    sent = 0
    pace = Pace(per_second)
    connection = get_connection()
    with connection:
        while sent < total:
            batch = list(pending_recipients(edition)[: min(batch_size, total - sent)])
            if not batch:
                break
            for subscriber in batch:
                message = build_message(edition, articles, subscriber, connection)
                pace.wait()
                try:
                    delivery = Delivery.objects.create(edition=edition, subscriber=subscriber)
                except IntegrityError:  # a parallel run claimed this recipient
                    continue
                try:
                    message.send()
                except (smtplib.SMTPException, OSError) as error:
                    delivery.delete()  # not sent: let the rerun try this recipient again
                    raise SendError(f"Stopped after {sent} of {total}: {error}. Rerun to continue.") from error
                delivery.sent_at = timezone.now()
                delivery.save(update_fields=["sent_at"])
                sent += 1
                if progress:
                    progress(sent, total)
                if sent >= total:
                    break
    if not pending_recipients(edition).exists():
        edition.completed_at = timezone.now()
        edition.save(update_fields=["completed_at"])
    return sent


class Pace:
    """At most `per_second` calls of wait() returning per second (None: no limit), for one sender."""

    def __init__(self, per_second):
        self.interval = 1 / per_second if per_second else 0
        self.next_at = 0.0

    def wait(self):
        if not self.interval:
            return
        now = time.monotonic()
        if now < self.next_at:
            time.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.interval
