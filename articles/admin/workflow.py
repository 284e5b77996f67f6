"""The editorial workflow in the story admin: roles, status moves, conflict-safe saves, history,
corrections, previews and share links. The rules live in articles.workflow / publishing /
revisions / preview; this module only asks them."""

import json

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import editing, merging, preview, revisions, workflow
from ..html import sanitize_html
from ..models import Article, ArticleNote
from ..publishing import change_status, publish_article, unpublish_article
from . import story_merge

Status = Article.Status


class NoteInline(admin.TabularInline):
    """Corrections and updates are appended, never edited: readers have already seen them."""

    model = ArticleNote
    extra = 0
    fields = ["kind", "text", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    verbose_name = "correction or update"
    verbose_name_plural = "Corrections and updates (shown to readers with the time)"

    def has_add_permission(self, request, obj=None):
        return obj is not None and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False


class EditorialForm:
    """Mixed into the admin's story form: status moves by role, embargo, and the three-way merge
    of a form opened before someone else saved (story_merge)."""

    user = None
    conflict = None
    content_locked = False
    submission = None  # story_merge.Submission of this POST, set by the admin
    merged_tags = None

    def _save_m2m(self):
        if self.content_locked:
            # Only the captions inline changes; skip m2m handling (tags) of the story itself.
            return forms.ModelForm._save_m2m(self)
        return super()._save_m2m()

    def tag_names(self):
        return list(self.merged_tags) if self.merged_tags is not None else super().tag_names()

    def clean(self):
        cleaned = super().clean()
        self._merge(cleaned)
        self._check_status(cleaned)
        return cleaned

    def _check_status(self, cleaned):
        if "status" not in self.fields or "status" not in cleaned:
            return
        current = self.instance.status if self.instance.pk else None
        target = cleaned["status"]
        try:
            workflow.check_status_change(self.user, current, target)
        except ValidationError as error:
            self.add_error("status", error)
            return
        if target == Status.PUBLISHED and "published_at" in self.fields and not cleaned.get("published_at"):
            cleaned["published_at"] = timezone.now()  # "Published" with no time means now
        # The embargo is checked by Article.clean() when the form validates the instance.

    def _mine(self, cleaned):
        """The submitted story fields as a merge state (attribute names, comparable values)."""
        mine = {}
        for attname in editing.STORY_FIELDS:
            name = attname.removesuffix("_id")
            if name in self.fields and name in cleaned:
                value = cleaned[name]
                mine[attname] = value.pk if hasattr(value, "pk") else editing.comparable(value)
        if "body" in mine:
            mine["body"] = sanitize_html(mine["body"] or "")
        if "tags" in self.fields and "tags" in cleaned:
            mine["tags"] = tuple(sorted(super().tag_names(), key=str.lower))
        return mine

    def _merge(self, cleaned):
        """Saving over a newer version: keep their changes to fields this editor left alone."""
        submission = self.submission
        if submission is None or not submission.stale:
            return
        mine = self._mine(cleaned)
        merge = submission.merge_with(mine)
        for attname, submitted in mine.items():
            merged, name = merge.fields[attname], attname.removesuffix("_id")
            if merged.is_conflict or merged.value == submitted:
                continue
            if name == "tags":
                self.merged_tags = merged.value
            elif merged.value == editing.comparable(getattr(self.instance, attname)):
                cleaned[name] = getattr(self.instance, name)  # theirs, as stored (objects for relations)
            else:
                cleaned[name] = merged.value
        if not merge.has_conflicts:
            return
        self.conflict = {
            "who": submission.who,
            "when": submission.when,
            "version": self.instance.version,
            "rows": submission.conflicts(),
            "expired": submission.choices_expired,
        }
        # Show the form again with the merged text where it merged; nothing is saved.
        self.data = self.data.copy()
        for name in story_merge.TEXT_INPUTS:
            merged = merge.fields.get(name)
            if name in self.fields and merged is not None and merged.outcome != merging.UNCHANGED:
                self.data[self.add_prefix(name)] = merged.value
        fields = ", ".join(row["label"] for row in self.conflict["rows"]) or "nothing new"
        again = " again" if submission.choices_expired else ""
        raise ValidationError(
            f"{submission.who} saved this story{again} at {submission.when:%H:%M:%S} while you were editing it, "
            f"and you both changed: {fields}. Nothing has been saved yet. Choose which version to keep for "
            "each of these fields (both are shown above), then save. Everything else has been merged.",
            code="edit_conflict",
        )


def record_baseline(request, object_id, model_admin):
    """Make sure the version a form is opened at has a revision: a story made outside the admin
    (wire, scripts) gets its first one here. A later save merges against it (story_merge), and
    history shows what each save changed."""
    article = Article.objects.filter(pk=unquote(object_id)).first() if str(object_id).isdigit() else None
    if article is None or not model_admin.has_change_permission(request, article):
        return
    latest = revisions.versions_of(article).first()
    if latest is not None and latest.field_dict.get("version") == article.version:
        return
    with reversion.create_revision():
        reversion.add_to_revision(article)
        reversion.set_comment(
            "As the story stood when opened." if latest else "As the story stood before its first recorded edit."
        )


class ShareLinkForm(forms.Form):
    hours = forms.IntegerField(
        min_value=1,
        initial=preview.default_share_hours,
        help_text="The link stops working after this many hours, or as soon as the story is published or killed.",
    )

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours > preview.max_share_hours():
            raise ValidationError(f"At most {preview.max_share_hours()} hours.")
        return hours


class MyStoriesFilter(admin.SimpleListFilter):
    title = "who created it"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", "My stories")]

    def queryset(self, request, queryset):
        return queryset.filter(created_by=request.user) if self.value() == "1" else queryset


class EditorialAdminMixin:
    """Put first in ArticleAdmin's bases."""

    change_form_template = "admin/articles/article/change_form.html"

    def get_list_display(self, request):
        return ["desk_state" if name == "status" else name for name in super().get_list_display(request)]

    def get_list_filter(self, request):
        return [MyStoriesFilter, *super().get_list_filter(request)]

    @admin.display(description="Status", ordering="status")
    def desk_state(self, article):
        return workflow.desk_state(article)

    # -- who may see and change what ---------------------------------------------------------
    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or workflow.can_edit_photos(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not workflow.can_edit_content(request.user, obj):
            # Photo editors reach a story for its captions only.
            model_fields = {f.name for f in Article._meta.get_fields()}
            readonly += [f for f in flatten_fieldsets(self.fieldsets) if f in model_fields and f not in readonly]
        elif not workflow.can_publish(request.user):
            readonly += ["published_at", "updated_at"]
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and not workflow.can_edit_content(request.user, obj):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(name, dict(options)) for name, options in super().get_fieldsets(request, obj)]
        if obj is not None and not workflow.can_edit_content(request.user, obj):
            model_fields = {f.name for f in Article._meta.get_fields()}
            for _, options in fieldsets:
                options["fields"] = [f for f in options["fields"] if f in model_fields]
        fieldsets[0][1]["fields"] = [*fieldsets[0][1]["fields"], "base_version", "base_tags"]
        return fieldsets

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        return inlines + [NoteInline] if obj is not None else inlines

    def get_form(self, request, obj=None, change=False, **kwargs):
        base_version = forms.IntegerField(
            widget=forms.HiddenInput, required=False, initial=obj.version if obj else None
        )
        # The tags the form starts from: django-reversion does not version them.
        base_tags = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=json.dumps(list(editing.tag_names(obj))) if obj else "[]"
        )
        locked = type(
            "EditorialArticleForm",
            (EditorialForm, kwargs.pop("form", self.form)),
            {"base_version": base_version, "base_tags": base_tags},
        )
        form = super().get_form(request, obj, change, form=locked, **kwargs)
        form.user = request.user
        form.submission = self._submission(request, obj)
        if obj is not None and not workflow.can_edit_content(request.user, obj):
            form.content_locked = True
            for name in [n for n in form.base_fields if n not in ("base_version", "base_tags")]:
                del form.base_fields[name]
        if "status" in form.base_fields:
            # Offer only the moves this user may make; the form still checks whatever is posted.
            allowed = workflow.allowed_statuses(request.user, obj.status if obj else None)
            status = form.base_fields["status"]
            status.widget.choices = [(value, label) for value, label in status.choices if value in allowed]
        return form

    # -- saving --------------------------------------------------------------------------------
    def get_object(self, request, object_id, from_field=None):
        if request.method == "POST" and str(object_id).isdigit():
            # Lock the row before reading it: the form is merged against, and saved over, the
            # row exactly as stored, and no other save can slip in between.
            Article.objects.select_for_update().filter(pk=object_id).exists()
        return super().get_object(request, object_id, from_field)

    def _submission(self, request, obj):
        """The merge context of this POST (computed once; None when not saving a stored story)."""
        if request.method != "POST" or obj is None or obj.pk is None:
            return None
        cached = getattr(request, "_story_submission", None)
        if cached is None or cached.article.pk != obj.pk:
            cached = story_merge.Submission.read(request, obj)
            request._story_submission = cached
        return cached

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        submission = self._submission(request, obj)
        if submission is not None and "data" in kwargs:
            kwargs["data"] = submission.formset_data(prefix, kwargs["data"])
        return kwargs

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id:
            record_baseline(request, object_id, self)
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        action = request.POST.get("action") if request.method == "POST" else None
        if not action:
            return super().changelist_view(request, extra_context)
        # Stories a list action saves (publish, kill, submit) get a revision naming the action.
        with reversion.create_revision():
            reversion.set_user(request.user)
            described = self.get_actions(request).get(action)
            reversion.set_comment(f"List action: {described[2] if described else action}.")
            return super().changelist_view(request, extra_context)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        reversion.set_comment(entry.get_change_message() or "Created.")
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        reversion.set_comment(entry.get_change_message() or "Saved without changes.")
        return entry

    def save_model(self, request, obj, form, change):
        """Every status move goes through publishing.py, which records who made it; every write
        of a stored story goes through editing.locked_story with the fields this form owns."""
        owned = [name for name in editing.STORY_FIELDS if name.removesuffix("_id") in form.fields]
        with workflow.keeping_old_url(obj) as stored:
            previous = stored.status if stored else None
            if obj.status == Status.PUBLISHED and previous != Status.PUBLISHED:
                publish_article(obj, by=request.user, at=obj.published_at, fields=owned)
            elif obj.status == Status.KILLED and previous != Status.KILLED:
                unpublish_article(obj, by=request.user, fields=owned)
            elif obj.status != previous:
                change_status(obj, obj.status, by=request.user, fields=owned)
            elif obj.pk is None:
                obj.save()
            else:
                editing.save_story(obj, owned, by=request.user)
        submission = form.submission
        if submission is not None and submission.stale and submission.merge is not None:
            self.message_user(request, submission.summary(), messages.INFO)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ArticleNote:
            return super().save_formset(request, form, formset, change)
        new_notes = formset.save(commit=False)
        for note in formset.deleted_objects:
            note.delete()
        for note in new_notes:
            workflow.append_note(form.instance, kind=note.kind, text=note.text, by=request.user)

    # -- list actions --------------------------------------------------------------------------
    @admin.action(description="Submit selected drafts for editing", permissions=["change"])
    def submit_for_editing(self, request, queryset):
        submitted = 0
        for article in queryset:
            try:
                workflow.submit_for_editing(article, by=request.user)
                submitted += 1
            except ValidationError as error:
                self.message_user(request, error.messages[0], messages.ERROR)
        if submitted:
            self.message_user(request, f"Submitted {submitted} stories for editing.", messages.SUCCESS)

    # -- history, compare, restore, preview and share -----------------------------------------
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/history/compare/", wrap(self.compare_view), name="articles_article_compare"),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                wrap(require_POST(self.restore_view)),
                name="articles_article_restore",
            ),
            path("<path:object_id>/share/", wrap(self.share_view), name="articles_article_share"),
        ] + super().get_urls()

    def _article_or_404(self, request, object_id):
        article = get_object_or_404(Article, pk=unquote(object_id))
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def history_view(self, request, object_id, extra_context=None):
        article = self._article_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {article}",
            "opts": self.opts,
            "object": article,
            "versions": list(revisions.versions_of(article)),
            "status_changes": article.status_changes.select_related("changed_by"),
            "can_restore": workflow.can_edit_content(request.user, article),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/articles/article/history.html", context)

    def compare_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        versions = revisions.versions_of(article)

        def pick(name):
            value = request.GET.get(name, "current")
            if value == "current":
                return "Current story", revisions.snapshot_of_article(article)
            version = get_object_or_404(versions, pk=value)
            user = version.revision.user or "the wire"
            return f"{timezone.localtime(version.revision.date_created):%Y-%m-%d %H:%M} by {user}", (
                revisions.snapshot_of_version(version)
            )

        (old_label, old), (new_label, new) = pick("old"), pick("new")
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare revisions: {article}",
            "opts": self.opts,
            "object": article,
            "old_label": old_label,
            "new_label": new_label,
            "changes": revisions.compare(old, new),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        article = self._article_or_404(request, object_id)
        if not workflow.can_edit_content(request.user, article):
            raise PermissionDenied
        version = get_object_or_404(revisions.versions_of(article), pk=version_id)
        try:
            revisions.restore_version(article, version, by=request.user)
        except IntegrityError:
            self.message_user(
                request, "That revision cannot be restored: a photo or author it uses has been deleted.", messages.ERROR
            )
        else:
            self.message_user(
                request, "The revision was restored; the restore is itself a new revision.", messages.SUCCESS
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def share_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        if not workflow.can_publish(request.user):
            raise PermissionDenied
        link = None
        form = ShareLinkForm(request.POST or None)
        if article.status not in preview.SHAREABLE_STATUSES:
            form = None
        elif request.method == "POST" and form.is_valid():
            link = request.build_absolute_uri(preview.share_url(article, hours=form.cleaned_data["hours"]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Share a preview: {article}",
            "opts": self.opts,
            "object": article,
            "form": form,
            "link": link,
        }
        return TemplateResponse(request, "admin/articles/article/share.html", context)
