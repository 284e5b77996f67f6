"""The PostgreSQL cursor of every connection when prepared statements are on (settings.prepared_statements).

psycopg prepares a statement once it has run a few times on a connection, and a reader's request
asks PostgreSQL to keep one generic plan for each statement, whatever its parameters
(``plan_cache_mode = force_generic_plan``, newsroom/db_plans.py). That is what saves the planning
of a page's queries. A
full-text match is the exception: its best plan depends on the words searched (a rare word: the GIN
index; two common ones: the newest stories first), and a generic plan cannot tell them apart. At
100,000 stories it made Korean searches' p95 300 ms or more instead of about 50 (bench/pages.py
--large). So a statement that matches a text search vector (``@@``) is sent with its values
written into it, as Django's default client-side binding does: PostgreSQL plans it for its own
words each time (a statement without parameters has only the plan made for what it says).
"""

from django.db.backends.postgresql.base import ServerBindingCursor
from psycopg import ClientCursor

TEXT_SEARCH_MATCH = "@@"


class PlannedSearchCursor(ServerBindingCursor):
    def execute(self, query, params=None, *, prepare=None, binary=None):
        if params is not None and isinstance(query, str) and TEXT_SEARCH_MATCH in query:
            query, params, prepare = ClientCursor(self.connection).mogrify(query, params), None, False
        return super().execute(query, params, prepare=prepare, binary=binary)
