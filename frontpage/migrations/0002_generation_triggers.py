"""The front page layout is reader-visible: its tables bump the content generation like the
story tables do (the function and the slots are pagecache/migrations/0001_initial.py's)."""

from django.db import migrations

WATCHED_TABLES = ["frontpage_frontlayout", "frontpage_frontslot"]


def create_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table in WATCHED_TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS pagecache_bump_trg ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER pagecache_bump_trg AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION pagecache_bump()"
                )
            elif connection.vendor == "sqlite":
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS pagecache_bump_{table}_{event.lower()} AFTER {event} ON {table} "
                        "BEGIN INSERT INTO pagecache_generation (slot, value) VALUES (0, 1) "
                        "ON CONFLICT (slot) DO UPDATE SET value = value + 1; END"
                    )


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table in WATCHED_TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS pagecache_bump_trg ON {table}")
            elif connection.vendor == "sqlite":
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS pagecache_bump_{table}_{event}")


class Migration(migrations.Migration):
    dependencies = [
        ("frontpage", "0001_initial"),
        ("pagecache", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
