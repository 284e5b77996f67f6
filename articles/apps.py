from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import control_characters, embargo_audit
        from .cdn_purge import connect_signals
        from .roles import grant_new_permissions

        connect_signals()
        control_characters.connect_signals()
        embargo_audit.connect_signals()
        post_migrate.connect(grant_new_permissions, sender=self, dispatch_uid="articles-role-permissions")
