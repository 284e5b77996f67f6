from django.core.management.base import BaseCommand

from readership.counting import flush_reads


class Command(BaseCommand):
    help = "Write the read counts gathered in the cache to the database (run every minute from cron)."

    def handle(self, *args, **options):
        written = flush_reads()
        self.stdout.write(f"Flushed {written} reads.")
