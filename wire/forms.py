from django import forms

from articles.ingest import WIRE_SUFFIXES
from articles.ingest.items import PICTURE_SUFFIXES

# The file picker offers the wire items and the picture files they name.
ACCEPT = ",".join([*sorted(WIRE_SUFFIXES), *PICTURE_SUFFIXES])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type=file multiple>; cleaned into a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class WireUploadForm(forms.Form):
    files = MultipleFileField(
        label="Wire files",
        help_text="ninjs (.json) or NewsML-G2 (.xml) items. Add the picture files they refer to in the same upload.",
    )
    publish = forms.BooleanField(
        required=False,
        label="Publish at once",
        help_text="For trusted sources only. Embargoed stories are scheduled for the moment the embargo lifts.",
    )

    def __init__(self, *args, can_publish=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_publish:
            del self.fields["publish"]
