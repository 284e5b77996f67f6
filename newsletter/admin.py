import csv

from django.contrib import admin
from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils import timezone

from .models import Edition, SignupMail, Subscriber

CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Spreadsheets run cells starting with = + - @ as formulas; prefix them so they stay text."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(CSV_FORMULA_START) else text


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "confirmation_sent_at", "confirmed_at", "unsubscribed_at"]
    actions = ["export_csv"]

    @admin.action(description="Export selected subscribers as CSV")
    def export_csv(self, request, queryset):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="subscribers-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow(["email", "status", "created_at", "confirmed_at", "unsubscribed_at"])
        for s in queryset.order_by("email").iterator():
            writer.writerow(
                [
                    csv_safe(s.email),
                    s.status,
                    s.created_at.isoformat(),
                    s.confirmed_at.isoformat() if s.confirmed_at else "",
                    s.unsubscribed_at.isoformat() if s.unsubscribed_at else "",
                ]
            )
        return response


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["key", "subject", "created_at", "completed_at", "sent"]
    readonly_fields = ["key", "subject", "article_ids", "created_at", "completed_at"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        # Counted in the list query itself, not with one more query per edition row.
        sent = Count("deliveries", filter=Q(deliveries__sent_at__isnull=False))
        return super().get_queryset(request).annotate(sent_count=sent)

    @admin.display(description="Sent")
    def sent(self, edition):
        return edition.sent_count


@admin.register(SignupMail)
class SignupMailAdmin(admin.ModelAdmin):
    """The sign-up mail outbox: what is still waiting (SMTP down) and why."""

    list_display = ["subscriber", "kind", "created_at", "attempts", "next_attempt_at", "sent_at", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "kind", "created_at"]
    search_fields = ["subscriber__email"]
    list_select_related = ["subscriber"]
    readonly_fields = [f.name for f in SignupMail._meta.fields]

    def has_add_permission(self, request):
        return False
