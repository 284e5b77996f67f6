"""The desk's front page (/admin/frontpage/frontlayout/): pin stories to the home lead, the top slots
and each section's lead, reorder and clear them, set expiry times, preview the draft, publish it now
or schedule it. The rules and the writes are frontpage.layouts'; this page only asks them."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from frontpage.layouts import (
    SlotChoice,
    StaleLayout,
    cancel_scheduled,
    check_choices,
    desk_draft,
    publish_draft,
    save_draft,
)
from frontpage.models import HOME_SLOTS, FrontLayout, FrontSlot, slot_label

from ..front_page import front_page_ids
from ..models import Article, Section
from ..preview import FrontPagePreviewView
from ..publishing import desk_state

CURATE_PERMISSION = "frontpage.change_frontlayout"
PUBLISH_PERMISSION = "frontpage.publish_frontlayout"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_field(label):
    return forms.DateTimeField(
        required=False,
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class StoryAutocomplete(AutocompleteSelect):
    """The admin's autocomplete; a posted value that is no story id is shown as empty, not looked up
    (Django's widget would query with it and fail). The field itself reports it as invalid."""

    def optgroups(self, name, value, attrs=None):
        return super().optgroups(name, [v for v in value if str(v).isdigit()], attrs)


def story_of(form, key):
    """The story a row holds as shown: the posted choice, or the saved one on a fresh page."""
    if form.is_bound:
        return form.cleaned_data.get(key) if hasattr(form, "cleaned_data") else None
    return form.initial.get(key)


class FrontPageForm(forms.Form):
    """One row per slot: a story (the admin's autocomplete) and an optional expiry time."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    go_live_at = datetime_field("Go live at")

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = list(sections)
        story_field = FrontSlot._meta.get_field("article")
        self.rows = []  # (key, label, section, position)
        for position in range(1, HOME_SLOTS + 1):
            self.rows.append((f"home_{position}", slot_label(None, position), None, position))
        for section in self.sections:
            self.rows.append((f"section_{section.pk}", slot_label(section, 1), section, 1))
        for key, label, _, _ in self.rows:
            self.fields[key] = forms.ModelChoiceField(
                queryset=Article.objects.select_related("section"),
                required=False,
                label=f"{label}: story",
                widget=StoryAutocomplete(story_field, admin.site, attrs={"aria-label": f"{label}: story"}),
            )
            self.fields[f"{key}_expires"] = datetime_field(f"{label}: expires")
            self.fields[f"{key}_expires"].widget.attrs["aria-label"] = f"{label}: expires"

    @staticmethod
    def initial_for(layout):
        initial = {"version": layout.version}
        for slot in layout.slots.select_related("article"):
            key = f"section_{slot.section_id}" if slot.section_id else f"home_{slot.position}"
            initial[key] = slot.article
            initial[f"{key}_expires"] = timezone.localtime(slot.expires_at) if slot.expires_at else None
        return initial

    def bound_rows(self):
        return [(key, label, section, self[key], self[f"{key}_expires"]) for key, label, section, _ in self.rows]

    def home_keys(self):
        return [key for key, _, section, _ in self.rows if section is None]

    def clean(self):
        cleaned = super().clean()
        keyed = []
        for key, _, section, position in self.rows:
            article = cleaned.get(key)
            if article is not None:
                choice = SlotChoice(
                    article, position=position, section=section, expires_at=cleaned.get(f"{key}_expires")
                )
                keyed.append((key, choice))
        for index, message in check_choices([choice for _, choice in keyed]).items():
            self.add_error(keyed[index][0], message)
        self.choices = [choice for _, choice in keyed]
        return cleaned


def rearranged(data, form, action):
    """The posted rows with one home slot moved up or down, or one row cleared: nothing is saved yet."""
    data = data.copy()
    verb, _, key = action.partition(":")
    if verb == "clear" and key in form.fields:
        data[key] = data[f"{key}_expires"] = ""
        return data
    keys = form.home_keys()
    if key not in keys:
        return data
    index = keys.index(key)
    other = index - 1 if verb == "up" else index + 1
    if 0 <= other < len(keys):
        for suffix in ("", "_expires"):
            a, b = f"{keys[index]}{suffix}", f"{keys[other]}{suffix}"
            data[a], data[b] = data.get(b, ""), data.get(a, "")
    return data


@admin.register(FrontLayout)
class FrontPageAdmin(admin.ModelAdmin):
    """One desk page instead of a changelist; editors (not reporters) may curate."""

    def has_module_permission(self, request):
        return request.user.has_perm(CURATE_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(CURATE_PERMISSION)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(CURATE_PERMISSION)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("", view(self.changelist_view), name="frontpage_frontlayout_changelist"),
            path("preview/", view(self.preview_view), name="frontpage_frontlayout_preview"),
            path("scheduled/<int:pk>/cancel/", view(self.cancel_view), name="frontpage_frontlayout_cancel"),
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_change_permission(request):
            raise PermissionDenied
        sections = Section.objects.order_by("position", "name")
        draft = desk_draft()
        if request.method != "POST":
            form = FrontPageForm(initial=FrontPageForm.initial_for(draft), sections=sections)
            return self.render_desk(request, form, draft)
        action = request.POST.get("action", "save")
        if action.startswith(("up:", "down:", "clear:")):
            data = rearranged(request.POST, FrontPageForm(sections=sections), action)
            messages.info(request, "Not saved yet: save the draft or publish to keep this change.")
            return self.render_desk(request, FrontPageForm(data, sections=sections), draft)
        form = FrontPageForm(request.POST, sections=sections)
        if action in ("publish", "schedule") and not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        if not form.is_valid():
            return self.render_desk(request, form, draft)
        go_live_at = form.cleaned_data.get("go_live_at")
        if action == "schedule" and (go_live_at is None or go_live_at <= timezone.now()):
            form.add_error("go_live_at", "Pick a time in the future to schedule the front page, or publish it now.")
            return self.render_desk(request, form, draft)
        try:
            draft = save_draft(form.choices, version=form.cleaned_data["version"], by=request.user)
            if action == "publish":
                publish_draft(version=draft.version, by=request.user)
                messages.success(request, "The front page is live: readers see it on their next request.")
            elif action == "schedule":
                publish_draft(version=draft.version, by=request.user, at=go_live_at)
                messages.success(request, f"The front page goes live at {timezone.localtime(go_live_at):%b %d, %H:%M}.")
            else:
                messages.success(
                    request,
                    "Draft saved. Readers still see the live front page: preview the draft from the link above.",
                )
        except StaleLayout as stale:
            messages.error(request, str(stale))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(request.path)

    def render_desk(self, request, form, draft):
        now = timezone.now()
        showing = front_page_ids(now)
        shown = Article.objects.filter(pk__in=showing.all_ids()).values_list(
            "pk", "headline", "section_id", "published_at"
        )
        headlines = {pk: headline for pk, headline, _, _ in shown}
        showing_now = {f"home_{position}": pk for position, pk in enumerate(showing.home, start=1)}
        under_sections = set(showing.under_sections)
        for pk, _, section_id, _ in sorted(shown, key=lambda row: row[3]):  # the newest of each section wins
            if pk in under_sections:
                showing_now[f"section_{section_id}"] = pk
        showing_now |= {f"section_{section_id}": pk for section_id, pk in showing.section_leads.items()}
        if form.is_bound:
            form.is_valid()  # show the rows as posted, with their errors
        rows = []
        for key, label, section, story, expires in form.bound_rows():
            article = story_of(form, key)
            rows.append(
                {
                    "key": key,
                    "label": label,
                    "is_home": section is None,
                    "story": story,
                    "expires": expires,
                    "now": headlines.get(showing_now.get(key)),
                    "warning": ""
                    if article is None or article.is_published(now)
                    else (f"{desk_state(article, now)}: readers see the newest story here until it is published."),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Front page",
            "form": form,
            "rows": rows,
            # form-a11y.js names the autocomplete boxes from each row's <label> (axe-core).
            "media": self.media + form.media + forms.Media(js=["desk/form-a11y.js"]),
            "draft": draft,
            "live": FrontLayout.objects.live_at(now).select_related("saved_by").first(),
            "scheduled": FrontLayout.objects.scheduled(now).select_related("saved_by"),
            "can_publish": request.user.has_perm(PUBLISH_PERMISSION),
        }
        return TemplateResponse(request, "admin/frontpage/front.html", context)

    def preview_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        return FrontPagePreviewView.as_view(layout=desk_draft())(request)

    def cancel_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:frontpage_frontlayout_changelist"))
        if not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        if cancel_scheduled(pk):
            messages.success(request, "The scheduled front page was cancelled.")
        else:
            messages.error(request, "That front page is no longer scheduled: it has gone live or was cancelled.")
        return HttpResponseRedirect(reverse("admin:frontpage_frontlayout_changelist"))
