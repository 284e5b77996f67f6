"""`manage.py check_worker`: the container health check of a worker (exit 1 unless one here is alive)."""

import socket
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_rq import get_connection
from rq import Worker


class Command(BaseCommand):
    help = "Exit 0 if an RQ worker on this host has sent a heartbeat in the last --max-age seconds."

    def add_arguments(self, parser):
        parser.add_argument("--max-age", type=int, default=60)

    def handle(self, *args, max_age, **options):
        host = socket.gethostname()
        cutoff = timezone.now() - timedelta(seconds=max_age)
        alive = [
            worker for worker in Worker.all(connection=get_connection("default"))
            if worker.hostname == host and worker.last_heartbeat and worker.last_heartbeat >= cutoff
        ]
        if not alive:
            raise CommandError(f"no worker on {host} has sent a heartbeat in the last {max_age}s")
        self.stdout.write(", ".join(worker.name for worker in alive))
