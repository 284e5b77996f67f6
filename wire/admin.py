"""The desk's wire page: upload agency items and see what became of each; the ingest log."""
from pathlib import PurePosixPath

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from articles import permissions
from wire.ingest import WIRE_SUFFIXES, IngestOptions, count_statuses, ingest_uploads
from wire.ingest.resolvers import UploadResolver

from .forms import WireUploadForm
from .models import WireVersion

INGEST_PERMISSION = "articles.add_article"


@admin.register(WireVersion)
class WireVersionAdmin(admin.ModelAdmin):
    list_display = ["guid", "version", "story", "version_created", "copyright_holder", "ingested_at", "ingested_by"]
    list_select_related = ["article", "ingested_by"]
    search_fields = ["guid", "article__headline", "copyright_holder"]
    date_hierarchy = "ingested_at"
    change_list_template = "admin/wire/wireversion/change_list.html"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(INGEST_PERMISSION) or super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return request.user.has_perm(INGEST_PERMISSION) or super().has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Story", ordering="article__headline")
    def story(self, version):
        url = reverse("admin:articles_article_change", args=[version.article_id])
        return format_html('<a href="{}">{}</a>', url, version.article.headline)

    def get_urls(self):
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="wire_upload")
        return [upload, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_upload": request.user.has_perm(INGEST_PERMISSION)}
        return super().changelist_view(request, extra_context)

    def upload_view(self, request):
        """Editors upload wire items (and their pictures); the page lists what happened to each."""
        if not request.user.has_perm(INGEST_PERMISSION):
            raise PermissionDenied
        can_publish = permissions.can_publish(request.user)
        results = None
        if request.method == "POST":
            form = WireUploadForm(request.POST, request.FILES, can_publish=can_publish)
            if form.is_valid():
                files = form.cleaned_data["files"]
                items = [f for f in files if PurePosixPath(f.name).suffix.lower() in WIRE_SUFFIXES]
                options = IngestOptions(publish=can_publish and form.cleaned_data.get("publish", False),
                                        by=request.user)
                results = ingest_uploads(items, options=options, resolver=UploadResolver(files))
                form = WireUploadForm(can_publish=can_publish)
        else:
            form = WireUploadForm(can_publish=can_publish)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Upload wire files",
            "form": form,
            "results": results,
            "counts": count_statuses(results) if results is not None else None,
            "can_publish": can_publish,
        }
        return TemplateResponse(request, "admin/wire/upload.html", context)
