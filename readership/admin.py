from django.contrib import admin

from .models import ReadCount


@admin.register(ReadCount)
class ReadCountAdmin(admin.ModelAdmin):
    list_display = ["article", "hour", "reads"]
    list_select_related = ["article"]
    date_hierarchy = "hour"
    ordering = ["-hour", "-reads"]
    readonly_fields = ["article", "hour", "reads"]

    def has_add_permission(self, request):
        return False
