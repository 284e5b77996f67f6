"""Housekeeping tasks the scheduler runs: worker heartbeats and purging what has expired."""

import os
import socket
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from .models import Heartbeat, TaskFailure
from .queue import background_task


@background_task(retries=0)
def worker_heartbeat():
    """Queued by the scheduler every minute: whichever worker runs it proves the queue is worked."""
    Heartbeat.beat(f"worker:{socket.gethostname()}:{os.getppid()}", detail="ran the heartbeat task")
    Heartbeat.beat("worker", detail=socket.gethostname())


@background_task(retries=1, backoff=300)
def purge_expired():
    """Daily: expired sessions, old task failures, stale heartbeats."""
    now = timezone.now()
    purged = {
        "sessions": Session.objects.filter(expire_date__lt=now).delete()[0],
        "task_failures": TaskFailure.objects.filter(
            failed_at__lt=now - timedelta(days=settings.PIPELINE_KEEP_FAILURES_DAYS)
        ).delete()[0],
        "heartbeats": Heartbeat.objects.filter(beat_at__lt=now - timedelta(days=7)).delete()[0],
    }
    return purged
