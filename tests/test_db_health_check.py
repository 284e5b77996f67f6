"""A persistent connection's per-request health check asks the server only when its socket has
something to say (newsroom/postgresql/base.py): a quiet connection costs no round trip, a connection
the server dropped is still found and replaced."""

import time

import psycopg
import pytest
from django.db import connections

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def own_connection():
    """A connection of the default database's settings, outside the test's transaction."""
    wrapper = connections.create_connection("default")
    yield wrapper
    wrapper.close()


def last_statement(pid):
    with psycopg.connect(server_url(), autocommit=True) as other:
        return other.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()[0]


def server_url():
    database = connections["default"].settings_dict
    return f"postgresql://{database['USER']}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"


def test_postgresql_goes_through_the_quiet_check():
    assert connections["default"].settings_dict["ENGINE"] == "newsroom.postgresql"


def test_a_quiet_connection_is_usable_without_a_statement(own_connection):
    with own_connection.cursor() as cursor:
        cursor.execute("SELECT 'the last statement'")
    pid = own_connection.connection.info.backend_pid
    assert own_connection.is_usable()
    assert last_statement(pid) == "SELECT 'the last statement'"


def test_a_connection_the_server_dropped_is_unusable_and_replaced(own_connection):
    own_connection.ensure_connection()
    pid = own_connection.connection.info.backend_pid
    with psycopg.connect(server_url(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while own_connection.is_quiet() and time.monotonic() < deadline:
        time.sleep(0.05)  # the server's goodbye reaches the socket
    assert not own_connection.is_usable()
    # What Django does at a request's first query: check, close the dead one, connect again.
    own_connection.health_check_enabled, own_connection.health_check_done = True, False
    own_connection.close_if_health_check_failed()
    with own_connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert own_connection.connection.info.backend_pid != pid


def test_inside_a_transaction_or_after_an_error_it_asks_the_server(own_connection):
    own_connection.ensure_connection()
    own_connection.set_autocommit(False)
    with own_connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert not own_connection.is_quiet()  # a transaction is open
    own_connection.rollback()
    own_connection.set_autocommit(True)
    own_connection.errors_occurred = True
    pid = own_connection.connection.info.backend_pid
    assert own_connection.is_usable() and last_statement(pid) == "SELECT 1"
