"""The plan PostgreSQL picks for a page's query when scans and sorts are off."""

from django.db import connection


def index_plan(sql):
    """EXPLAIN of `sql` with sequential scans and sorts forbidden: a test's tables are tiny, where a
    scan and a sort always win, so this shows which index would serve the order on a real archive."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}")
        return " ".join(row[0] for row in cursor.fetchall())
