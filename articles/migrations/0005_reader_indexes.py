"""Indexes for bounded reader queries: embargo ends, licence ends and photo embargoes (the cache
generation's clock) and each tag's newest stories ("more on this", articles/related.py) on taggit's table."""

from django.db import migrations, models

TAG_INDEX = "CREATE INDEX IF NOT EXISTS article_taggeditem_tag_object_idx ON taggit_taggeditem (tag_id, object_id)"


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_photo_rendition_key"),
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
        migrations.AddIndex(
            model_name="photo",
            index=models.Index(
                condition=models.Q(("expires_at__isnull", False)), fields=["expires_at"], name="photo_expires_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="photo",
            index=models.Index(
                condition=models.Q(("usable_from__isnull", False)), fields=["usable_from"], name="photo_usable_from_idx"
            ),
        ),
        migrations.RunSQL(TAG_INDEX, "DROP INDEX IF EXISTS article_taggeditem_tag_object_idx"),
    ]
