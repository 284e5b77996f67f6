"""Search for scripts written without spaces between words (Korean, Chinese, Japanese, Thai, ...),
and the vocabulary behind "did you mean" (articles/search.py, docs/deploying.md "Search").

PostgreSQL's parser sees "평양에서" as one word, so "평양" never matched it. Every run of such
characters now also goes into the story's search vector as overlapping two-character grams
("평양 양에 에서 서", the run's last character alone so a one-character query can match as a
prefix); a query's runs become phrases of the same grams, so a substring of a run matches, through
the same GIN index as the English words. The trigger stays the one home of the vector: every
insert and update (admin, ingest, bulk_create, shell) keeps it current.

The backfill rewrites only stories that contain such characters (the others' vectors are
unchanged), in batches of 2,000 ids, each committed on its own: a story is locked only while its
batch runs, so the desk keeps working during a long backfill (docs/deploying.md, "Search").
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models, transaction

# The same ranges as articles.search.SPACELESS (tests/test_search_cjk.py checks that both agree):
# Thai, Lao, Myanmar, Hangul Jamo, Khmer, Hiragana and Katakana, Hangul compatibility Jamo, CJK
# extension A, CJK unified ideographs, Hangul syllables, CJK compatibility ideographs, halfwidth Katakana.
SPACELESS_CLASS = (
    r"[\u0E00-\u0EFF\u1000-\u109F\u1100-\u11FF\u1780-\u17FF\u3040-\u30FF\u3130-\u318F"
    r"\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F]"
)

SEARCH_SQL = f"""
CREATE OR REPLACE FUNCTION articles_spaceless_grams(doc text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(substr(m.run[1], i, 2), ' ' ORDER BY m.n, i), '')
    FROM regexp_matches(doc, '{SPACELESS_CLASS}+', 'g') WITH ORDINALITY AS m(run, n),
         generate_series(1, char_length(m.run[1])) AS i
$$;

CREATE OR REPLACE FUNCTION articles_search_document(headline text, dek text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT
        setweight(to_tsvector('pg_catalog.english', coalesce(headline, '')), 'A') ||
        setweight(to_tsvector('pg_catalog.simple', articles_spaceless_grams(coalesce(headline, ''))), 'A') ||
        setweight(to_tsvector('pg_catalog.english', coalesce(dek, '')), 'B') ||
        setweight(to_tsvector('pg_catalog.simple', articles_spaceless_grams(coalesce(dek, ''))), 'B') ||
        setweight(to_tsvector('pg_catalog.english', plain), 'C') ||
        setweight(to_tsvector('pg_catalog.simple', articles_spaceless_grams(plain)), 'C')
    FROM (SELECT coalesce(regexp_replace(body, '<[^>]+>', ' ', 'g'), '') AS plain) AS stripped
$$;

CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector := articles_search_document(NEW.headline, NEW.dek, NEW.body);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

# One batch of the backfill: only stories with such characters get a different vector.
BACKFILL_SQL = f"""
UPDATE articles_article
SET search_vector = articles_search_document(headline, dek, body)
WHERE id >= %s AND id < %s AND (headline || ' ' || dek || ' ' || body) ~ '{SPACELESS_CLASS}'
"""
BACKFILL_BATCH = 2000

# Migration 0001's English-only trigger function, for going back.
ENGLISH_ONLY_SQL = """
CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('pg_catalog.english', coalesce(NEW.headline, '')), 'A') ||
        setweight(to_tsvector('pg_catalog.english', coalesce(NEW.dek, '')), 'B') ||
        setweight(to_tsvector('pg_catalog.english',
            coalesce(regexp_replace(NEW.body, '<[^>]+>', ' ', 'g'), '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
DROP FUNCTION IF EXISTS articles_search_document(text, text, text);
DROP FUNCTION IF EXISTS articles_spaceless_grams(text);
"""

TERM_INDEX_SQL = """
CREATE INDEX IF NOT EXISTS article_searchterm_trgm ON articles_searchterm USING gin (term gin_trgm_ops);
DROP TRIGGER IF EXISTS pagecache_bump_trg ON articles_searchterm;
CREATE TRIGGER pagecache_bump_trg AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON articles_searchterm
    FOR EACH STATEMENT EXECUTE FUNCTION pagecache_bump();
"""


def backfill(apps, schema_editor):
    """Recompute the vectors of stories with spaceless text, batch by batch (this migration is not atomic)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM articles_article")
        last = cursor.fetchone()[0]
    for start in range(0, last + 1, BACKFILL_BATCH):
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(BACKFILL_SQL, [start, start + BACKFILL_BATCH])


def postgresql_only(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    atomic = False  # the backfill commits batch by batch; the other steps run atomically each

    dependencies = [
        ("articles", "0008_seo_title"),
        ("pagecache", "0001_initial"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(postgresql_only(SEARCH_SQL), postgresql_only(ENGLISH_ONLY_SQL), atomic=True),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                ("term", models.CharField(max_length=60, primary_key=True, serialize=False)),
                ("stories", models.PositiveIntegerField(default=0)),
            ],
        ),
        # The trigram index answers "which known words look like this one"; the generation trigger
        # makes cached search pages (which show suggestions) follow the vocabulary.
        migrations.RunPython(postgresql_only(TERM_INDEX_SQL), migrations.RunPython.noop, atomic=True),
    ]
