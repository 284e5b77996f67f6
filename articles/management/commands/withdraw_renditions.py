"""python manage.py withdraw_renditions [--legacy] — remove renditions readers may no longer reach.

Run it every few minutes (cron or the scheduler): photos whose licence has ended lose their public
rendition files. --legacy also withdraws photos from before rendition keys (SHA-named files) that
no live or scheduled story shows; run it once after upgrading.
"""

from django.core.management.base import BaseCommand

from ...withdrawal import withdraw_expired, withdraw_legacy


class Command(BaseCommand):
    help = "Delete the rendition files of photos whose licence has ended (and, with --legacy, of old unpublished ones)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--legacy", action="store_true", help="Also photos with SHA-named renditions on no live story."
        )

    def handle(self, *args, **options):
        expired = withdraw_expired()
        legacy = withdraw_legacy() if options["legacy"] else 0
        self.stdout.write(f"{expired} expired photos withdrawn, {legacy} unpublished legacy photos withdrawn.")
