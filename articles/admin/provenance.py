"""Rights and provenance badges for the photo desk: on the photo's page, in its list and in the story form."""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from ..rights import TERM_LABELS, usage_flags

BADGE = '<span class="photo-badge photo-badge--{}" title="{}" style="{}">{}</span>'
COLOURS = {
    "camera": "background:#e6f4ea;color:#185c2b",
    "edited": "background:#fff4d6;color:#6b4e00",
    "composite": "background:#fff4d6;color:#6b4e00",
    "ai": "background:#fde2e1;color:#8a1c12",
    "other": "background:#eceff1;color:#37474f",
    "valid": "background:#e6f4ea;color:#185c2b",
    "trusted": "background:#e6f4ea;color:#185c2b",
    "invalid": "background:#fde2e1;color:#8a1c12",
    "unreadable": "background:#fde2e1;color:#8a1c12",
    "rights": "background:#e8eaf6;color:#283593",
    "expired": "background:#fde2e1;color:#8a1c12",
}
STYLE = "display:inline-block;padding:1px 6px;margin:0 4px 2px 0;border-radius:3px;font-size:11px;font-weight:600;"
CREDENTIAL_STATES = {
    "trusted": "Content credentials: valid, trusted signer",
    "valid": "Content credentials: valid (signer not on the trust list)",
    "invalid": "Content credentials: INVALID (changed after signing)",
    "unreadable": "Content credentials: unreadable",
}


def badge(kind, text, title=""):
    return format_html(BADGE, kind, title or text, STYLE + COLOURS.get(kind, COLOURS["other"]), text)


def photo_badges(photo, now=None):
    """Every badge for one photo: source type, content credentials, usage terms, expiry/embargo."""
    if photo is None:
        return ""
    now = now or timezone.now()
    badges = []
    source = photo.digital_source
    if source:
        reader = f"; readers see “{source.reader_label}”" if source.is_labelled else ""
        badges.append(badge(source.kind, source.label, f"IPTC digital source type {source.code}{reader}"))
    credentials = photo.content_credentials or {}
    if credentials.get("state"):
        issuer = credentials.get("issuer") or credentials.get("signer") or "unknown issuer"
        title = f"Signed by {issuer}. " + "; ".join(credentials.get("problems", []))
        badges.append(
            badge(credentials["state"], CREDENTIAL_STATES.get(credentials["state"], "Content credentials"), title)
        )
    for flag in usage_flags(photo.usage_terms):
        badges.append(badge("rights", TERM_LABELS[flag], photo.usage_terms))
    local = timezone.localtime
    if photo.expires_at:
        if photo.expires_at <= now:
            badges.append(badge("expired", f"Licence ended {local(photo.expires_at):%Y-%m-%d}", "Not shown to readers"))
        else:
            badges.append(badge("rights", f"Do not use after {local(photo.expires_at):%Y-%m-%d %H:%M}"))
    if photo.usable_from and photo.usable_from > now:
        badges.append(badge("expired", f"Embargoed until {local(photo.usable_from):%Y-%m-%d %H:%M}"))
    return format_html_join("", "{}", ((b,) for b in badges))


def credentials_html(photo):
    """The C2PA panel: state, issuer, signer, generator and the recorded actions."""
    credentials = photo.content_credentials or {}
    if not credentials:
        return "No content credentials (C2PA manifest) in the file."
    rows = [
        ("State", CREDENTIAL_STATES.get(credentials.get("state"), credentials.get("state", ""))),
        ("Issuer", credentials.get("issuer", "")),
        ("Signer", credentials.get("signer", "")),
        ("Signed at", credentials.get("signed_at", "")),
        ("Made with", credentials.get("claim_generator", "")),
        (
            "Actions",
            "; ".join(
                " ".join(
                    filter(
                        None,
                        [
                            a["label"],
                            a["software_agent"] and f"({a['software_agent']})",
                            a["digital_source_type"] and f"[{a['digital_source_type'].rsplit('/', 1)[-1]}]",
                        ],
                    )
                )
                for a in credentials.get("actions", [])
            ),
        ),
        ("Problems", "; ".join(credentials.get("problems", []))),
    ]
    return format_html(
        "<table>{}</table>", format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", [r for r in rows if r[1]])
    )


class LicenceFilter(admin.SimpleListFilter):
    """The photo desk's list of photos whose licence ends soon (the desk dashboard is not built yet)."""

    title = "licence"
    parameter_name = "licence"

    def lookups(self, request, model_admin):
        days = settings.NEWSROOM_PHOTO_EXPIRING_DAYS
        return [
            ("usable", "Usable now"),
            ("expiring", f"Expiring in the next {days} days"),
            ("expiring-live", f"Expiring in the next {days} days, on live stories"),
            ("expired", "Expired"),
            ("embargoed", "Embargoed"),
            ("restricted", "With usage terms"),
        ]

    def queryset(self, request, queryset):
        from ..models import Article

        now = timezone.now()
        within = timedelta(days=settings.NEWSROOM_PHOTO_EXPIRING_DAYS)
        if self.value() == "usable":
            return queryset.usable(now)
        if self.value() == "expiring":
            return queryset.expiring(within, now)
        if self.value() == "expiring-live":
            live = Article.objects.published(now)
            return queryset.expiring(within, now).filter(captions__article__in=live).distinct()
        if self.value() == "expired":
            return queryset.filter(expires_at__lte=now)
        if self.value() == "embargoed":
            return queryset.filter(usable_from__gt=now)
        if self.value() == "restricted":
            return queryset.exclude(usage_terms="")
        return queryset


class SourceTypeFilter(admin.SimpleListFilter):
    title = "digital source type"
    parameter_name = "source_type"

    def lookups(self, request, model_admin):
        from ..rights import SOURCE_TYPES

        return [("none", "Not stated"), ("ai", "AI-generated or AI-edited")] + [
            (code, t.label) for code, t in SOURCE_TYPES.items()
        ]

    def queryset(self, request, queryset):
        from ..rights import SOURCE_TYPE_BASE, SOURCE_TYPES

        if self.value() == "none":
            return queryset.filter(digital_source_type="")
        if self.value() == "ai":
            return queryset.filter(digital_source_type__in=[t.uri for t in SOURCE_TYPES.values() if t.kind == "ai"])
        if self.value():
            return queryset.filter(digital_source_type=SOURCE_TYPE_BASE + self.value())
        return queryset
