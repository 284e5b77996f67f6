from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.utils import timezone
from taggit.models import Tag
from taggit.utils import parse_tags

from .. import permissions, revisions
from ..models import Article

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
    """The story form of the desk: status moves by role, embargo, and optimistic locking.

    ArticleAdmin.get_form sets `user` (who is editing) and `content_locked` (a photo editor who
    may change only the captions inline) on the class the admin builds from this one.
    """

    # The edit version the form was opened at: a save from an older one is an edit conflict.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    user = None
    content_locked = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk:
            self.initial.setdefault("base_version", self.instance.version)
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

    def clean(self):
        cleaned = super().clean()
        self._check_status(cleaned)
        self._check_version(cleaned)
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

    def _check_version(self, cleaned):
        if not self.instance.pk:
            return
        self.conflict = revisions.check_version(self.instance.pk, cleaned.get("base_version"), cleaned)
        if self.conflict is None:
            return
        # Show the saved version number from now on: saving again is a deliberate choice to
        # replace the other editor's text, made after seeing what they changed.
        self.data = self.data.copy()
        self.data[self.add_prefix("base_version")] = self.conflict["version"]
        raise ValidationError(
            f"{self.conflict['who']} saved this story at {self.conflict['when']:%H:%M:%S} while you were editing it. "
            "Your changes have NOT been saved; your text is still in the form below. "
            "Compare with their changes (shown above), then save again to replace their version "
            "with yours, or reload the page to start from theirs.",
            code="edit_conflict",
        )
