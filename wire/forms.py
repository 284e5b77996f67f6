from django import forms

from newsroom.forms import MultipleFileField
from wire.ingest import WIRE_SUFFIXES
from wire.ingest.items import PICTURE_SUFFIXES

# The file picker offers the wire items and the picture files they name.
ACCEPT = ",".join([*sorted(WIRE_SUFFIXES), *PICTURE_SUFFIXES])


class WireUploadForm(forms.Form):
    files = MultipleFileField(
        accept=ACCEPT,
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
