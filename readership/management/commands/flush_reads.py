from django.core.management.base import BaseCommand

from readership.counting import flush_reads, prune_read_counts


class Command(BaseCommand):
    help = (
        "Write the read counts gathered in the cache to the database (cron: every minute) "
        "and delete hourly counts older than NEWSROOM_READS_KEEP_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--keep-days", type=int, default=None, help="Keep this many days of counts.")

    def handle(self, *args, keep_days=None, **options):
        written = flush_reads()
        pruned = prune_read_counts(keep_days)
        self.stdout.write(f"Flushed {written} reads; deleted {pruned} old hourly counts.")
