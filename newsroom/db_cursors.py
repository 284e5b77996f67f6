"""The PostgreSQL cursor of every connection when prepared statements are on (settings.prepared_statements).

psycopg prepares a statement once it has run a few times on a connection, and PostgreSQL may then
keep one generic plan for it, whatever its parameters. That is what saves the planning of a page's
queries. A full-text match is the exception: its best plan depends on the words searched (a rare
word: the GIN index; two common ones: the newest stories first), and a generic plan cannot tell
them apart. At 100,000 stories it made Korean searches' p95 366 ms instead of about 50 (bench/pages.py
--large). So a statement that matches a text search vector (``@@``) is never prepared: PostgreSQL
plans it for its own words each time, as it did before prepared statements.
"""

from django.db.backends.postgresql.base import ServerBindingCursor

TEXT_SEARCH_MATCH = "@@"


class PlannedSearchCursor(ServerBindingCursor):
    def execute(self, query, params=None, *, prepare=None, binary=None):
        if prepare is None and isinstance(query, str) and TEXT_SEARCH_MATCH in query:
            prepare = False
        return super().execute(query, params, prepare=prepare, binary=binary)
