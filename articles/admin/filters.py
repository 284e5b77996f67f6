"""The story list's filters: where a story stands on the desk, including scheduled and embargoed."""

from django.contrib import admin
from django.utils import timezone

from ..models import Article

Status = Article.Status


class DeskStateFilter(admin.SimpleListFilter):
    """Every status, with "published" split the way the desk reads it (publishing.desk_state): live
    (what readers see: Article.objects.published), scheduled (a publish time to come) and embargoed."""

    title = "status"
    parameter_name = "state"
    LIVE, SCHEDULED, EMBARGOED = "live", "scheduled", "embargoed"

    def lookups(self, request, model_admin):
        return [
            (Status.DRAFT, Status.DRAFT.label),
            (Status.READY, Status.READY.label),
            (self.LIVE, "Published (live)"),
            (self.SCHEDULED, "Scheduled"),
            (self.EMBARGOED, "Embargoed"),
            (Status.KILLED, Status.KILLED.label),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        value = self.value()
        if value == self.LIVE:
            return queryset.published(now)
        if value == self.SCHEDULED:
            return queryset.scheduled(now)
        if value == self.EMBARGOED:
            return queryset.embargoed(now)
        if value in (Status.DRAFT, Status.READY, Status.KILLED):
            return queryset.filter(status=value)
        return queryset
