"""Photos in the story form: the caption row's photo chooser and alt text, and what a save may attach.

The chooser dialog, the drop zone and pasted images are static/desk/photos.js; the upload and the
chooser's grid are served by photo_grid.py. A photo shown inside the body (<figure data-photo>)
is always one of the story's caption rows, so its rights are checked at publish like every other
photo of the story (rights.publish_problems), and killing the story withdraws it too.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from .. import permissions
from ..html import photo_ids, sanitize_html
from ..models import Caption, Photo, Rendition
from ..rights import describe_photo, photo_problems
from .photos import thumbnail_html


def photo_card(photo, user):
    """What the desk's photo widgets show of one photo (the chooser's cards, the upload's answer)."""
    from ..images import get_rendition

    thumb = get_rendition(photo, "thumb")
    return {
        "id": photo.pk,
        "label": str(photo)[:120],
        "caption": photo.caption,
        "credit": photo.credit,
        "alt_text": photo.alt_text,
        "thumb": thumb.url,
        "thumb_width": thumb.width,
        "thumb_height": thumb.height,
        "can_edit_alt_text": permissions.can_edit_alt_text(user, photo),
    }


class PhotoChooserWidget(forms.TextInput):
    """The chosen photo's id in a hidden input, its thumbnail, and a button opening the chooser."""

    template_name = "admin/articles/widgets/photo_chooser.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        photo = None
        if value not in (None, ""):
            thumbs = Prefetch("renditions", queryset=Rendition.objects.filter(spec="thumb"))
            photo = Photo.objects.filter(pk=value).prefetch_related(thumbs).first() if str(value).isdigit() else None
        context["photo"] = photo
        context["thumbnail"] = thumbnail_html(photo) if photo else ""
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates/ (the default form renderer reads only the apps' own templates).
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))  # noqa: S308


class CaptionForm(forms.ModelForm):
    """A caption row, with the photo's alt text (saved on the photo) for whoever may change it."""

    alt_text = forms.CharField(
        label="Alt text",
        required=False,
        max_length=Photo._meta.get_field("alt_text").max_length,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text="Describes the picture for readers who cannot see it. Saved on the photo, for every story "
        "that uses it; the photo's uploader and photo editors can change it.",
        # The form carries the alt text as it was loaded: a save changes the photo only if this
        # editor changed the text, never putting back a version someone else has replaced since.
        show_hidden_initial=True,
    )
    user = None  # set per request by CaptionInline.get_formset

    class Meta:
        model = Caption
        fields = ["photo", "role", "caption", "credit", "position"]
        widgets = {"photo": PhotoChooserWidget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.photo_id:
            self.initial["alt_text"] = self.instance.photo.alt_text
            if self.user is not None and not permissions.can_edit_alt_text(self.user, self.instance.photo):
                self.fields["alt_text"].disabled = True

    def clean(self):
        cleaned = super().clean()
        photo = cleaned.get("photo")
        if photo is None or not self._alt_text_changed():
            return cleaned
        alt_text = cleaned.get("alt_text", "")
        if alt_text != photo.alt_text and not permissions.can_edit_alt_text(self.user, photo):
            self.add_error("alt_text", "Only the photo's uploader or a photo editor can change its alt text.")
        elif "photo" not in self.changed_data and photo.alt_text not in (alt_text, self._alt_text_loaded()):
            self.add_error("alt_text", f"Someone changed this photo's alt text while you were editing it, to "
                                       f"“{photo.alt_text}”. Keep it, or type yours again, then save.")
            self.data = self.data.copy()
            self.data[self.add_initial_prefix("alt_text")] = photo.alt_text  # asked once
        return cleaned

    def _alt_text_loaded(self):
        """The alt text as this form was loaded (the hidden initial value)."""
        field = self.fields["alt_text"]
        return field.widget.value_from_datadict(self.data, self.files, self.add_initial_prefix("alt_text")) or ""

    def _alt_text_changed(self):
        return not self.fields["alt_text"].disabled and "alt_text" in self.changed_data

    def save(self, commit=True):
        caption = super().save(commit)
        photo = self.cleaned_data.get("photo")
        alt_text = self.cleaned_data.get("alt_text", "")
        if commit and photo is not None and self._alt_text_changed() and alt_text != photo.alt_text:
            photo.alt_text = alt_text
            photo.save(update_fields=["alt_text"])
        return caption


def check_new_photos(formset, user):
    """A photo newly attached by someone who cannot publish must be usable now (rights.py).

    Editors may attach an embargoed photo to a story scheduled after the embargo; publishing
    checks every photo of the story either way (CaptionFormSet, publishing.set_status).
    """
    if user is None or permissions.can_publish(user):
        return
    now = timezone.now()
    for form in formset.forms:
        photo = form.cleaned_data.get("photo")
        if photo is None or form.cleaned_data.get("DELETE") or "photo" not in form.changed_data:
            continue
        problems = photo_problems(photo, at=now, sponsored=formset.instance.is_sponsored)
        if problems:
            form.add_error("photo", f"Photo {describe_photo(photo)} cannot be used: {'; '.join(problems)}.")


def check_body_photos(formset, photos):
    """Every photo the body shows must be one the story carries (a caption row being saved)."""
    body = formset.instance.body or ""
    if "data-photo" not in body:
        return
    attached = {photo.pk for photo in photos}
    missing = [pk for pk in photo_ids(sanitize_html(body)) if pk not in attached]
    if missing:
        names = ", ".join(f"photo {pk}" for pk in missing)
        raise ValidationError(
            f"The body shows {names}, which this story does not carry. Attach it under “Photos and captions” "
            "(the photo chooser does this when it inserts a photo), or remove it from the body."
        )
