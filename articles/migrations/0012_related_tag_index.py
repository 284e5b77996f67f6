"""Reader queries that no longer grow with the archive: each tag's newest stories as an index-only
scan ("more on this", articles/related.py: the (tag_id, object_id) index left content_type_id to
the table, a heap visit per tagged story), and the newest published stories with their ids, so a
tag or author page finds its page of ids from indexes only (articles/pagination.py)."""

from django.db import migrations, models

TAG_INDEXES = {
    "article_taggeditem_tag_type_object_idx": "(tag_id, content_type_id, object_id)",
    # Django joins taggit's integer object_id to the story's bigint id as object_id::bigint, which
    # taggit's own (content_type_id, object_id, tag_id) index cannot answer: a tag page then hashed
    # every published story. This one answers "does story N carry tag T" for that join.
    "article_taggeditem_type_object_tag_idx": "(content_type_id, (object_id::bigint), tag_id)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, columns in TAG_INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON taggit_taggeditem {columns}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in TAG_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_note_edited_at"),
        ("taggit", "__latest__"),
    ]

    operations = [
        migrations.RunPython(create, drop),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["-published_at", "-id"],
                include=["embargo_until"],
                name="article_published_newest_idx",
            ),
        ),
    ]
