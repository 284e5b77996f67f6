"""Notification mails: sent by a task on the mail queue, retried while SMTP is down."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from newsroom.links import absolute_url
from pipeline.queue import background_task

from .models import Notification


@background_task(retries=5, backoff=60, queue_name="mail")
def send_notification_mails(notification_ids):
    """One mail per notification not mailed yet; safe to run twice (emailed_at is set per mail)."""
    pending = (
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .select_related("recipient", "actor", "article")
    )
    for notification in pending:
        if not notification.recipient.email:
            continue
        link = absolute_url(reverse("desk:notification-open", args=[notification.pk]))
        send_mail(
            subject=f"[{settings.NEWSROOM_SITE_NAME} desk] {notification.summary}",
            message=f"{notification.summary}\n\n{notification.text}\n\nOpen it: {link}\n".replace("\n\n\n", "\n\n"),
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
