"""A reader's request (an anonymous GET or HEAD outside the admin) and where its reads go.

Optional read replica: a reader's reads come from DATABASES["replica"]. Off unless
DATABASE_REPLICA_URL is set (settings then add the "replica" alias and ReplicaRouter). Everything
else -- the admin, writes, logged-in staff, management commands -- uses the primary, so replication
lag never hides an editor's own change from them. Whichever database it reads, a reader's request
runs its statements with one generic plan each (newsroom/db_plans.py).
"""
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_serving_reader = ContextVar("newsroom_serving_reader", default=False)


@contextmanager
def serving_reader():
    """Within this block, the code serves a reader's request: the replica (when one is configured)
    and generic plans (db_plans.py)."""
    token = _serving_reader.set(True)
    try:
        yield
    finally:
        _serving_reader.reset(token)


def is_serving_reader():
    return _serving_reader.get()


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _serving_reader.get() and REPLICA in settings.DATABASES else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data.
        return {obj1._state.db, obj2._state.db} <= {"default", REPLICA} or None

    def allow_migrate(self, db, app_label, **hints):
        return False if db == REPLICA else None


DESK_PREFIXES = ("/admin/",)


def is_reader_request(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.path_info.startswith(DESK_PREFIXES)
        # A session cookie means someone logged in (staff preview): read their own writes.
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


class ReaderReadsMiddleware:
    """A reader's request reads from the replica (when there is one), with generic plans."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_reader_request(request):
            return self.get_response(request)
        with serving_reader():
            return self.get_response(request)
