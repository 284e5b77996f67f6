from django.core.management.base import BaseCommand, CommandError

from newsletter.sending import (
    SendError,
    edition_articles,
    edition_key,
    get_or_create_edition,
    interrupted_deliveries,
    pending_recipients,
    send_edition,
)


class Command(BaseCommand):
    help = (
        "Email the day's brief (top stories) to confirmed subscribers. Safe to rerun: "
        "an edition never reaches anyone twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--edition", help="Edition key (default: today's date, e.g. 2026-11-29).")
        parser.add_argument("--stories", type=int, default=10, help="How many stories a new edition gets.")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent; send nothing.")

    def handle(self, *args, edition=None, stories=10, dry_run=False, **options):
        key = edition or edition_key()
        if dry_run:
            self.stdout.write(f"Edition {key}: {pending_recipients_count(key)} recipients would be sent to.")
            return
        edition = get_or_create_edition(key, limit=stories)
        articles = edition_articles(edition)
        pending = pending_recipients(edition).count()
        self.stdout.write(f"Edition {edition.key}: {len(articles)} stories, {pending} recipients to send to.")
        interrupted = interrupted_deliveries(edition).count()
        if interrupted:
            self.stderr.write(
                f"{interrupted} recipients were claimed by an interrupted run and are not retried "
                "(their mail may or may not have left)."
            )
        step = max(1, pending // 20)

        def progress(done, total):
            if done % step == 0 or done == total:
                self.stdout.write(f"  sent {done}/{total}")

        try:
            sent = send_edition(edition, progress=progress)
        except SendError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Edition {edition.key}: sent {sent}."))


def pending_recipients_count(key):
    from newsletter.models import Edition, Subscriber

    edition = Edition.objects.filter(key=key).first()
    return pending_recipients(edition).count() if edition else Subscriber.objects.confirmed().count()
