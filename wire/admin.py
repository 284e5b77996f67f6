"""The desk's wire page: upload agency items and see what became of each; the ingest log."""
from pathlib import PurePosixPath

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from articles import permissions
from articles.models import Article
from wire.ingest import WIRE_SUFFIXES, IngestOptions, count_statuses, ingest_uploads
from wire.ingest.resolvers import UploadResolver

from . import pending
from .forms import WireUploadForm
from .models import Intake, IntakeFailure, PendingUpdate, SectionRule, WireVersion

INGEST_PERMISSION = "articles.add_article"


class StoryWireRecordAdmin(admin.ModelAdmin):
    """Read-only wire records of stories: whoever may ingest sees them, but only for the stories
    they may edit (reporters see, and can search the GUIDs of, their own stories' records only)."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(INGEST_PERMISSION) or super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return request.user.has_perm(INGEST_PERMISSION) or super().has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        stories = permissions.editable_stories(request.user, Article.objects.all())
        return super().get_queryset(request).filter(article__in=stories)


@admin.register(WireVersion)
class WireVersionAdmin(StoryWireRecordAdmin):
    list_display = ["guid", "version", "story", "version_created", "copyright_holder", "ingested_at", "ingested_by"]
    list_select_related = ["article", "ingested_by"]
    search_fields = ["guid", "article__headline", "copyright_holder"]
    date_hierarchy = "ingested_at"
    change_list_template = "admin/wire/wireversion/change_list.html"


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


@admin.register(PendingUpdate)
class PendingUpdateAdmin(StoryWireRecordAdmin):
    """Agency updates waiting for an editor; a row opens the three-way review (wire.pending)."""

    list_display = ["story", "kind", "wire_version", "state", "created_at", "reason"]
    list_filter = ["state", "kind"]
    list_select_related = ["article", "wire_version"]
    search_fields = ["article__headline"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Story", ordering="article__headline")
    def story(self, update):
        return update.article.headline

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The three-way review: agency before, agency now and ours, with a choice per field."""
        update = self.get_object(request, object_id)
        if update is None:
            raise PermissionDenied
        error = None
        if request.method == "POST":
            try:
                version = int(request.POST.get("story_version", ""))
            except ValueError:
                version = None
            try:
                if "_dismiss" in request.POST:
                    pending.dismiss(update, by=request.user)
                    self.message_user(request, "The agency update was dismissed; the story is unchanged.")
                else:
                    choices = {row["name"]: request.POST.get(f"choice_{row['name']}", pending.OURS)
                               for row in pending.review(update)}
                    changed = pending.apply(update, choices, by=request.user, story_version=version)
                    self.message_user(request, f"Applied: {', '.join(changed) or 'nothing'}.")
                return HttpResponseRedirect(reverse("admin:articles_article_change", args=[update.article_id]))
            except (ValidationError, PermissionDenied) as refused:
                error = " ".join(getattr(refused, "messages", [str(refused)])) or "You may not apply this update."
            update.refresh_from_db()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Agency update for “{update.article}”",
            "original": update,
            "update": update,
            "article": update.article,
            "rows": pending.review(update),
            "may_apply": pending.may_apply(request.user, update),
            "error": error,
        }
        return TemplateResponse(request, "admin/wire/pendingupdate/review.html", context)


@admin.register(Intake)
class IntakeAdmin(admin.ModelAdmin):
    list_display = ["source", "kind", "location", "enabled", "last_success_at", "consecutive_failures", "last_error"]
    list_filter = ["kind", "enabled"]
    readonly_fields = ["last_polled_at", "last_success_at", "next_poll_at", "consecutive_failures", "last_error",
                       "etag", "last_modified"]


@admin.register(IntakeFailure)
class IntakeFailureAdmin(admin.ModelAdmin):
    list_display = ["failed_at", "intake", "item", "reason"]
    list_filter = ["intake"]
    search_fields = ["item", "reason"]
    date_hierarchy = "failed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SectionRule)
class SectionRuleAdmin(admin.ModelAdmin):
    """The desk's mapping from agency subjects and keywords to sections (wire/sections.py applies it)."""

    list_display = ["priority", "kind", "value", "section"]
    list_display_links = ["kind"]
    list_editable = ["priority"]
    list_filter = ["kind", "section"]
    list_select_related = ["section"]
    search_fields = ["value", "section__name"]
    autocomplete_fields = ["section"]
    fields = ["priority", "kind", "value", "section"]
