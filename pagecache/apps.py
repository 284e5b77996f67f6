from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Public page cache"

    def ready(self):
        from .generation import install_write_hook, migration_finished, migration_started

        # Every connection publishes the content generation after its writes (generation.py).
        connection_created.connect(install_write_hook, dispatch_uid="pagecache-write-hook")
        pre_migrate.connect(migration_started, dispatch_uid="pagecache-migration-started")
        post_migrate.connect(migration_finished, dispatch_uid="pagecache-migration-finished")
