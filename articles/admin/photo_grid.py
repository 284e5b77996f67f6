"""The photo grid: the story form's chooser (search, credit, source, date) and its one-step upload.

The same cards (templates/admin/articles/photo/grid.html) draw the media library, the Photo list
in grid view. The chooser offers only photos readers may see now (Photo.objects.usable()); the
upload goes through the one pipeline, photos.import_photo, one file per request so each file
gets its own answer.
"""

import json
from datetime import timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from ..models import Photo, Rendition, Source
from ..photos import PhotoRejected, import_photo
from ..rights import photo_problems
from .story_photos import photo_card

CHOOSER_PAGE_SIZE = 24
UPLOADED_WITHIN = {"1": "Today", "7": "Past 7 days", "30": "Past 30 days", "365": "Past year"}


class PhotoSearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, widget=forms.SearchInput(attrs={"size": 30}))
    credit = forms.CharField(label="Credit", required=False, widget=forms.TextInput(attrs={"size": 16}))
    source = forms.ModelChoiceField(label="Source", queryset=Source.objects.all(), required=False, empty_label="Any")
    uploaded = forms.ChoiceField(
        label="Uploaded", choices=[("", "Any time"), *UPLOADED_WITHIN.items()], required=False
    )
    mine = forms.BooleanField(label="My uploads", required=False)


def search_photos(photos, data, user, now=None):
    """`photos` narrowed by the chooser's search (caption, headline, credit, agencies named) and filters."""
    now = now or timezone.now()
    if data.get("q"):
        q = data["q"]
        photos = photos.filter(
            Q(caption__icontains=q) | Q(headline__icontains=q) | Q(credit__icontains=q)
            | Q(photographer__icontains=q) | Q(keywords__icontains=q) | Q(credit_sources__name__icontains=q)
        )  # fmt: skip
    if data.get("credit"):
        photos = photos.filter(Q(credit__icontains=data["credit"]) | Q(credit_sources__name__icontains=data["credit"]))
    if data.get("source"):
        photos = photos.filter(Q(source=data["source"]) | Q(credit_sources=data["source"]))
    if data.get("uploaded"):
        photos = photos.filter(created_at__gte=now - timedelta(days=int(data["uploaded"])))
    if data.get("mine"):
        photos = photos.filter(uploaded_by=user)
    return photos.distinct()


def with_thumbnails(photos):
    return photos.select_related("source").prefetch_related(
        Prefetch("renditions", queryset=Rendition.objects.filter(spec="thumb"))
    )


def rights_status(photo, now):
    """(kind, label) for the card's rights badge, or None for a photo free to use."""
    if photo.expires_at is not None and photo.expires_at <= now:
        return ("expired", "Licence ended")
    if photo.usable_from is not None and photo.usable_from > now:
        return ("embargoed", "Embargoed")
    if photo.usage_terms:
        return ("restricted", "Usage terms")
    return None


def grid_card(photo, user, now):
    """A card of the grid: photo_card's data (also as JSON for the chooser's script) and the photo."""
    card = photo_card(photo, user)
    return {**card, "json": json.dumps(card), "photo": photo, "rights": rights_status(photo, now)}


def chooser(model_admin, request):
    """The chooser's results (an HTML fragment the dialog shows): usable photos, newest first."""
    if not request.user.has_perm("articles.view_photo"):
        raise PermissionDenied
    form = PhotoSearchForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    now = timezone.now()
    photos = search_photos(Photo.objects.usable(now), data, request.user, now)
    photos = with_thumbnails(photos).order_by("-created_at", "-pk")
    page = Paginator(photos, CHOOSER_PAGE_SIZE).get_page(request.GET.get("page"))
    cards = [grid_card(photo, request.user, now) for photo in page]
    context = {"form": form, "page": page, "cards": cards, "choosing": True}
    return TemplateResponse(request, "admin/articles/photo/chooser.html", context)


def upload(model_admin, request):
    """One file from the story form's drop zone: imported (or found again) and described as JSON."""
    if not request.user.has_perm("articles.add_photo"):
        raise PermissionDenied
    file = request.FILES.get("file")
    if file is None:
        return JsonResponse({"error": "No file arrived; choose a photo file and try again."}, status=400)
    name = file.name[:200]
    try:
        photo, created = import_photo(file, filename=file.name, uploaded_by=request.user)
    except PhotoRejected as rejected:
        return JsonResponse({"name": name, "error": str(rejected)}, status=422)
    problems = photo_problems(photo, at=timezone.now(), sponsored=False)
    if problems:
        # Uploaded before (or its metadata says so): in the library, but not for this story now.
        return JsonResponse(
            {"name": name, "error": f"This photo is in the library but cannot be used now: {'; '.join(problems)}."},
            status=422,
        )
    card = photo_card(photo, request.user)
    return JsonResponse({"name": name, "created": created, "photo": card}, status=201 if created else 200)
