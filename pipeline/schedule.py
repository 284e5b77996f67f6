"""The one scheduler: periodic tasks queued at their times (APScheduler), by one process at a time.

`manage.py scheduler` runs this. Each job only *queues* a task (pipeline.queue), so the work is
done by workers and retried like any other task; with the immediate backend the scheduler process
runs it itself. Only one scheduler is active: it holds a Redis lock on the queue's Redis and renews
it every LOCK_RENEW seconds; a second one waits on standby and takes over within LOCK_TTL seconds
of the first one's death. A scheduler that loses its lock exits (its container restarts on standby).
"""

import logging
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import redis
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Heartbeat
from .queue import enqueue

logger = logging.getLogger("pipeline.schedule")

LOCK_NAME = "newsroom:scheduler"
LOCK_TTL = 60  # seconds: how long a dead scheduler keeps the others waiting
LOCK_RENEW = 15
HEARTBEAT_SECONDS = 30
NEWSLETTER_CATCH_UP = timedelta(hours=6)  # a scheduler started this long after the send time still sends


@dataclass(frozen=True)
class Periodic:
    name: str
    task: str  # dotted path of a Task
    trigger: object


def send_at():
    hour, minute = (int(part) for part in settings.NEWSLETTER_SEND_AT.split(":"))
    return hour, minute


def periodic_jobs():
    zone = ZoneInfo(settings.TIME_ZONE)
    hour, minute = send_at()
    every = lambda seconds: IntervalTrigger(seconds=seconds, timezone=zone)  # noqa: E731
    return [
        Periodic("flush read counts", "readership.tasks.flush_read_counts", every(60)),
        Periodic("worker heartbeat", "pipeline.tasks.worker_heartbeat", every(60)),
        Periodic("resume unfinished newsletters", "newsletter.editions.resume_editions", every(60)),
        Periodic("send due sign-up mails", "newsletter.tasks.send_due_signup_mails", every(60)),
        Periodic("poll wire intakes", "wire.intake.poll_due_intakes", every(settings.WIRE_INTAKE_POLL_SECONDS)),
        Periodic("send due webhook deliveries", "api.webhooks.send_due_webhooks", every(60)),
        Periodic("queue missing renditions", "articles.renditions.queue_missing_renditions", every(300)),
        Periodic("withdraw expired photos", "articles.withdrawal.withdraw_expired_photos", every(300)),
        Periodic("rebuild the search vocabulary", "articles.suggestions.refresh_search_terms", every(300)),
        Periodic("daily newsletter", "newsletter.editions.send_todays_edition",
                 CronTrigger(hour=hour, minute=minute, timezone=zone)),
        Periodic("purge expired", "pipeline.tasks.purge_expired", CronTrigger(hour=3, minute=30, timezone=zone)),
        Periodic("purge unconfirmed sign-ups", "newsletter.editions.purge_unconfirmed",
                 CronTrigger(hour=3, minute=40, timezone=zone)),
    ]


def fire(job):
    """Queue one periodic task (the scheduler's only work)."""
    Heartbeat.beat("scheduler", detail=f"{socket.gethostname()}: queued {job.name}")
    return enqueue(import_string(job.task))


def newsletter_missed(now=None):
    """True if the scheduler starts within NEWSLETTER_CATCH_UP after today's send time."""
    now = timezone.localtime(now or timezone.now(), ZoneInfo(settings.TIME_ZONE))
    hour, minute = send_at()
    due = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return due <= now < due + NEWSLETTER_CATCH_UP


def queue_connection():
    return redis.Redis.from_url(settings.TASKS_REDIS_URL) if settings.TASKS_REDIS_URL else None


class Leadership:
    """The Redis lock that makes one scheduler the active one (no Redis: a single process, always)."""

    def __init__(self, connection, ttl=LOCK_TTL):
        # thread_local=False: the lock is taken in the main thread but renewed from APScheduler's
        # worker threads, where a thread-local token would be missing (renewal then failed every
        # time, the lock ran out after LOCK_TTL and a standby scheduler became active beside us).
        self.lock = connection.lock(LOCK_NAME, timeout=ttl, thread_local=False) if connection is not None else None

    def acquire(self, blocking=True):
        if self.lock is None:
            return True
        return self.lock.acquire(blocking=blocking)

    def renew(self):
        if self.lock is not None:
            self.lock.reacquire()  # raises LockNotOwnedError if another scheduler took over

    def release(self):
        if self.lock is not None and self.lock.owned():
            self.lock.release()


def build_scheduler(leadership):
    zone = ZoneInfo(settings.TIME_ZONE)
    scheduler = BlockingScheduler(timezone=zone)
    for job in periodic_jobs():
        # The sweeps (interval jobs) run once at start, then at their interval: a stack just started,
        # or a standby that took over, beats, polls the intakes and catches up at once instead of a
        # minute (or five) later. Daily jobs keep their time (newsletter_missed covers a late start).
        start_now = {"next_run_time": datetime.now(zone)} if isinstance(job.trigger, IntervalTrigger) else {}
        # coalesce: a scheduler that was busy or paused runs a missed job once, not once per miss.
        scheduler.add_job(fire, job.trigger, args=[job], id=job.name, name=job.name, coalesce=True,
                          max_instances=1, misfire_grace_time=30, **start_now)
    scheduler.add_job(Heartbeat.beat, "interval", seconds=HEARTBEAT_SECONDS, args=["scheduler", socket.gethostname()],
                      id="heartbeat", next_run_time=datetime.now(zone))

    def renew_or_stop():
        try:
            leadership.renew()
        except redis.exceptions.LockError:
            logger.error("lost the scheduler lock to another scheduler; stopping")
            scheduler.shutdown(wait=False)

    scheduler.add_job(renew_or_stop, "interval", seconds=LOCK_RENEW, id="renew lock")
    return scheduler
