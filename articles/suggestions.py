"""'Did you mean': a better-spelled query, from the words of published stories (PostgreSQL only).

The vocabulary (SearchTerm) holds the words of the headlines and standfirsts of the stories
published now, with how many stories use each. A publish adds the story's words (one story read);
a story leaving the site (kill, back to draft) rebuilds the vocabulary from
``Article.objects.published()`` (every published story read: seconds at 100,000 stories), and so
does the scheduler every 5 minutes, for stories that go live by the clock and edits of live
stories (publishing._after_move queues the tasks once the move commits). A misspelled word
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

TERMS_SQL = """
INSERT INTO articles_searchterm (term, stories)
SELECT word, count(*)
FROM ({published}) AS story,
     unnest(tsvector_to_array(to_tsvector('pg_catalog.simple', story.headline || ' ' || story.dek))) AS word
WHERE char_length(word) BETWEEN {min_length} AND 60 AND word ~ '^[[:alpha:]]+$'
GROUP BY word
"""
ADD_SQL = TERMS_SQL + "ON CONFLICT (term) DO UPDATE SET stories = articles_searchterm.stories + excluded.stories"

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
        cursor.execute(TERMS_SQL.format(published=published, min_length=MIN_LENGTH), params)


def add_story_terms(article_id, now=None):
    """Add the words of one story to the vocabulary, if it is published at `now` (a publish: cheap)."""
    if not uses_full_text():
        return
    story = Article.objects.published(now).filter(pk=article_id).values("headline", "dek")
    published, params = story.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(ADD_SQL.format(published=published, min_length=MIN_LENGTH), params)


@background_task(retries=3, backoff=30)
def refresh_search_terms():
    """Task: rebuild the "did you mean" vocabulary (after a story leaves the site; every 5 minutes)."""
    rebuild_search_terms()


@background_task(retries=3, backoff=30)
def add_published_story_terms(article_id):
    """Task: add a just-published story's words (a full rebuild reads every published story)."""
    add_story_terms(article_id)


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
