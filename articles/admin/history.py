"""The story admin's extra pages: history, compare two revisions, restore one, and share a preview.

Plain views taking the ArticleAdmin they serve (for permissions, messages and the admin's context);
ArticleAdmin.get_urls wires them. The rules they apply live in articles.revisions, permissions and preview.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from newsroom.links import absolute_url

from .. import permissions, preview, revisions
from ..publishing import preview_state
from . import confirm


class ShareLinkForm(forms.Form):
    hours = forms.IntegerField(
        min_value=1,
        initial=lambda: settings.NEWSROOM_SHARE_LINK_HOURS,  # read when the form is shown
        help_text="The link stops working after this many hours, or as soon as the story is published or killed.",
    )

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours > settings.NEWSROOM_SHARE_LINK_MAX_HOURS:
            raise ValidationError(f"At most {settings.NEWSROOM_SHARE_LINK_MAX_HOURS} hours.")
        return hours


def article_or_404(model_admin, request, object_id):
    # ModelAdmin.get_object answers None for ids that are not a number (get_object_or_404 raised a 500).
    article = model_admin.get_object(request, unquote(object_id))
    if article is None:
        raise Http404("No such story.")
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    return article


def _render(model_admin, request, template, article, title, **context):
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"{title}: {article}",
        "opts": model_admin.opts,
        "object": article,
        **context,
    }
    return TemplateResponse(request, f"admin/articles/article/{template}", context)


def history(model_admin, request, object_id, extra_context=None):
    article = article_or_404(model_admin, request, object_id)
    return _render(
        model_admin,
        request,
        "history.html",
        article,
        "History",
        versions=list(revisions.versions_of(article)),
        status_changes=article.status_changes.select_related("changed_by"),
        can_restore=permissions.can_edit_content(request.user, article),
        **(extra_context or {}),
    )


def compare(model_admin, request, object_id):
    article = article_or_404(model_admin, request, object_id)
    versions = revisions.versions_of(article)

    def pick(name):
        value = request.GET.get(name, "current")
        if value == "current":
            return "Current story", revisions.snapshot_of_article(article)
        if not value.isdigit():
            raise Http404("No such revision.")
        version = get_object_or_404(versions, pk=value)
        user = version.revision.user or "the wire"
        return f"{timezone.localtime(version.revision.date_created):%Y-%m-%d %H:%M} by {user}", (
            revisions.snapshot_of_version(version)
        )

    (old_label, old), (new_label, new) = pick("old"), pick("new")
    return _render(
        model_admin,
        request,
        "compare.html",
        article,
        "Compare revisions",
        old_label=old_label,
        new_label=new_label,
        changes=revisions.compare(old, new),
    )


def restore(model_admin, request, object_id, version_id):
    """GET (or a POST without its token): what the restore changes, to confirm; a confirmed POST restores."""
    article = article_or_404(model_admin, request, object_id)
    if not permissions.can_edit_content(request.user, article):
        raise PermissionDenied
    version = get_object_or_404(revisions.versions_of(article), pk=version_id)
    if not confirm.is_confirmed(request, confirm.RESTORE, [article.pk, version.pk]):
        when = timezone.localtime(version.revision.date_created)
        label = f"{when:%Y-%m-%d %H:%M} by {version.revision.user or 'the wire'}"
        changes = revisions.compare(revisions.snapshot_of_article(article), revisions.snapshot_of_version(version))
        return confirm.restore_page(model_admin, request, article, version, label=label, changes=changes)
    try:
        revisions.restore_version(article, version, by=request.user)
    except IntegrityError:
        model_admin.message_user(
            request, "That revision cannot be restored: a photo or author it uses has been deleted.", messages.ERROR
        )
    else:
        model_admin.message_user(
            request, "The revision was restored; the restore is itself a new revision.", messages.SUCCESS
        )
    return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))


def share(model_admin, request, object_id):
    article = article_or_404(model_admin, request, object_id)
    if not permissions.can_publish(request.user):
        raise PermissionDenied
    link = None
    form = ShareLinkForm(request.POST or None)
    if article.status not in preview.SHAREABLE_STATUSES:
        form = None
    elif request.method == "POST" and form.is_valid():
        link = absolute_url(preview.share_url(article, hours=form.cleaned_data["hours"]))
    return _render(
        model_admin, request, "share.html", article, "Share a preview", form=form, link=link,
        preview_state=preview_state(article),
    )
