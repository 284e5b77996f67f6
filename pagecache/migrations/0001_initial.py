"""The generation counters and the triggers that bump them (see pagecache/generation.py)."""

from django.db import migrations, models

# Every table whose rows a public page, feed or sitemap shows. Renditions are left out on purpose:
# pages make missing ones while rendering, and that must not invalidate the page being cached.
WATCHED_TABLES = [
    "articles_article",
    "articles_section",
    "articles_source",
    "articles_author",
    "articles_articleauthor",
    "articles_caption",
    "articles_photo",
    "articles_articlenote",
    "articles_articleredirect",
    "taggit_tag",
    "taggit_taggeditem",
]
SLOTS = 64

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION pagecache_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    tx text := txid_current()::text;
    held text := current_setting('pagecache.slot', true);
    picked int;
BEGIN
    IF held IS NOT NULL AND split_part(held, ':', 1) = tx THEN
        -- This transaction already holds a slot: bump it again (it never waits on itself).
        picked := split_part(held, ':', 2)::int;
    ELSE
        SELECT slot INTO picked FROM pagecache_generation ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED;
        picked := coalesce(picked, 0);  -- every slot busy (or the table emptied): wait for slot 0
        PERFORM set_config('pagecache.slot', tx || ':' || picked, true);
    END IF;
    INSERT INTO pagecache_generation (slot, value) VALUES (picked, 1)
        ON CONFLICT (slot) DO UPDATE SET value = pagecache_generation.value + 1;
    RETURN NULL;
END $$;
"""


def create_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_FUNCTION)
            for table in WATCHED_TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS pagecache_bump_trg ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER pagecache_bump_trg AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION pagecache_bump()"
                )
            cursor.execute(
                "INSERT INTO pagecache_generation (slot, value) SELECT s, 0 FROM generate_series(0, %s) s "
                "ON CONFLICT DO NOTHING",
                [SLOTS - 1],
            )
        elif connection.vendor == "sqlite":
            # SQLite serializes writers, so one slot will do; it has only row-level triggers.
            for table in WATCHED_TABLES:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS pagecache_bump_{table}_{event.lower()} AFTER {event} ON {table} "
                        "BEGIN INSERT INTO pagecache_generation (slot, value) VALUES (0, 1) "
                        "ON CONFLICT (slot) DO UPDATE SET value = value + 1; END"
                    )
            cursor.execute("INSERT OR IGNORE INTO pagecache_generation (slot, value) VALUES (0, 0)")


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table in WATCHED_TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS pagecache_bump_trg ON {table}")
            elif connection.vendor == "sqlite":
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS pagecache_bump_{table}_{event}")
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS pagecache_bump()")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0002_roles"),
        ("taggit", "__latest__"),
    ]

    operations = [
        migrations.CreateModel(
            name="GenerationSlot",
            fields=[
                ("slot", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={"db_table": "pagecache_generation"},
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
