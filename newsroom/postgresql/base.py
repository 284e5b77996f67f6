"""Django's PostgreSQL backend, with a health check that costs no round trip on a quiet connection.

With CONN_HEALTH_CHECKS, Django checks a persistent connection once per request before its first
query, with a "SELECT 1": a round trip on every page that reads the database (about half a
millisecond of an uncached story page's seven). An idle connection in autocommit has nothing to
receive: when the server goes away (a restart, pg_terminate_backend, a failover) it sends its
FATAL message and closes the socket, which makes the socket readable. So a connection that is idle,
not in error and whose socket has nothing to read is usable without asking; anything else -- input
waiting, a transaction open, an error seen -- gets Django's own check.
"""

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is not None and not self.errors_occurred and self.is_quiet():
            return True
        return super().is_usable()

    def is_quiet(self):
        """Is the driver's connection idle, outside a transaction, with nothing from the server to read?"""
        connection = self.connection
        if connection.closed or connection.info.transaction_status != TransactionStatus.IDLE:
            return False
        poller = select.poll()  # not select.select(): a busy process may hold descriptors above 1024
        poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
        return not poller.poll(0)
