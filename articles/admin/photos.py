from django.contrib import admin
from django.utils.html import format_html

from ..images import get_rendition
from ..models import Photo


def thumbnail_html(photo):
    if not photo or not photo.pk or not photo.image:
        return "—"
    thumb = get_rendition(photo, "thumb")
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="" style="max-width:120px;height:auto">',
        thumb.url,
        thumb.width,
        thumb.height,
    )


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "__str__", "credit", "source", "created_at"]
    list_filter = ["source", "credit_sources"]
    search_fields = ["caption", "credit", "photographer", "headline"]
    readonly_fields = ["thumbnail", "sha256", "width", "height", "created_at"]
    autocomplete_fields = ["source"]
    filter_horizontal = ["credit_sources"]
    fieldsets = [
        (None, {"fields": ["thumbnail", "image", "caption", "credit", "alt_text"]}),
        ("Rights", {"fields": ["photographer", "copyright", "source", "credit_sources"]}),
        ("Details", {"fields": ["headline", "date_created", "city", "country", "keywords"]}),
        ("Crop", {"fields": ["focal_x", "focal_y", "width", "height", "sha256", "created_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source").prefetch_related("renditions")

    @admin.display(description="Preview")
    def thumbnail(self, photo):
        return thumbnail_html(photo)
