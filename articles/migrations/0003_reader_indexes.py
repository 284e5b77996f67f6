"""Indexes for bounded reader queries: embargo ends (the cache generation's clock) and each tag's
newest stories ("more on this", articles/related.py) on taggit's table."""

from django.db import migrations, models

TAG_INDEX = "CREATE INDEX IF NOT EXISTS article_taggeditem_tag_object_idx ON taggit_taggeditem (tag_id, object_id)"


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_roles"),
        ("taggit", "__latest__"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("embargo_until__isnull", False), ("status", "published")),
                fields=["embargo_until"],
                name="article_embargo_idx",
            ),
        ),
        migrations.RunSQL(TAG_INDEX, "DROP INDEX IF EXISTS article_taggeditem_tag_object_idx"),
    ]
