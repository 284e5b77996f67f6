"""python manage.py make_renditions — make any missing standard renditions (after a restore or a new spec)."""

from django.core.management.base import BaseCommand, CommandError

from ...images import ensure_renditions
from ...models import Photo, Rendition


class Command(BaseCommand):
    help = "Make the standard renditions every photo is missing; existing ones are left alone."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, metavar="PHOTO_ID", help="Only these photos.")

    def handle(self, *args, **options):
        photos = Photo.objects.order_by("pk")
        if options["ids"]:
            photos = photos.filter(pk__in=options["ids"])
        made = failed = 0
        for photo in photos.iterator(chunk_size=100):
            before = Rendition.objects.filter(photo=photo).count()
            try:
                ensure_renditions(photo)  # the standard set
            except OSError as exc:  # a missing or unreadable original: report it, carry on
                failed += 1
                self.stderr.write(f"photo {photo.pk}: {exc}")
                continue
            made += Rendition.objects.filter(photo=photo).count() - before
        self.stdout.write(f"{made} renditions made, {failed} photos failed.")
        if failed:
            raise CommandError(f"{failed} photos could not be rendered.", returncode=1)
