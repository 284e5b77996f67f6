from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("admin/pipeline/", views.pipeline_page, name="pipeline"),
    path("admin/pipeline.json", views.pipeline_json, name="pipeline-json"),
]
