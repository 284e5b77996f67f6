"""Previews of unpublished stories: staff see any story; share links let a guest read one draft.

A share link carries a signed token (django.core.signing) holding the story's id, the time it was
made and an expiry time. It stops working when it expires, when the story is published or killed,
or when the SECRET_KEY changes, and it stays dead: a story killed and then put back to draft
does not revive links made before the kill (its status history says so).
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from .models import Article
from .views import ArticleDetailView, HomeView

SALT = "articles.preview.share"
SHAREABLE_STATUSES = {Article.Status.DRAFT, Article.Status.READY}


class ShareLinkError(Exception):
    """The share link cannot be used; `str(error)` is shown to the reader."""

    status = 404


class ShareLinkGone(ShareLinkError):
    status = 410


def make_share_token(article, *, hours=None, now=None):
    """A signed token for `article` that works until `hours` from now."""
    hours = settings.NEWSROOM_SHARE_LINK_HOURS if hours is None else hours
    if not 0 < hours <= settings.NEWSROOM_SHARE_LINK_MAX_HOURS:
        raise ValueError(f"A share link lasts between 1 and {settings.NEWSROOM_SHARE_LINK_MAX_HOURS} hours.")
    now = now or timezone.now()
    expires = now + timedelta(hours=hours)
    return signing.dumps({"a": article.pk, "i": now.timestamp(), "e": int(expires.timestamp())}, salt=SALT)


def share_url(article, **kwargs):
    return reverse("reader:share", args=[make_share_token(article, **kwargs)])


def article_for_share_token(token, *, now=None):
    """The story a share link opens, or ShareLinkError saying why it no longer does."""
    try:
        payload = signing.loads(token, salt=SALT)
        article_id, issued, expires = int(payload["a"]), float(payload["i"]), int(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ShareLinkError("This preview link is not valid.") from None
    if (now or timezone.now()).timestamp() >= expires:
        raise ShareLinkGone("This preview link has expired. Ask the editor for a new one.")
    article = Article.objects.with_related().filter(pk=article_id).first()
    if article is None:
        raise ShareLinkError("This preview link is not valid.")
    if article.status not in SHAREABLE_STATUSES or went_public_since(article, issued):
        raise ShareLinkGone("This preview link no longer works: the story has been published or withdrawn.")
    return article


def went_public_since(article, timestamp):
    """Whether the story was published or killed after the link was made (and perhaps reopened since)."""
    since = datetime.fromtimestamp(timestamp, tz=UTC)
    return article.status_changes.filter(
        to_status__in=[Article.Status.PUBLISHED, Article.Status.KILLED], changed_at__gte=since
    ).exists()


class PreviewMixin:
    """Render one story on the public template, marked as a preview, whatever its status.

    Only the story itself is widened: "more from section" and the sidebars stay published-only.
    """

    def get(self, request, *args, **kwargs):
        self.object = self.get_preview_object()
        response = self.render_to_response(self.get_context_data(object=self.object, is_preview=True))
        response["X-Robots-Tag"] = "noindex, nofollow"
        # A share link is a secret in the URL: do not hand it to other sites as a Referer.
        response["Referrer-Policy"] = "no-referrer"
        return response


@method_decorator([never_cache, staff_member_required], name="dispatch")
class StaffPreviewView(PreviewMixin, ArticleDetailView):
    def get_preview_object(self):
        if not self.request.user.has_perm("articles.view_article"):
            raise Http404
        return get_object_or_404(Article.objects.with_related(), pk=self.kwargs["pk"])


@method_decorator(never_cache, name="dispatch")
class SharedPreviewView(PreviewMixin, ArticleDetailView):
    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except ShareLinkError as error:
            response = render(request, "articles/share_link_error.html", {"message": str(error)}, status=error.status)
            response["Cache-Control"] = "no-store"
            return response

    def get_preview_object(self):
        return article_for_share_token(self.kwargs["token"])


class FrontPagePreviewView(HomeView):
    """The home page as the desk's staged layout would make it (the admin serves it to curators only).

    Only the arrangement is staged: every story in it is still a published one (a pinned draft
    falls back here exactly as it would live), so the preview shows what readers would get.
    """

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(front_preview=self.layout, **kwargs)
