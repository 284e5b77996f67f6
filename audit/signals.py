"""What the audit log hears by itself: sign-ins, lockouts and role changes.

Story events are recorded by the articles app, which knows them: status moves and restores by
the functions that make them (articles/publishing.py, articles/revisions.py), embargo changes by
articles/embargo_audit.py. Every entry is written inside the transaction of the change it records.
"""
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_init, post_save

from .log import Action, record

UID = "audit."


def on_login(sender, request, user, **kwargs):
    record(Action.LOGIN, by=user, request=request, target=user)


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(Action.LOGOUT, by=user, request=request, target=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; only the name is kept.
    name = str(credentials.get("username") or credentials.get("login") or "")
    record(Action.LOGIN_FAILED, actor_name=name, request=request, summary=f"Failed sign-in as “{name}”")


def on_locked_out(sender, request, username, ip_address, **kwargs):
    record(
        Action.LOCKED_OUT,
        actor_name=username or "",
        request=request,
        summary=f"Sign-in locked for “{username}” after repeated failures",
    )


def on_user_groups_changed(sender, instance, action, pk_set, reverse, **kwargs):
    """user.groups.add/remove/clear and group.user_set.add/remove/clear alike."""
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    User = get_user_model()
    if reverse:  # instance is a Group, pk_set its users
        pairs = [(user, instance) for user in User.objects.filter(pk__in=pk_set or [])]
        if action == "pre_clear":
            pairs = [(user, instance) for user in instance.user_set.all()]
    else:
        groups = instance.groups.all() if action == "pre_clear" else Group.objects.filter(pk__in=pk_set or [])
        pairs = [(instance, group) for group in groups]
    verb = "added to" if action == "post_add" else "removed from"
    for user, group in pairs:
        record(Action.ROLE, target=user, summary=f"{user.get_username()} {verb} {group.name}")


def on_group_permissions_changed(sender, instance, action, pk_set, reverse, **kwargs):
    if reverse or action not in {"post_add", "post_remove", "post_clear"}:
        return
    count = len(pk_set or [])
    what = {"post_add": f"{count} permission(s) added", "post_remove": f"{count} permission(s) removed"}.get(
        action, "all permissions removed"
    )
    record(Action.ROLE, target=instance, summary=f"Group {instance.name}: {what}")


PRIVILEGE_FLAGS = ("is_staff", "is_superuser", "is_active")


def remember_privileges(sender, instance, **kwargs):
    instance._audit_privileges = {flag: getattr(instance, flag) for flag in PRIVILEGE_FLAGS}


def on_user_saved(sender, instance, created, update_fields=None, **kwargs):
    before = getattr(instance, "_audit_privileges", None)
    now = {flag: getattr(instance, flag) for flag in PRIVILEGE_FLAGS}
    instance._audit_privileges = now
    if created or before is None or before == now:
        return
    changed = [flag for flag in PRIVILEGE_FLAGS if before[flag] != now[flag]]
    changes = ", ".join(f"{flag} {'on' if now[flag] else 'off'}" for flag in changed)
    record(Action.ROLE, target=instance, summary=f"{instance.get_username()}: {changes}")


def connect():
    User = get_user_model()
    user_logged_in.connect(on_login, dispatch_uid=UID + "login")
    user_logged_out.connect(on_logout, dispatch_uid=UID + "logout")
    user_login_failed.connect(on_login_failed, dispatch_uid=UID + "login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid=UID + "locked_out")
    m2m_changed.connect(on_user_groups_changed, sender=User.groups.through, dispatch_uid=UID + "user_groups")
    m2m_changed.connect(
        on_group_permissions_changed, sender=Group.permissions.through, dispatch_uid=UID + "group_perms"
    )
    post_init.connect(remember_privileges, sender=User, dispatch_uid=UID + "user_init")
    post_save.connect(on_user_saved, sender=User, dispatch_uid=UID + "user_saved")
