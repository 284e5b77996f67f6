from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "pipeline"
    verbose_name = "Pipeline"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import queue  # noqa: F401  (connects the failure recorder to django-tasks' signal)
