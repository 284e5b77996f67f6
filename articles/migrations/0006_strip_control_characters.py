"""Rows saved before control characters were stripped on save (articles/control_characters.py)
are cleaned once, so no existing story, caption or tag can break a feed or sitemap."""
from django.db import migrations, models

# The characters articles.control_characters strips, but NUL: PostgreSQL text cannot hold it.
PATTERN = "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]"
MODELS = [
    ("articles", "Article"), ("articles", "ArticleNote"), ("articles", "Author"), ("articles", "Caption"),
    ("articles", "Photo"), ("articles", "Section"), ("articles", "Source"), ("taggit", "Tag"),
]


def strip_control_characters(apps, schema_editor):
    import re

    control = re.compile(PATTERN)
    for app_label, name in MODELS:
        model = apps.get_model(app_label, name)
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        dirty = models.Q()
        for field in fields:
            dirty |= models.Q(**{f"{field}__regex": PATTERN})
        for row in model.objects.filter(dirty).values("pk", *fields):
            changes = {f: control.sub("", row[f]) for f in fields if isinstance(row[f], str) and control.search(row[f])}
            model.objects.filter(pk=row["pk"]).update(**changes)  # no save(): versions and times stay


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_reader_indexes"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(strip_control_characters, migrations.RunPython.noop)]
