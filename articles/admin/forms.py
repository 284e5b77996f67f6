import json

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.utils import timezone
from taggit.models import Tag
from taggit.utils import parse_tags

from .. import editing, merging, permissions
from ..html import sanitize_html
from ..models import Article
from . import story_merge, writing_aids
from .a11y import label_split_datetimes

Status = Article.Status


class ArticleTagsForm(forms.ModelForm):
    """Tags are picked from existing ones with autocomplete; new ones are typed in a second field."""

    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.all(),
        required=False,
        widget=AutocompleteSelectMultiple(Article._meta.get_field("tags"), admin.site),
        help_text="Start typing to pick existing tags.",
    )
    new_tags = forms.CharField(
        required=False,
        label="New tags",
        help_text='Tags that do not exist yet, separated by commas, e.g. "North Korea, NATO".',
    )

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 -- the ModelAdmin's fieldsets choose what is shown

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["tags"] = list(self.instance.tags.all())

    def tag_names(self):
        names = [tag.name for tag in self.cleaned_data.get("tags") or []]
        names += parse_tags(self.cleaned_data.get("new_tags") or "")
        return sorted(set(names), key=str.lower)

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.tags.set(self.tag_names())


class ArticleAdminForm(ArticleTagsForm):
    """The story form of the desk: status moves by role, embargo, and the three-way merge of a form
    opened before someone else saved (story_merge).

    ArticleAdmin.get_form sets `user` (who is editing), `content_locked` (a photo editor who may
    change only the captions inline) and `submission` (the merge context of a POST over a stored
    story) on the class the admin builds from this one.
    """

    # The edit version the form was opened at, and its tags (django-reversion does not version
    # tags): a save from an older version merges three ways against that revision.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    base_tags = forms.CharField(widget=forms.HiddenInput, required=False)

    user = None
    content_locked = False
    submission = None
    draft_initial = None  # values from an autosaved draft the editor chose to restore (live.py)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        self.merged_tags = None
        if self.instance.pk:
            self.initial.setdefault("base_version", self.instance.version)
            self.initial.setdefault("base_tags", json.dumps(list(editing.tag_names(self.instance))))
        if self.draft_initial and not self.is_bound:
            self.initial.update(self.draft_initial)
        label_split_datetimes(self)
        writing_aids.attach(self)  # character counters under the headline, SEO texts and standfirst
        if "status" in self.fields:
            # Offer only the moves this user may make; clean() still checks whatever is posted.
            allowed = permissions.allowed_statuses(self.user, self.instance.status if self.instance.pk else None)
            status = self.fields["status"]
            status.widget.choices = [(value, label) for value, label in status.choices if value in allowed]

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
            permissions.check_status_change(self.user, current, target)
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
        """Saving over a newer version: keep their changes to the fields this editor left alone,
        merge the body by paragraph, and stop for a choice where both changed a field."""
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
        fields = ", ".join(row["label"] for row in self.conflict["rows"])
        again = " again" if submission.choices_expired else ""
        raise ValidationError(
            f"{submission.who} saved this story{again} at {submission.when:%H:%M:%S} while you were editing it, "
            f"and you both changed: {fields}. Nothing has been saved yet. Choose which version to keep for "
            "each of these fields (both are shown above), then save. Everything else has been merged.",
            code="edit_conflict",
        )
