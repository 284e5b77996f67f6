"""The desk's admin pages: notifications (list, open, mark read) and a story's comment thread,
which the story form reads and posts to with fetch, so posting never touches the form."""

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from articles.models import Article
from articles.permissions import can_view_story

from . import comments
from .notifications import mark_read, visible_notifications

LIST_LENGTH = 100


@staff_member_required
def notifications_page(request):
    notifications = list(visible_notifications(request.user).select_related("actor", "article")[:LIST_LENGTH])
    context = {
        **admin.site.each_context(request),
        "title": "Notifications",
        "notifications": notifications,
        "unread": sum(1 for n in notifications if not n.is_read),
    }
    return TemplateResponse(request, "admin/desk/notifications.html", context)


@staff_member_required
@require_POST
def notifications_mark_read(request):
    """All of them, or those named by `id` (repeatable)."""
    ids = request.POST.getlist("id")
    if ids and not all(value.isdigit() for value in ids):
        return JsonResponse({"error": "Notification ids are numbers."}, status=400)
    changed = mark_read(request.user, [int(value) for value in ids] if ids else None)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({"marked": changed})
    return HttpResponseRedirect(reverse("desk:notifications"))


@staff_member_required
def notification_open(request, notification_id):
    """Mark it read and go to the story (the notification list if the story is gone or out of reach)."""
    notification = get_object_or_404(visible_notifications(request.user), pk=notification_id)
    mark_read(request.user, [notification.pk])
    if notification.article_id and can_view_story(request.user, notification.article):
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[notification.article_id]))
    return HttpResponseRedirect(reverse("desk:notifications"))


@staff_member_required
@require_http_methods(["GET", "POST"])
def story_comments(request, article_id):
    """GET: the thread as HTML. POST (text=): add a comment; JSON {html} or {error} with 400/403."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise Http404("No such story.")
    if not can_view_story(request.user, article):
        raise PermissionDenied
    if request.method == "POST":
        wants_json = request.headers.get("Accept") == "application/json"  # desk/comments.js
        try:
            comments.post_comment(article, request.user, request.POST.get("text", ""))
        except ValidationError as error:
            if not wants_json:
                messages.error(request, " ".join(error.messages))
                return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        if not wants_json:  # a browser without JavaScript posted the form itself
            messages.success(request, "Comment posted.")
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        return JsonResponse({"html": thread_html(request, article)}, status=201)
    return JsonResponse({"html": thread_html(request, article)})


@staff_member_required
def mentions(request):
    """Desk users whose username starts with `q`, for the comment box's @ suggestions."""
    query = request.GET.get("q", "").strip().lstrip("@")
    if not query:
        return JsonResponse({"users": []})
    return JsonResponse({"users": comments.mentionable(query)})


def thread_html(request, article):
    return render_to_string(
        "admin/desk/comment_list.html", {"comments": comments.thread(article)}, request=request
    )
