"""Create the desk's role groups (Reporter, Editor, Photo editor, Admin); see articles/roles.py."""
from django.db import migrations


def create_roles(apps, schema_editor):
    from articles.roles import apply_roles

    apply_roles(apps)


def remove_roles(apps, schema_editor):
    from articles.roles import ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "__latest__"),
        ("contenttypes", "__latest__"),
        ("taggit", "__latest__"),
        ("reversion", "__latest__"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
