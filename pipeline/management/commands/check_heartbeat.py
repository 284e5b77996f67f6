"""`manage.py check_heartbeat NAME`: a container health check (exit 1 if NAME has gone quiet)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pipeline.models import Heartbeat


class Command(BaseCommand):
    help = "Exit 0 if the heartbeat NAME (e.g. scheduler) was recorded in the last --max-age seconds."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--max-age", type=int, default=90)

    def handle(self, *args, name, max_age, **options):
        beat = Heartbeat.objects.filter(name=name).first()
        if beat is None or beat.beat_at < timezone.now() - timedelta(seconds=max_age):
            raise CommandError(f"{name}: no heartbeat in the last {max_age}s")
        self.stdout.write(f"{name}: {beat.beat_at.isoformat()} {beat.detail}")
