"""The desk's side of the API: partners' keys (shown once, stored hashed, revocable) and webhooks with their logs."""
from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from .models import ApiKey, Webhook, WebhookDelivery, WebhookEvent


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=ApiKey.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=[ApiKey.Scope.CONTENT, ApiKey.Scope.NINJS],
        help_text="Embargo access shows stories before they are public: "
        "grant it only to partners bound by the embargo.",
    )

    class Meta:
        model = ApiKey
        fields = ["name", "contact", "scopes", "rate_limit"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ["name", "prefix", "scope_list", "rate_limit", "last_used_at", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "contact", "prefix"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke_keys"]

    @admin.display(description="scopes")
    def scope_list(self, key):
        return ", ".join(key.scopes)

    def save_model(self, request, obj, form, change):
        raw = None
        if not change:
            raw, obj.created_by = obj.assign_secret(), request.user
        super().save_model(request, obj, form, change)
        if raw:
            self.message_user(
                request,
                f"The key for {obj.name} is {raw} — copy it now: only its hash is stored, it cannot be shown again.",
                messages.WARNING,
            )

    @admin.action(description="Revoke the selected keys (they stop working at once)")
    def revoke_keys(self, request, queryset):
        count = queryset.active().update(revoked_at=timezone.now())
        self.message_user(request, f"Revoked {count} key(s).")


class WebhookForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https", help_text=Webhook._meta.get_field("url").help_text)
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple, required=False,
        help_text="None ticked: every event.",
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "events", "is_active"]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ["name", "url", "is_active", "created_at"]
    readonly_fields = ["secret", "created_at"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event", "webhook", "article", "status", "attempts", "response_status", "created_at", "delivered_at",
    ]
    list_filter = ["status", "event", "webhook"]
    list_select_related = ["webhook", "article"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    search_fields = ["article__headline", "error"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
