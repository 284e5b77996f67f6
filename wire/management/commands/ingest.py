"""manage.py ingest PATH... : wire files (ninjs, NewsML-G2) or folders of them into stories."""
import json
import os
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles import permissions
from articles.models import Section
from wire.ingest import (
    FAILED,
    IGNORED,
    IMPORTED,
    UNCHANGED,
    UPDATED,
    IngestOptions,
    count_statuses,
    ingest_paths,
    wire_files,
)


class Command(BaseCommand):
    help = (
        "Import IPTC ninjs (.json) and NewsML-G2 (.xml) wire items as 'Ready for editing' stories. "
        "Safe to repeat: the same version changes nothing, a newer one updates the story."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Wire files, or folders searched for .json and .xml files.")
        parser.add_argument("--publish", action="store_true",
                            help="Publish the stories at once (embargoed ones are scheduled for the embargo's end).")
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help="Print one JSON object per item instead of the summary.")
        parser.add_argument("--section", help="Slug of the section every new story is filed in (default: a "
                            "section named like one of the item's subjects, else NEWSROOM_INGEST_SECTION, "
                            "else the first section).")
        parser.add_argument("--source", default="", help="Agency name to use for every item, whatever it says.")
        parser.add_argument("--workers", type=int, default=None,
                            help="Threads ingesting at once, each with its own database connection (default: the "
                            "NEWSROOM_INGEST_WORKERS setting, 2). 1 ingests in order in one thread.")
        parser.add_argument("--root", help="The drop folder pictures must be inside (default: each folder given, "
                            "or a file's own folder). Picture paths leading out of it are refused.")
        parser.add_argument("--user", help="Username recorded as the importer (and checked for publishing).")

    def handle(self, *args, paths, publish, as_json, section, source, user, workers, root, **options):
        missing = [p for p in paths if not os.path.exists(p)]
        if missing:
            raise CommandError(f"No such file or folder: {', '.join(missing)}")
        if workers is None:
            workers = settings.NEWSROOM_INGEST_WORKERS
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        ingest_options = IngestOptions(publish=publish, source_name=source, workers=workers)
        if section:
            ingest_options.section = Section.objects.filter(slug=section).first()
            if ingest_options.section is None:
                raise CommandError(f"No section with the slug {section!r}.")
        if user:
            ingest_options.by = get_user_model().objects.filter(username=user).first()
            if ingest_options.by is None:
                raise CommandError(f"No user named {user!r}.")
            if publish and not permissions.can_publish(ingest_options.by):
                raise CommandError(f"{user} may not publish stories; leave out --publish.")

        files = wire_files(paths)  # walked once: the progress bar's total, then the batch itself
        total = len(files)
        quiet = total < 2 or options["verbosity"] < 1 or not sys.stderr.isatty()
        bar = tqdm(total=total, unit="file", file=sys.stderr, disable=quiet, desc="Ingesting", leave=False)
        seen_files = set()

        def progress(result):
            if as_json:
                self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            elif result.status == FAILED:
                bar.write(f"{result.file}: {result.error}", file=self.stderr)
            elif options["verbosity"] > 1:
                bar.write(f"{result.file}: {result.status} {result.guid} {result.message}".rstrip(),
                          file=self.stdout)
            if result.file not in seen_files:
                seen_files.add(result.file)
                bar.update(1)

        results = ingest_paths(paths, options=ingest_options, progress=progress, root=root)
        bar.close()
        counts = count_statuses(results)
        summary = (f"imported {counts[IMPORTED]}, updated {counts[UPDATED]}, unchanged {counts[UNCHANGED]}, "
                   f"failed {counts[FAILED]}")
        if counts[IGNORED]:
            summary += f" (ignored {counts[IGNORED]} older versions)"
        (self.stderr if as_json else self.stdout).write(summary)
        if counts[FAILED]:
            sys.exit(1)
