from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from taggit.models import Tag
from taggit.utils import parse_tags

from ..models import Article


class ArticleAdminForm(forms.ModelForm):
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
