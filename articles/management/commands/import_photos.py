"""python manage.py import_photos FILE... — import wire photos, one JSON line per file."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...models import Source
from ...photos import PhotoRejected, import_photo

OUTPUT_FIELDS = [
    "caption",
    "credit",
    "byline",
    "copyright",
    "source",
    "headline",
    "date_created",
    "city",
    "country",
    "keywords",
    "width",
    "height",
]


def photo_summary(photo):
    """The JSON fields describing an imported photo (as stored, after any editor corrections)."""
    return {
        "id": photo.pk,
        "caption": photo.caption,
        "credit": photo.credit,
        "byline": photo.photographer,
        "copyright": photo.copyright,
        "source": photo.source.name if photo.source else "",
        "headline": photo.headline,
        "date_created": photo.date_created.isoformat() if photo.date_created else None,
        "city": photo.city,
        "country": photo.country,
        "keywords": photo.keywords,
        "width": photo.width,
        "height": photo.height,
    }


class Command(BaseCommand):
    help = (
        "Import photo files as the admin upload does (checks, metadata, renditions) and print one "
        "JSON object per file. Exits non-zero when any file was rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--source", help="Name of the Source (agency) the photos come from.")

    def handle(self, *args, **options):
        files = options["files"]
        source = None
        if options["source"]:
            source = Source.objects.filter(name__iexact=options["source"]).first()
            if source is None:
                raise CommandError(f"No source named {options['source']!r}.")
        rejected = 0
        for name in files:
            line = {"file": name, "status": "rejected", "error": None, "id": None}
            line.update(dict.fromkeys(OUTPUT_FIELDS))
            try:
                with Path(name).open("rb") as fh:
                    photo, created = import_photo(fh, filename=Path(name).name, source=source)
            except PhotoRejected as exc:
                line["error"] = str(exc)
            except OSError as exc:  # missing or unreadable file: report it like any other reject
                line["error"] = f"The file cannot be read: {exc.strerror or exc}."
            else:
                line.update(photo_summary(photo), status="imported" if created else "duplicate")
            rejected += line["status"] == "rejected"
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        if rejected:
            raise CommandError(f"{rejected} of {len(files)} files rejected.", returncode=1)
