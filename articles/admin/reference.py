from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from taggit.admin import TagAdmin
from taggit.models import Tag

from newsroom.links import absolute_url

from ..models import Article, Author, Section, Source
from ..permissions import can_publish


def public_page(obj):
    """ "View on site": the public page on the site's address (not the admin's host, nor example.com)."""
    return absolute_url(obj.get_absolute_url())


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    view_on_site = staticmethod(public_page)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "attribution", "website", "photo_policy"]
    list_filter = ["kind", "photo_policy"]
    search_fields = ["name", "attribution"]
    prepopulated_fields = {"slug": ["name"]}
    view_on_site = staticmethod(public_page)


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "user"]
    search_fields = ["name", "role", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    view_on_site = staticmethod(public_page)


admin.site.unregister(Tag)


@admin.register(Tag)
class DeskTagAdmin(TagAdmin):
    """taggit's tag admin, but a tag on a published story is renamed or merged by editors only:
    a reporter's rename would change live pages, feeds and tag URLs."""

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or can_publish(request.user) or not carried_by_published_story(obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not can_publish(request.user):
            actions.pop("render_tag_form", None)  # merging renames every story's tag at once
        return actions

    def merge_tags_view(self, request):
        if not can_publish(request.user):
            raise PermissionDenied
        return super().merge_tags_view(request)


def carried_by_published_story(tag):
    return Article.objects.filter(status=Article.Status.PUBLISHED, tags=tag).exists()
