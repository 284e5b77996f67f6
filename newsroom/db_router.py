"""Optional read replica: anonymous GETs of public pages read from DATABASES["replica"].

Off unless DATABASE_REPLICA_URL is set (settings then add the "replica" alias and ReplicaRouter).
Everything else -- the admin, writes, logged-in staff, management commands -- uses the primary, so
replication lag never hides an editor's own change from them.
"""
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_read_from_replica = ContextVar("newsroom_read_from_replica", default=False)


@contextmanager
def reading_from_replica():
    """Within this block, ORM reads go to the replica (when one is configured)."""
    token = _read_from_replica.set(True)
    try:
        yield
    finally:
        _read_from_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _read_from_replica.get() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data.
        return {obj1._state.db, obj2._state.db} <= {"default", REPLICA} or None

    def allow_migrate(self, db, app_label, **hints):
        return False if db == REPLICA else None


class ReplicaReadsMiddleware:
    """Sends the reads of anonymous GET/HEAD requests outside the admin to the replica."""

    excluded_prefixes = ("/admin/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def uses_replica(self, request):
        return (
            REPLICA in settings.DATABASES
            and request.method in ("GET", "HEAD")
            and not request.path_info.startswith(self.excluded_prefixes)
            # A session cookie means someone logged in (staff preview): read their own writes.
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    def __call__(self, request):
        if not self.uses_replica(request):
            return self.get_response(request)
        with reading_from_replica():
            return self.get_response(request)
