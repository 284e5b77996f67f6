from django.core.management.base import BaseCommand

from newsletter.outbox import send_due


class Command(BaseCommand):
    help = "Send queued sign-up mails that are due (run every minute; the task retries cover most cases)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Try every queued mail now, whatever its retry time (SMTP is back)."
        )

    def handle(self, *args, **options):
        sent, waiting = send_due(ignore_backoff=options["now"])
        self.stdout.write(f"Sent {sent} sign-up mails; {waiting} still queued.")
        if waiting and not sent:
            self.stderr.write("SMTP did not take any mail: they stay queued for the next run.")
