from django.db import migrations, models

import articles.models


class Migration(migrations.Migration):
    """Photos get a secret rendition key. Existing photos keep an empty key (their SHA-named renditions
    stay where they are) until withdrawn: `manage.py withdraw_renditions --legacy` does that for every
    photo no live story shows."""

    dependencies = [("articles", "0003_photo_rights")]

    operations = [
        migrations.AddField(
            model_name="photo",
            name="rendition_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=32),
        ),
        migrations.AlterField(
            model_name="photo",
            name="rendition_key",
            field=models.CharField(blank=True, default=articles.models.new_rendition_key, editable=False, max_length=32),
        ),
        migrations.AlterField(
            model_name="photo",
            name="usable_from",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                help_text="The photo may not be shown before this time.",
                null=True,
                verbose_name="embargoed until",
            ),
        ),
    ]
