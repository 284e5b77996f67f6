"""The story list's lead alt-text column and filter, and the story form's warning (rules in articles/alt_text.py)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from ..alt_text import missing_alt_warning, stored_lead_photo


class LeadAltTextFilter(admin.SimpleListFilter):
    title = "lead photo alt text"
    parameter_name = "lead_alt"

    def lookups(self, request, model_admin):
        return [("missing", "Lead photo without alt text")]

    def queryset(self, request, queryset):
        # lead_missing_alt is annotated by ArticleAdmin.get_queryset (no query per row).
        return queryset.filter(lead_missing_alt=True) if self.value() == "missing" else queryset


@admin.display(description="Lead alt text", ordering="lead_missing_alt")
def lead_alt_column(article):
    if getattr(article, "lead_missing_alt", False):
        return format_html('<span class="lead-alt-missing" title="{}">⚠ Missing</span>',
                           "The lead photo has no alt text.")
    return ""


def lead_alt_notice(article):
    """{"text", "url"} for the story form's warning, or None (a story without a lead photo, or with alt text)."""
    photo = stored_lead_photo(article) if article is not None else None
    text = missing_alt_warning(photo)
    if not text:
        return None
    return {"text": text, "url": reverse("admin:articles_photo_change", args=[photo.pk])}
