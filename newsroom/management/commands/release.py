"""Run once per deploy before the web replicas start: migrate, collect and publish static files."""
import shutil
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.core.management import BaseCommand, call_command
from django.db import DEFAULT_DB_ALIAS, connections

# Any constant shared by every replica; pg_advisory_lock takes a bigint.
MIGRATION_LOCK_ID = 0x4E657773  # "News"


class Command(BaseCommand):
    help = (
        "Apply migrations under a PostgreSQL advisory lock (replicas starting together never race), "
        "collect static files if this build has not, and copy them to STATIC_PUBLISH_DIR for nginx."
    )

    def add_arguments(self, parser):
        parser.add_argument("--publish-static", default=None, help="Folder nginx serves /static/ from.")

    def handle(self, *args, publish_static=None, verbosity=1, **options):
        self.migrate(verbosity)
        self.collect_static(verbosity)
        self.ensure_media_folders()
        if publish_static:
            # Old hashed files stay: pages cached before this deploy still find their CSS and JS.
            shutil.copytree(settings.STATIC_ROOT, publish_static, dirs_exist_ok=True)
            self.stdout.write(f"Published static files to {publish_static}")

    def migrate(self, verbosity):
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor != "postgresql":
            call_command("migrate", interactive=False, verbosity=verbosity)
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_ID])
            try:
                call_command("migrate", interactive=False, verbosity=verbosity)
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_ID])

    def collect_static(self, verbosity):
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if settings.DEBUG or not manifest.exists():
            call_command("collectstatic", interactive=False, verbosity=max(verbosity - 1, 0))
        else:
            self.stdout.write("Static files were collected at build time.")

    def ensure_media_folders(self):
        # A fresh local volume has no folders yet; /readyz checks that both stores are reachable.
        for name in ("default", "originals"):
            location = getattr(storages[name], "location", None)
            if location:
                Path(location).mkdir(parents=True, exist_ok=True)
