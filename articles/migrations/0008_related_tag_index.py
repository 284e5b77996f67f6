"""Each tag's newest stories as an index-only scan ("more on this", articles/related.py): the
(tag_id, object_id) index left content_type_id to the table, a heap visit per tagged story."""

from django.db import migrations

TAG_INDEX = (
    "CREATE INDEX IF NOT EXISTS article_taggeditem_tag_type_object_idx "
    "ON taggit_taggeditem (tag_id, content_type_id, object_id)"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TAG_INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_taggeditem_tag_type_object_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_story_drafts"),
        ("taggit", "__latest__"),
    ]

    operations = [migrations.RunPython(create, drop)]
