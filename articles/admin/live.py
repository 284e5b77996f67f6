"""The story form while someone types in it: autosave, presence and a preview of what is on screen.

- **Autosave** keeps the form's fields in a StoryDraft per user and story (never the story itself:
  no version, no revision, nothing readers see). The form offers it back when reopened.
- **Presence** is a heartbeat in the cache: who else has the story open, and when they last saved.
  A cache that fails only hides the list; the form keeps working.
- **Preview** renders the posted form on the public template, unsaved.

The views answer POST only (ArticleAdmin.get_urls). static/articles/story-form.js drives all three
and warns before leaving with unsaved changes.
"""

import logging
import time

from django.conf import settings
from django.contrib.admin.utils import unquote
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from reversion.models import Version
from taggit.models import Tag

from ..html import sanitize_html
from ..models import Article, Section, StoryDraft

logger = logging.getLogger(__name__)
# Fields of the form that are not the story: the CSRF token and the admin's own buttons.
SKIPPED = {"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_saveasnew"}


def _story(model_admin, request, object_id):
    """The story a request is about (None for the add form), if this user may change it."""
    if object_id is None:
        if not model_admin.has_add_permission(request):
            raise PermissionDenied
        return None
    article = get_object_or_404(Article, pk=unquote(object_id))
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    return article


# -- autosave -----------------------------------------------------------------------------------
def autosave(model_admin, request, object_id=None):
    article = _story(model_admin, request, object_id)
    data = [[name, value] for name, values in request.POST.lists() if name not in SKIPPED for value in values]
    try:
        base_version = int(request.POST.get("base_version") or "")
    except ValueError:
        base_version = None
    draft, _ = StoryDraft.objects.update_or_create(
        article=article, user=request.user,
        defaults={"data": data, "base_version": base_version, "saved_at": timezone.now()},
    )
    return JsonResponse({"saved_at": timezone.localtime(draft.saved_at).strftime("%H:%M:%S")})


def discard_draft(model_admin, request, object_id=None):
    article = _story(model_admin, request, object_id)
    StoryDraft.objects.filter(article=article, user=request.user).delete()
    return JsonResponse({"discarded": True})


def draft_for(request, article):
    """This user's autosaved draft of `article` (None: the add form), if there is one."""
    return StoryDraft.objects.filter(article=article, user=request.user).first()


def drop_draft(request, article):
    """The user's draft of `article` is saved for real now (and the add form's, if it was new)."""
    StoryDraft.objects.filter(Q(article=article) | Q(article=None), user=request.user).delete()


def draft_initial(form_class, draft, instance):
    """Initial values for an unbound form from an autosaved draft: the draft is validated with the
    form's own fields, and each field that cleans takes its value from it."""
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for name, value in draft.data:
        data.appendlist(name, value)
    # A copy: validating sets the draft's values on the instance, and the page shows the stored one.
    bound = form_class(data, instance=Article.objects.get(pk=instance.pk) if instance.pk else Article())
    bound.submission = None  # a preview of values, not a save: no merge
    bound.is_valid()
    initial = {name: value for name, value in getattr(bound, "cleaned_data", {}).items() if name in bound.fields}
    # The merge on save must start from the version the draft was typed against.
    initial["base_version"] = draft.base_version
    if data.get("base_tags") is not None:
        initial["base_tags"] = data.get("base_tags")
    return initial


# -- presence -----------------------------------------------------------------------------------
def _presence_key(article):
    return f"story-presence:{article.pk}"


def heartbeat(model_admin, request, object_id):
    """Record that this user has the story open; answer who else has, and when they last saved."""
    article = _story(model_admin, request, object_id)
    interval = settings.NEWSROOM_PRESENCE_SECONDS
    now = time.time()
    try:
        present = cache.get(_presence_key(article)) or {}
        present = {uid: seen for uid, seen in present.items() if now - seen["at"] < 3 * interval}
        present[str(request.user.pk)] = {"at": now, "name": request.user.get_username()}
        cache.set(_presence_key(article), present, timeout=3 * interval)
    except Exception:  # a cache outage hides presence, never the form
        logger.warning("presence unavailable for story %s", article.pk, exc_info=True)
        return JsonResponse({"others": [], "available": False})
    others = [
        {"name": seen["name"], "last_saved": _last_saved(article, uid)}
        for uid, seen in sorted(present.items(), key=lambda item: item[1]["name"])
        if uid != str(request.user.pk)
    ]
    return JsonResponse({"others": others, "available": True})


def _last_saved(article, user_id):
    version = (
        Version.objects.get_for_object(article)
        .filter(revision__user_id=user_id)
        .order_by("-revision__date_created")
        .select_related("revision")
        .first()
    )
    return f"{timezone.localtime(version.revision.date_created):%H:%M}" if version else None


# -- preview of the form as it is on screen -----------------------------------------------------
def preview(model_admin, request, object_id=None):
    """The public story template with what is in the form now; nothing is saved."""
    from ..views import ArticleDetailView

    article = _story(model_admin, request, object_id)
    if article is not None:
        # Byline, captions and notes as saved; the story's own fields and tags as on screen.
        instance = Article.objects.with_related().get(pk=article.pk)
    else:
        # pk 0: no row has it, and related managers (taggit's refuses an instance without one)
        # read the empty lists below instead of the database.
        instance = Article(pk=0, created_at=timezone.now())
        instance._prefetched_objects_cache = {"authorships": [], "captions": [], "notes": [], "tags": []}
    form_class = model_admin.get_form(request, article, change=article is not None)
    form = form_class(request.POST, instance=instance)
    form.submission = None
    form.is_valid()  # a field that does not validate keeps its saved value
    cleaned = getattr(form, "cleaned_data", {})
    concrete = {field.name for field in Article._meta.concrete_fields}
    for name, value in cleaned.items():
        if name in concrete:
            setattr(instance, name, value)
    if "tags" in cleaned:
        names = form.tag_names()
        instance._prefetched_objects_cache["tags"] = list(Tag.objects.filter(name__in=names))
    instance.body = sanitize_html(instance.body or "")
    instance.slug = instance.slug or "preview"
    if instance.section_id is None:
        instance.section = Section(name="No section chosen yet", slug="preview")  # not saved
    view = ArticleDetailView()
    view.setup(request, pk=instance.pk)
    view.object = instance
    context = view.get_context_data(object=instance, is_preview=True)
    response = TemplateResponse(request, view.get_template_names(), context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response

