"""The audit log: who signed in, failed to, published, killed, restored, changed an embargo, a role or a correction."""
from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        LOGIN = "login", "Signed in"
        LOGIN_FAILED = "login_failed", "Failed sign-in"
        LOCKED_OUT = "locked_out", "Locked out"
        LOGOUT = "logout", "Signed out"
        PUBLISH = "publish", "Published"
        KILL = "kill", "Killed"
        STATUS = "status", "Status change"
        RESTORE = "restore", "Restored a revision"
        EMBARGO = "embargo", "Embargo change"
        ROLE = "role", "Role or group change"
        NOTE = "note", "Correction or update edited or deleted"

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too: a failed sign-in names no real user, and users can be deleted.
    actor_name = models.CharField("who", max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField("what", max_length=300, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit log"
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name or 'system'} {self.get_action_display()}"
