"""The photo desk: multi-file upload of wire photos, the photo list, and each photo's metadata."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Prefetch, Q
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join

from newsroom.forms import MultipleFileField

from ..images import get_rendition
from ..models import Photo, Rendition
from ..photos import PhotoRejected, discard_photo_files, import_photo, inspect_image
from ..renditions import remake_for_changed_metadata, request_renditions
from .focal_point import focal_picker_html
from .provenance import LicenceFilter, SourceTypeFilter, credentials_html, photo_badges

# What the metadata panel shows, in order: (key in Photo.metadata, label)
METADATA_LABELS = [
    ("caption", "Caption"),
    ("headline", "Headline"),
    ("object_name", "Object name"),
    ("credit", "Credit"),
    ("byline", "Photographer (by-line)"),
    ("copyright", "Copyright"),
    ("usage_terms", "Usage terms"),
    ("web_statement", "Web statement of rights"),
    ("licensor_name", "Licensor"),
    ("licensor_url", "Licence URL"),
    ("copyright_owner", "Copyright owner"),
    ("release_datetime", "Embargoed until"),
    ("expiry_datetime", "Licence ends"),
    ("digital_source_type", "Digital source type"),
    ("source", "Source"),
    ("datetime_created", "Created"),
    ("city", "City"),
    ("country", "Country"),
    ("keywords", "Keywords"),
    ("orientation", "EXIF orientation"),
    ("has_gps", "GPS in original (never published)"),
    ("filename", "Uploaded as"),
    ("blocks", "Metadata blocks found"),
    ("problems", "Problems reading the file"),
]


def thumbnail_html(photo):
    if not photo or not photo.pk or not photo.image:
        return "—"
    thumb = get_rendition(photo, "thumb")
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="" style="max-width:120px;height:auto">',
        thumb.url,
        thumb.width,
        thumb.height,
    )


def photo_preview_html(photo):
    """Thumbnail, rights and provenance badges, and the photo's keywords offered as tags for the story."""
    thumb = format_html("{}<div class=\"photo-badges\">{}</div>", thumbnail_html(photo), photo_badges(photo))
    if not photo or not photo.keywords:
        return thumb
    buttons = format_html_join(
        " ",
        '<button type="button" class="button photo-keyword" data-tag="{}">+ {}</button>',
        ((k, k) for k in photo.keywords),
    )
    return format_html(
        '{}<div class="photo-keywords"><p class="help">Photo keywords; click to add as tags:</p>{}</div>',
        thumb,
        buttons,
    )


STATUSES = {"imported": "imported", "duplicate": "already uploaded", "rejected": "rejected"}


class PhotoUploadForm(forms.Form):
    files = MultipleFileField(
        accept="image/jpeg,image/png,image/webp,image/avif",
        allow_empty_file=True,  # an empty file is rejected by import_photo with the other bad files
        error_messages={"required": "Choose one or more photo files."},
        label="Photo files",
        help_text="JPEG, PNG or WebP. Caption, credit and photographer are read from each file.",
    )


class PhotoAddForm(forms.ModelForm):
    """The single-photo add form: the file is checked by content before anything is stored."""

    # A plain file field: our own check gives the specific reason (Django's would say "invalid image").
    image = forms.FileField(label="Photo file", help_text="JPEG, PNG or WebP.")

    class Meta:
        model = Photo
        fields = ["image"]

    def clean_image(self):
        image = self.cleaned_data["image"]
        try:
            self.checked_image = inspect_image(image)  # decoded once, reused by import_photo on save
        except PhotoRejected as rejected:
            raise ValidationError(str(rejected)) from rejected
        return image


class KeywordsField(forms.CharField):
    """Keywords edited as "one, two, three" and stored as a list."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return list(value)
        return [k.strip() for k in (value or "").split(",") if k.strip()]


class PhotoChangeForm(forms.ModelForm):
    keywords = KeywordsField(
        required=False,
        help_text="Separated by commas. Offered as tags when the photo is attached to a story.",
        widget=forms.TextInput(attrs={"size": 80}),
    )

    class Meta:
        model = Photo
        fields = [
            "caption", "credit", "alt_text", "photographer", "copyright", "source", "credit_sources",
            "usage_terms", "web_statement", "licensor_name", "licensor_url", "copyright_owner", "usable_from",
            "expires_at", "digital_source_type",
            "headline", "date_created", "city", "country", "keywords", "focal_x", "focal_y",
        ]  # fmt: skip
        widgets = {"usage_terms": forms.Textarea(attrs={"rows": 2, "cols": 80})}

    def clean_digital_source_type(self):
        from ..rights import normalise_source_type

        value = self.cleaned_data["digital_source_type"].strip()
        if value and not normalise_source_type(value):
            raise ValidationError("Use an IPTC digital source type code or URI, e.g. digitalCapture.")
        return normalise_source_type(value)


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "caption_excerpt", "credit", "badges", "expires_at", "source", "created_at"]
    list_display_links = ["thumbnail", "caption_excerpt"]
    list_filter = [LicenceFilter, SourceTypeFilter, "source", "credit_sources", "date_created"]
    search_fields = ["caption", "credit", "photographer", "headline", "copyright", "usage_terms"]
    readonly_fields = [
        "thumbnail", "badges", "content_credentials_panel", "original_file", "file_metadata", "sha256", "width",
        "height", "created_at", "focal_picker",
    ]  # fmt: skip
    form = PhotoChangeForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    autocomplete_fields = ["source"]
    filter_horizontal = ["credit_sources"]
    date_hierarchy = "created_at"
    change_list_template = "admin/articles/photo/change_list.html"

    class Media:
        css = {"all": ["desk/focal-point.css"]}
        js = ["desk/focal-point.js"]  # click the picture to set the focal point (focal_point.py)
    fieldsets = [
        (None, {"fields": ["thumbnail", "badges", "caption", "credit", "alt_text"]}),
        ("Rights", {"fields": ["photographer", "copyright", "source", "credit_sources"]}),
        (
            "Licence",
            {
                "fields": [
                    "usage_terms", "web_statement", "licensor_name", "licensor_url", "copyright_owner",
                    "usable_from", "expires_at",
                ],  # fmt: skip
                "description": "Read from the file's XMP and IPTC. A photo whose licence has ended, or that is "
                "still embargoed, is never shown to readers and cannot be published; “editorial use only” "
                "photos cannot run on sponsored stories. See docs/photos.md.",
            },
        ),
        ("Provenance", {"fields": ["digital_source_type", "content_credentials_panel"]}),
        ("Details", {"fields": ["headline", "date_created", "city", "country", "keywords"]}),
        (
            "Crop",
            {
                "fields": ["focal_picker", "focal_x", "focal_y", "width", "height"],
                "description": "The crops (16:9, 4:3 and 1:1) are centred on the focal point, "
                "measured in pixels of the upright picture.",
            },
        ),
        ("Read from the file", {"fields": ["original_file", "file_metadata", "sha256", "created_at"]}),
    ]

    def get_queryset(self, request):
        # The list and the photo page show only the thumbnail: prefetch that rendition, not every size.
        thumbs = Prefetch("renditions", queryset=Rendition.objects.filter(spec="thumb"))
        return super().get_queryset(request).select_related("source").prefetch_related(thumbs)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            # Credits such as "AFP-Yonhap" are also found through the agencies they name.
            queryset |= self.model.objects.filter(
                Q(credit_sources__name__icontains=search_term) | Q(source__name__icontains=search_term)
            )
            may_have_duplicates = True
        return queryset, may_have_duplicates

    # --- adding -------------------------------------------------------------------------------

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = PhotoAddForm
            kwargs["fields"] = ["image"]
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            note = (
                "Caption, credit, photographer, copyright and keywords are read from the file; "
                "correct them on the next page. To add many photos at once, use “Upload wire photos”."
            )
            return [(None, {"fields": ["image"], "description": note})]
        return super().get_fieldsets(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            if remake_for_changed_metadata(obj, form.changed_data):
                return  # a fresh set, focal crops included
            if {"focal_x", "focal_y"} & set(form.changed_data):
                request_renditions(obj)  # fresh card crops made now, not on a reader's first view
            return
        upload = form.cleaned_data["image"]
        photo, created = import_photo(
            upload, filename=upload.name, uploaded_by=request.user, checked=form.checked_image
        )
        if not created:
            messages.info(request, f"This file was uploaded before; showing the existing photo “{photo}”.")
        for field in Photo._meta.concrete_fields:
            setattr(obj, field.attname, getattr(photo, field.attname))
        obj._state.adding = False

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(lambda: discard_photo_files(obj))

    def delete_queryset(self, request, queryset):
        photos = list(queryset)
        super().delete_queryset(request, queryset)
        transaction.on_commit(lambda: [discard_photo_files(photo) for photo in photos])

    # --- multi-file upload --------------------------------------------------------------------

    def get_urls(self):
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="articles_photo_upload")
        return [upload, *super().get_urls()]

    def upload_view(self, request):
        """Import many files at once; each good file becomes a photo, each reject is listed with its reason."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        results = []
        posted = request.method == "POST"
        form = PhotoUploadForm(request.POST, request.FILES) if posted else PhotoUploadForm()
        if posted and form.is_valid():
            for upload in form.cleaned_data["files"]:
                try:
                    photo, created = import_photo(upload, filename=upload.name, uploaded_by=request.user)
                except PhotoRejected as rejected:
                    results.append({"name": upload.name, "status": "rejected", "error": str(rejected)})
                else:
                    status = "imported" if created else "duplicate"
                    results.append({"name": upload.name, "status": status, "photo": photo})
            counts = {status: sum(r["status"] == status for r in results) for status in STATUSES}
            summary = ", ".join(f"{counts[status]} {label}" for status, label in STATUSES.items())
            messages.add_message(request, messages.WARNING if counts["rejected"] else messages.SUCCESS, summary + ".")
            form = PhotoUploadForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Upload wire photos",
            "form": form,
            "results": results,
        }
        return TemplateResponse(request, "admin/articles/photo/upload.html", context)

    # --- columns and read-only panels ---------------------------------------------------------

    @admin.display(description="Preview")
    def thumbnail(self, photo):
        return thumbnail_html(photo)

    @admin.display(description="Focal point and crops")
    def focal_picker(self, photo):
        return focal_picker_html(photo)

    @admin.display(description="Rights and provenance")
    def badges(self, photo):
        return photo_badges(photo) or "—"

    @admin.display(description="Content credentials (C2PA)")
    def content_credentials_panel(self, photo):
        return credentials_html(photo)

    @admin.display(description="Caption", ordering="caption")
    def caption_excerpt(self, photo):
        return photo.caption[:120] or photo.headline or "—"

    @admin.display(description="Original")
    def original_file(self, photo):
        # No link: originals are private and never served; readers get renditions only.
        if not photo.image:
            return "—"
        kind = photo.image.name.rsplit(".", 1)[-1].upper()
        return f"{kind}, {photo.file_width}×{photo.file_height} pixels, kept privately"

    @admin.display(description="Metadata read from the file")
    def file_metadata(self, photo):
        if not photo.metadata:
            return "—"
        rows = []
        for key, label in METADATA_LABELS:
            value = photo.metadata.get(key)
            if value in (None, "", []):
                continue
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            rows.append((label, value))
        return format_html("<table>{}</table>", format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows))
