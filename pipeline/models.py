"""What the background pipeline leaves for people to see: tasks that failed for good."""

from django.db import models
from django.utils import timezone


class TaskFailureQuerySet(models.QuerySet):
    def since(self, when):
        return self.filter(failed_at__gte=when)


class TaskFailure(models.Model):
    """A task that failed on its last attempt (or could not be queued at all); kept until purged."""

    task_name = models.CharField(max_length=255, db_index=True, help_text="Dotted path of the task.")
    task_id = models.CharField(max_length=64, blank=True)
    arguments = models.JSONField(default=dict, help_text="The task's args and kwargs, to run it again.")
    error = models.CharField(max_length=500, help_text="Exception class and message.")
    traceback = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=1)
    failed_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = TaskFailureQuerySet.as_manager()

    class Meta:
        ordering = ["-failed_at", "-pk"]

    def __str__(self):
        return f"{self.task_name}: {self.error}"


class Heartbeat(models.Model):
    """The last sign of life of a background process: the scheduler, and the workers (through a task)."""

    name = models.CharField(max_length=100, unique=True, help_text='"scheduler", or "worker:<host>:<pid>".')
    beat_at = models.DateTimeField(default=timezone.now)
    detail = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def beat(cls, name, detail=""):
        cls.objects.update_or_create(name=name, defaults={"beat_at": timezone.now(), "detail": detail[:255]})
