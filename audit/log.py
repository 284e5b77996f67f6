"""Writing audit entries. Call `record()` inside the transaction that makes the change, so the
entry and the change are committed together or not at all."""
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from newsroom.client_ip import client_ip

from .models import AuditEntry

Action = AuditEntry.Action


@dataclass(frozen=True)
class Actor:
    user: object = None
    ip_address: str | None = None


# The request being served (set by AuditActorMiddleware). Its user is looked up only when an
# entry is written: touching request.user on every page would make public responses vary on Cookie.
_current_request = ContextVar("audit_request", default=None)


@contextmanager
def serving(request):
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


def request_actor(request):
    if request is None:
        return Actor()
    user = getattr(request, "user", None)
    return Actor(user if user is not None and user.is_authenticated else None, client_ip(request) or None)


def record(action, *, target=None, summary="", by=None, actor_name=None, request=None):
    """Add one entry. `by` defaults to the user of the current request (None outside requests)."""
    actor = request_actor(request if request is not None else _current_request.get())
    user = by if by is not None else actor.user
    if user is not None and not user.is_authenticated:
        user = None
    entry = AuditEntry(
        action=action,
        actor=user,
        actor_name=(actor_name if actor_name is not None else getattr(user, "username", ""))[:150],
        ip_address=actor.ip_address,
        summary=summary,
    )
    if target is not None:
        entry.object_type = target._meta.label_lower
        entry.object_id = str(target.pk)
        entry.object_repr = str(target)[:300]
    entry.save()
    return entry
