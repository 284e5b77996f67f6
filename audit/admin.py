"""The audit log in the admin: read-only, for those with its view permission (the Admin role)."""
from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor_name", "object_repr", "summary", "ip_address"]
    list_filter = ["action", "created_at", ("actor", admin.RelatedOnlyFieldListFilter), "object_type"]
    search_fields = ["actor_name", "object_repr", "summary", "ip_address"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
