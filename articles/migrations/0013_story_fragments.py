"""Stored story fragments (articles/fragments.py) and, on PostgreSQL, the triggers that blank them.

Each trigger runs in the writer's transaction and upserts the fragment row of every story the
changed row shows on: a reader storing a fragment locks that row first, so it waits for the writer
(then reads what it wrote) or the writer waits for it (then blanks what it stored).
"""

from django.db import migrations, models

# table -> the stories a row of it shows on, as SQL over the row (written R).
STORIES_OF_ROW = {
    "articles_article": "SELECT R.id",
    "articles_caption": "SELECT R.article_id",
    "articles_articleauthor": "SELECT R.article_id",
    "articles_articlenote": "SELECT R.article_id",
    "articles_photo": "SELECT article_id FROM articles_caption WHERE photo_id = R.id",
    "articles_rendition": "SELECT article_id FROM articles_caption WHERE photo_id = R.photo_id",
    "articles_section": "SELECT id FROM articles_article WHERE section_id = R.id",
    "articles_source": "SELECT id FROM articles_article WHERE source_id = R.id",
    "articles_author": "SELECT article_id FROM articles_articleauthor WHERE author_id = R.id",
    # Any tagged object's id: a tag of some other model blanks at most an unrelated story's fragment.
    "taggit_taggeditem": "SELECT R.object_id",
    "taggit_tag": "SELECT object_id FROM taggit_taggeditem WHERE tag_id = R.id",
}


def function_sql(table, stories):
    name = f"fragment_stale_{table}"
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {blank(stories.replace("R.", "OLD."))}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {blank(stories.replace("R.", "NEW."))}
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS {name}_trg ON {table};
CREATE TRIGGER {name}_trg AFTER INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {name}();
"""


def blank(stories):
    return (
        "INSERT INTO articles_storyfragment (article_id, format, tag_ids, keys) "
        f"SELECT DISTINCT s.id, '', '[]'::jsonb, '[]'::jsonb FROM ({stories}) AS s(id) "
        "WHERE s.id IS NOT NULL AND EXISTS (SELECT 1 FROM articles_article a WHERE a.id = s.id) "
        # In id order, so two writers blanking overlapping stories lock them in the same order.
        "ORDER BY 1 ON CONFLICT (article_id) DO UPDATE SET html = NULL, head = NULL, card_image = NULL, lead_image = NULL;"
    )


# A deleted story's fragment goes with it (there is no foreign key to cascade).
DELETE_SQL = """
CREATE OR REPLACE FUNCTION fragment_drop_article() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM articles_storyfragment WHERE article_id = OLD.id;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS fragment_drop_article_trg ON articles_article;
CREATE TRIGGER fragment_drop_article_trg AFTER DELETE ON articles_article
    FOR EACH ROW EXECUTE FUNCTION fragment_drop_article();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # elsewhere fragments are rendered per request, never stored (articles.fragments.stores)
    for table, stories in STORIES_OF_ROW.items():
        schema_editor.execute(function_sql(table, stories))
    schema_editor.execute(DELETE_SQL)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in STORIES_OF_ROW:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS fragment_stale_{table}_trg ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS fragment_stale_{table}()")
    schema_editor.execute("DROP TRIGGER IF EXISTS fragment_drop_article_trg ON articles_article")
    schema_editor.execute("DROP FUNCTION IF EXISTS fragment_drop_article()")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_related_tag_index"),
        ("taggit", "__latest__"),
    ]

    operations = [
        migrations.CreateModel(
            name="StoryFragment",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="fragment",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("format", models.CharField(blank=True, max_length=40)),
                ("html", models.TextField(null=True)),
                ("head", models.TextField(null=True)),
                ("card_image", models.TextField(null=True)),
                ("lead_image", models.TextField(null=True)),
                ("tag_ids", models.JSONField(default=list)),
                ("keys", models.JSONField(default=list)),
                ("valid_until", models.DateTimeField(null=True)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
