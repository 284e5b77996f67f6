"""Confirmation pages for the desk's two drastic moves: killing a story (the form and the list action)
and restoring an old revision.

The first request shows what will happen and issues a token; the move happens only on a POST that
carries it back. The token is signed for this user, this move and exactly these stories, and lasts
CONFIRM_SECONDS, so a forged or replayed form (or one for other stories) only shows the page again.
The admin's CSRF check applies to every POST as usual. Works without JavaScript.
"""

from django.core import signing
from django.template.response import TemplateResponse

from .. import permissions
from ..models import Article

SALT = "articles.admin.confirm"
CONFIRM_SECONDS = 30 * 60  # long enough to read the page and ask a colleague; not a setting
TOKEN_FIELD = "confirm_token"

KILL = "kill"
RESTORE = "restore"


def _payload(request, move, ids):
    return {"user": request.user.pk, "move": move, "ids": sorted(str(i) for i in ids)}


def confirm_token(request, move, ids):
    """The token a confirmation page posts back for `move` on the stories (or revision) `ids`."""
    return signing.dumps(_payload(request, move, ids), salt=SALT)


def is_confirmed(request, move, ids):
    """True if the POST carries a valid, unexpired token for this user, `move` and exactly `ids`."""
    token = request.POST.get(TOKEN_FIELD, "") if request.method == "POST" else ""
    if not token:
        return False
    try:
        payload = signing.loads(token, salt=SALT, max_age=CONFIRM_SECONDS)
    except signing.BadSignature:  # includes SignatureExpired
        return False
    return payload == _payload(request, move, ids)


def kill_needs_confirmation(request, object_id):
    """A POST of the story form that would move a stored, not yet killed story to killed, by someone
    allowed to kill it, without a confirmation for it. (Users who may not kill get the form's error.)"""
    if request.method != "POST" or request.POST.get("status") != Article.Status.KILLED:
        return None
    if not str(object_id).isdigit() or not permissions.can_publish(request.user):
        return None
    article = Article.objects.filter(pk=object_id).first()
    if article is None or article.status == Article.Status.KILLED or is_confirmed(request, KILL, [article.pk]):
        return None
    return article


def _context(model_admin, request, title, **context):
    return {**model_admin.admin_site.each_context(request), "title": title, "opts": model_admin.opts, **context}


def kill_form_page(model_admin, request, article):
    """Confirm a kill asked for in the story form: the page posts the whole form back, with the token."""
    posted = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", TOKEN_FIELD)
        for value in values
    ]
    return TemplateResponse(
        request,
        "admin/articles/article/confirm_kill.html",
        _context(
            model_admin, request, f"Kill “{article}”?",
            object=article, stories=[article], posted=posted, action_url=request.get_full_path(),
            token=confirm_token(request, KILL, [article.pk]), from_form=True,
        ),
    )


def kill_action_page(model_admin, request, queryset):
    """Confirm the "Unpublish (kill)" list action for the selected stories."""
    stories = list(queryset.select_related("section"))
    posted = [("action", request.POST.get("action", "")), *[("_selected_action", s.pk) for s in stories]]
    return TemplateResponse(
        request,
        "admin/articles/article/confirm_kill.html",
        _context(
            model_admin, request, f"Kill {len(stories)} {'story' if len(stories) == 1 else 'stories'}?",
            stories=stories, posted=posted, action_url=request.get_full_path(),
            token=confirm_token(request, KILL, [s.pk for s in stories]), from_form=False,
        ),
    )


def restore_page(model_admin, request, article, version, *, label, changes):
    """Confirm bringing back an old revision: what it changes, and that readers see it at once if live."""
    return TemplateResponse(
        request,
        "admin/articles/article/confirm_restore.html",
        _context(
            model_admin, request, f"Restore an earlier revision of “{article}”?",
            object=article, version=version, label=label, changes=changes,
            is_live=article.is_published(), token=confirm_token(request, RESTORE, [article.pk, version.pk]),
        ),
    )
