"""The desk's roles: which Django permissions each group holds.

The groups are created by migration 0002_roles; `manage.py sync_roles` re-applies this table
after new models (and so new permissions) arrive.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

VIEW = ["view"]
EDIT = ["add", "change", "view"]
ALL = ["add", "change", "delete", "view"]

# Permissions no model declares: (app_label, model, codename, name).
EXTRA_PERMISSIONS = [
    ("articles", "caption", "edit_any_caption", "Can edit photos, captions and credits on any story"),
]

# role -> {(app_label, model): [actions] or "*"}; "*" on an app label grants the whole app.
ROLES = {
    "Reporter": {
        ("articles", "article"): EDIT,
        ("articles", "articleauthor"): ALL,
        ("articles", "caption"): ALL,
        ("articles", "photo"): ["add", "view"],  # upload; photo editors fix metadata
        ("articles", "author"): VIEW,
        ("articles", "section"): VIEW,
        ("articles", "source"): VIEW,
        ("articles", "articlenote"): VIEW,
        ("taggit", "tag"): EDIT,
    },
    "Editor": {
        ("articles", "article"): EDIT + ["publish"],
        ("articles", "articleauthor"): ALL,
        ("articles", "caption"): ALL,
        ("articles", "photo"): EDIT,
        ("articles", "author"): EDIT,
        ("articles", "section"): VIEW,
        ("articles", "source"): VIEW,
        ("articles", "articlenote"): ALL,  # editors fix and delete corrections (publishing.edit_note)
        ("articles", "articleredirect"): VIEW,
        ("taggit", "tag"): EDIT,
        ("wire", "wireversion"): VIEW,
        ("wire", "sectionrule"): ALL,
        ("newsletter", "edition"): EDIT,
        ("newsletter", "delivery"): VIEW,
        # The front page: pin stories, preview, publish or schedule (docs/front-page.md).
        ("frontpage", "frontlayout"): ["change", "view", "publish"],
    },
    "Photo editor": {
        # change_article is needed to reach a story's captions; permissions.can_edit_content keeps
        # the story's own fields read-only for photo editors.
        ("articles", "article"): ["change", "view"],
        ("articles", "caption"): ALL + ["edit_any"],
        ("articles", "photo"): ALL,
        ("articles", "rendition"): ALL,
        ("articles", "source"): VIEW,
        ("taggit", "tag"): VIEW,
    },
    "Admin": {
        ("articles", "*"): "*",
        ("auth", "*"): "*",
        ("taggit", "*"): "*",
        ("reversion", "*"): "*",
        ("wire", "*"): "*",
        ("newsletter", "*"): "*",
        ("readership", "*"): "*",
        ("frontpage", "*"): "*",
        # Staff sign-in: read the audit log, unlock a locked-out login, remove a lost authenticator.
        ("audit", "auditentry"): VIEW,
        ("axes", "accessattempt"): ["view", "delete"],
        ("axes", "accessfailurelog"): VIEW,
        ("axes", "accesslog"): VIEW,
        ("mfa", "authenticator"): ["view", "delete"],
    },
}


def apply_roles(apps, roles=ROLES, *, reset=True):
    """Create the role groups and set their permissions as in `roles`.

    With reset=False, only add what is missing to groups that already exist (never remove).
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    if not reset and not Group.objects.filter(name__in=list(roles)).exists():
        return  # nothing to top up (before migration 0002, or right after a flush)
    # Permissions are normally created after migrate; make sure they exist before we hand them out.
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, model, codename, name in EXTRA_PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        Permission.objects.update_or_create(content_type=content_type, codename=codename, defaults={"name": name})
    for name, grants in roles.items():
        if reset:
            group, _ = Group.objects.get_or_create(name=name)
        else:
            group = Group.objects.filter(name=name).first()
            if group is None:
                continue
        permissions = []
        for (app_label, model), actions in grants.items():
            in_app = Permission.objects.filter(content_type__app_label=app_label)
            if model == "*":
                permissions += list(in_app)
                continue
            codenames = [f"{action}_{model}" for action in actions]  # "publish" + "article" -> publish_article
            permissions += in_app.filter(content_type__model=model, codename__in=codenames)
        if reset:
            group.permissions.set(permissions)
        else:
            group.permissions.add(*permissions)


def grant_new_permissions(sender, apps=global_apps, using="default", **kwargs):
    """post_migrate: give existing role groups the permissions of models added since they were made."""
    try:
        apply_roles(apps, reset=False)
    except LookupError:  # auth or contenttypes not migrated (yet): nothing to grant
        return
