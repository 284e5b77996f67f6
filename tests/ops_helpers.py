"""Shared bits for the ops tests that run real tools (pg_dump, gunicorn, nginx) against the test server."""
import psycopg
from django.conf import settings


def database_url(name, user=None):
    """A postgres:// URL for database `name` on the test server, as the test user unless `user` is given."""
    db = settings.DATABASES["default"]
    auth = user or db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def admin_connection():
    """An autocommit connection to the server's `postgres` database, for CREATE/DROP DATABASE and roles."""
    return psycopg.connect(database_url("postgres"), autocommit=True)
