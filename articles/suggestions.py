"""'Did you mean': a better-spelled query, from the words of published stories (PostgreSQL only).

The vocabulary (SearchTerm) holds the words of the headlines and standfirsts of the stories
published now, with how many stories use each; it is rebuilt from ``Article.objects.published()``
after every write to a story that is or was public (editing.locked_story queues the task), and
every few minutes for stories that go live by the clock (pipeline/schedule.py). A misspelled word
is replaced by the most similar vocabulary word (pg_trgm trigram similarity, GIN-indexed), and a
suggestion is offered only if it finds published stories itself: so no word of a draft, scheduled,
embargoed or killed story is ever suggested, even in the moment before a rebuild.
"""

import re

from django.db import connection, transaction

from pipeline.queue import background_task

from .models import Article
from .search import clean_query, search_articles, uses_full_text

MIN_LENGTH = 3  # shorter words are left as typed: too few trigrams to judge them by
MAX_WORDS = 8
# Words worth correcting: letters of space-separated scripts (spaceless runs stay as typed).
CORRECTABLE = re.compile(r"^[^\W\d_]+$")

REBUILD_SQL = """
INSERT INTO articles_searchterm (term, stories)
SELECT word, count(*)
FROM ({published}) AS story,
     unnest(tsvector_to_array(to_tsvector('pg_catalog.simple', story.headline || ' ' || story.dek))) AS word
WHERE char_length(word) BETWEEN {min_length} AND 60 AND word ~ '^[[:alpha:]]+$'
GROUP BY word
"""

CLOSEST_SQL = """
SELECT (SELECT t.term FROM articles_searchterm t
        WHERE t.term %% q.word
        ORDER BY similarity(t.term, q.word) DESC, t.stories DESC, t.term
        LIMIT 1)
FROM unnest(%s::text[]) WITH ORDINALITY AS q(word, n)
ORDER BY q.n
"""


def rebuild_search_terms(now=None):
    """Replace the vocabulary with the words of the stories published at `now`, in one transaction."""
    if not uses_full_text():
        return
    published, params = Article.objects.published(now).order_by().values("headline", "dek").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # DELETE, not TRUNCATE: searches running meanwhile keep reading the old vocabulary.
        cursor.execute("DELETE FROM articles_searchterm")
        cursor.execute(REBUILD_SQL.format(published=published, min_length=MIN_LENGTH), params)


@background_task(retries=3, backoff=30)
def refresh_search_terms():
    """Task: rebuild the "did you mean" vocabulary (queued after writes to public stories)."""
    rebuild_search_terms()


def suggest_query(query, **filters):
    """A respelled `query` that finds published stories (with the same filters), or ""."""
    query = clean_query(query)
    if not query or not uses_full_text():
        return ""
    tokens = query.split()[:MAX_WORDS]
    correctable = [n for n, token in enumerate(tokens) if CORRECTABLE.match(token) and len(token) >= MIN_LENGTH]
    if not correctable:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(CLOSEST_SQL, [[tokens[n].lower() for n in correctable]])
        closest = [row[0] for row in cursor.fetchall()]
    respelled = list(tokens)
    for n, term in zip(correctable, closest, strict=True):
        if term and term != tokens[n].lower():
            respelled[n] = term
    suggestion = " ".join(respelled)
    if suggestion == " ".join(tokens) or not search_articles(suggestion, **filters).exists():
        return ""
    return suggestion
