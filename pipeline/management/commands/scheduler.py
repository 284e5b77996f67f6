"""`manage.py scheduler`: the one process that queues periodic tasks (docs/deploying.md)."""

import signal
import sys

from django.core.management.base import BaseCommand

from pipeline.models import Heartbeat
from pipeline.schedule import Leadership, build_scheduler, fire, newsletter_missed, periodic_jobs, queue_connection


class Command(BaseCommand):
    help = "Queue the periodic tasks at their times. Run one (a second waits on standby)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Queue every periodic task once now, then exit.")

    def handle(self, *args, once, **options):
        jobs = {job.name: job for job in periodic_jobs()}
        if once:
            for job in jobs.values():
                fire(job)
                self.stdout.write(f"queued {job.name}")
            return
        # docker stop sends SIGTERM: leave through `finally`, so the lock is released at once and a
        # standby scheduler takes over without waiting for it to expire.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        leadership = Leadership(queue_connection())
        self.stdout.write("waiting for the scheduler lock (another scheduler may be active)")
        leadership.acquire()
        self.stdout.write("active: " + "; ".join(f"{job.name} ({job.trigger})" for job in jobs.values()))
        Heartbeat.beat("scheduler", "started")
        if newsletter_missed():  # started after today's send time: the edition still goes out today
            fire(jobs["daily newsletter"])
        try:
            build_scheduler(leadership).start()
        finally:
            leadership.release()
