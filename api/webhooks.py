"""Webhooks: signed POSTs to partners and front ends when a story is published, updated, corrected or killed.

A story event (publishing.story_changed) becomes one WebhookDelivery row per interested webhook, in
the same transaction as the change; once it commits, a task on the queue (pipeline.queue) sends it.
A scheduled or embargoed story's "published" delivery waits until the story is public. Each attempt
builds the payload afresh from what is public at that moment, signs it (HMAC-SHA256 of
"<timestamp>.<body>" with the webhook's secret) and POSTs it; failures are retried with exponential
backoff (NEWSROOM_WEBHOOK_RETRY_SECONDS, doubling, up to NEWSROOM_WEBHOOK_MAX_ATTEMPTS). Every attempt
is logged on the delivery (admin: Content API → Webhook deliveries). The scheduler's minute sweep
(send_due_webhooks; or `manage.py send_webhooks`) sends whatever the queue could not defer.
"""
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django_tasks import task_backends

from articles.models import Article
from pipeline.queue import background_task, enqueue

from .content import story_summary, with_summary_related
from .models import Webhook, WebhookDelivery, WebhookEvent
from .ninjs import story_uri

logger = logging.getLogger("api.webhooks")

EVENTS = {
    "published": WebhookEvent.PUBLISH,
    "updated": WebhookEvent.UPDATE,
    "corrected": WebhookEvent.CORRECTION,
    "killed": WebhookEvent.KILL,
}
SIGNATURE_HEADER = "Newsroom-Signature"
SIGNATURE_TOLERANCE_SECONDS = 300


# --- signing ----------------------------------------------------------------------------------


def sign(secret, timestamp, body):
    """The signature header's value: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(secret, header, body, *, now=None, tolerance=SIGNATURE_TOLERANCE_SECONDS):
    """What a receiver does (docs/api.md): True if `header` signs `body` with `secret` and is recent."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False  # an old, replayed delivery
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


# --- queuing ----------------------------------------------------------------------------------


def was_public(article, now):
    """Whether readers have ever been able to see the story (only then does a kill concern anyone)."""
    release = max(filter(None, [article.first_published_at, article.embargo_until]), default=None)
    return article.first_published_at is not None and release <= now


def release_time(article, now):
    return max(filter(None, [article.published_at, article.embargo_until, now]))


def queue_deliveries(article, event, now=None):
    """One delivery per active webhook that wants `event`; each is sent once the transaction commits."""
    now = now or timezone.now()
    kind = EVENTS[event]
    if kind == WebhookEvent.KILL:
        if not was_public(article, now):
            return []
        send_after = now
    elif kind == WebhookEvent.PUBLISH:
        send_after = release_time(article, now)
    elif not article.is_published(now):
        return []  # an edit before release: the "published" delivery still to come carries it
    else:
        send_after = now
    hooks = [hook for hook in Webhook.objects.filter(is_active=True) if hook.wants(kind)]
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(webhook=hook, event=kind, article=article, article_version=article.version,
                        created_at=now, send_after=send_after)
        for hook in hooks
    )
    for delivery in deliveries:
        transaction.on_commit(partial(schedule, delivery.pk, send_after), robust=True)
    return deliveries


def schedule(delivery_id, when):
    """Queue the delivery for `when`; a queue that cannot defer leaves future ones to send_webhooks."""
    if when <= timezone.now():
        enqueue(deliver_webhook, delivery_id)
    elif task_backends[deliver_webhook.backend].supports_defer:
        enqueue(deliver_webhook.using(run_after=when), delivery_id)


@background_task(retries=0, queue_name="default")
def deliver_webhook(delivery_id):
    """Send one delivery if it is still waiting and due (a second run of the same task does nothing)."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("webhook", "article")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        if delivery is not None:
            attempt(delivery)


def due_deliveries(now=None):
    now = now or timezone.now()
    return WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, send_after__lte=now).exclude(
        next_attempt_at__gt=now
    )


def send_due(now=None):
    """Send every delivery that is due (manage.py send_webhooks); returns how many were tried."""
    ids = list(due_deliveries(now).order_by("send_after", "pk").values_list("pk", flat=True)[:500])
    for delivery_id in ids:
        deliver_webhook.call(delivery_id)
    return len(ids)


@background_task(retries=0, queue_name="default")
def send_due_webhooks():
    """The scheduler's sweep every minute (pipeline/schedule.py): retries and scheduled stories' announcements."""
    return send_due()


# --- one attempt ------------------------------------------------------------------------------


def payload_for(delivery, now):
    """The body of the delivery as of `now`, "wait" if the story is not public yet, or None to skip it."""
    article = delivery.article
    base = {"id": delivery.pk, "event": delivery.event, "occurred_at": delivery.created_at}
    if article is None:
        return None
    if delivery.event == WebhookEvent.KILL:
        # No content: the story is gone. Its identifiers let the receiver find and remove its copy.
        return base | {"story": {"id": article.pk, "uri": story_uri(article), "pubstatus": "canceled"}}
    if not article.is_published(now):
        if article.status == Article.Status.PUBLISHED and release_time(article, now) > now:
            return "wait"
        return None
    fresh = with_summary_related(Article.objects.published(now)).get(pk=article.pk)
    return base | {"story": story_summary(fresh, now) | {"uri": story_uri(fresh)}}


def attempt(delivery, now=None):
    """Build, sign and POST the delivery once; record the outcome and arrange the next try if it failed."""
    now = now or timezone.now()
    payload = payload_for(delivery, now)
    if payload is None:
        delivery.status = WebhookDelivery.Status.SKIPPED
        delivery.save(update_fields=["status"])
        return delivery
    if payload == "wait":
        delivery.send_after = release_time(delivery.article, now)
        delivery.save(update_fields=["send_after"])
        return delivery
    body = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
    delivery.payload = json.loads(body)
    delivery.attempts += 1
    status, error = post(delivery, body)
    delivery.response_status, delivery.error = status, error
    if error:
        if delivery.attempts >= settings.NEWSROOM_WEBHOOK_MAX_ATTEMPTS:
            delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
        else:
            delay = settings.NEWSROOM_WEBHOOK_RETRY_SECONDS * 2 ** (delivery.attempts - 1)
            delivery.next_attempt_at = now + timedelta(seconds=delay)
            transaction.on_commit(partial(schedule, delivery.pk, delivery.next_attempt_at), robust=True)
    else:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            WebhookDelivery.Status.DELIVERED, now, None)
    delivery.save()
    return delivery


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is a failed delivery: the signed body must reach the URL it was signed for


OPENER = urllib.request.build_opener(_NoRedirects)


def post(delivery, body):
    """POST the signed body; returns (HTTP status or None, error text or "")."""
    request = urllib.request.Request(
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": f"{settings.NEWSROOM_SITE_NAME} webhooks",
            "Newsroom-Event": delivery.event,
            "Newsroom-Delivery": str(delivery.pk),
            SIGNATURE_HEADER: sign(delivery.webhook.secret, int(time.time()), body),
        },
    )
    try:
        with OPENER.open(request, timeout=settings.NEWSROOM_WEBHOOK_TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"The receiver answered {error.code} {error.reason}."
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        logger.warning("webhook delivery %s to %s failed: %s", delivery.pk, delivery.webhook.url, reason)
        return None, f"Could not reach the receiver: {reason}."
