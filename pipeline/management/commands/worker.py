"""`manage.py worker`: run background tasks from the queue (one process; start as many as needed)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Work on the task queues (RQ on Redis): run tasks, retry deferred ones. Scale by running more."

    def add_arguments(self, parser):
        parser.add_argument("queues", nargs="*", help=f"Queues to work on (default: {' '.join(settings.TASK_QUEUES)}).")
        parser.add_argument("--burst", action="store_true", help="Stop once the queues are empty.")
        parser.add_argument("--name", help="Worker name shown on the health page (default: host and pid).")

    def handle(self, *args, queues, burst, name, **options):
        if settings.TASKS_BACKEND != "rq":
            raise CommandError(
                "Tasks run in-process here (TASKS_BACKEND=immediate): there is no queue to work on. "
                "Set TASKS_REDIS_URL (or REDIS_URL) to use RQ."
            )
        # RQ's own scheduler thread (one per queue across all workers, under a Redis lock) moves
        # deferred tasks - retries waiting out their backoff - into the queue when they are due.
        call_command(
            "rqworker",
            *(queues or settings.TASK_QUEUES),
            job_class="django_tasks_rq.Job",
            with_scheduler=True,
            burst=burst,
            name=name,
            verbosity=options["verbosity"],
        )
