"""The sign-up mails and the signed links they carry (used by sign-up, the outbox and the edition)."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import salted_hmac

from newsroom.links import absolute_url, site_url

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"


def address_check(email, salt):
    """A keyed digest of the address: the link stops working if the address changes, yet reveals
    nothing (a signed payload is only base64, readable by anyone holding the link)."""
    return salted_hmac(f"{salt}.address", email).hexdigest()[:20]


def make_token(subscriber, salt):
    return signing.dumps({"s": subscriber.pk, "h": address_check(subscriber.email, salt)}, salt=salt)


def confirm_url(subscriber):
    return absolute_url(reverse("newsletter:confirm", args=[make_token(subscriber, CONFIRM_SALT)]))


def unsubscribe_url(subscriber):
    return absolute_url(reverse("newsletter:unsubscribe", args=[make_token(subscriber, UNSUBSCRIBE_SALT)]))


def unsubscribe_headers(url):
    """RFC 2369 / RFC 8058 headers for `url`: mail clients offer a one-click unsubscribe that POSTs to us."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def compose_mail(subscriber, template, context, *, headers=None, connection=None, html=False):
    """A mail to `subscriber` from newsletter/email/<template>_subject.txt and <template>.txt (and .html)."""
    context = {"site_name": settings.NEWSROOM_SITE_NAME, "site_url": site_url(), **context}

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
