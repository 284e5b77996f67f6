from django.apps import AppConfig
from django.db.backends.signals import connection_created


class NewsroomConfig(AppConfig):
    name = "newsroom"

    def ready(self):
        from .db_plans import install_plan_switch

        # A reader's request runs its statements with generic plans, the desk's with PostgreSQL's default.
        connection_created.connect(install_plan_switch, dispatch_uid="newsroom-plan-switch")
