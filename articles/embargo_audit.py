"""Embargo changes go to the audit log: any save of a story (admin, wire, script) that sets, moves
or lifts its embargo, in the transaction of that save."""
from django.db.models.signals import post_init, post_save
from django.utils import timezone

from audit import log as audit

UNKNOWN = object()


def remember_embargo(sender, instance, **kwargs):
    # Deferred fields are not in __dict__: reading them here would cost a query per story.
    instance._audit_embargo = instance.__dict__.get("embargo_until", UNKNOWN)


def on_article_saved(sender, instance, created, **kwargs):
    before = getattr(instance, "_audit_embargo", UNKNOWN)
    after = instance.__dict__.get("embargo_until", UNKNOWN)
    instance._audit_embargo = after
    if after is UNKNOWN or (not created and (before is UNKNOWN or before == after)) or (created and after is None):
        return
    if after is None:
        summary = "Embargo lifted"
    else:
        summary = f"Embargo until {timezone.localtime(after):%Y-%m-%d %H:%M %Z}"
    if before not in (None, UNKNOWN):
        summary += f" (was {timezone.localtime(before):%Y-%m-%d %H:%M %Z})"
    audit.record(audit.Action.EMBARGO, target=instance, summary=summary)


def connect_signals():
    from .models import Article

    post_init.connect(remember_embargo, sender=Article, dispatch_uid="audit-embargo-init")
    post_save.connect(on_article_saved, sender=Article, dispatch_uid="audit-embargo-saved")
