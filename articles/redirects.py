"""Old addresses of a story: when a once-public story's slug or date changes, the old URL redirects."""

from contextlib import contextmanager

from .models import Article, ArticleRedirect


def stored_copy(article):
    """The saved row of `article` (the fields that decide its address and status), or None."""
    if article.pk is None:
        return None
    fields = ["status", "slug", "published_at", "created_at", "first_published_at"]
    return Article.objects.filter(pk=article.pk).only(*fields).first()


def public_path(stored):
    """The address a saved story had, if readers could ever have seen it."""
    if stored is None or stored.first_published_at is None:
        return None
    return stored.get_absolute_url()


def record_redirect(article, old_path):
    """Point `old_path` at the story for good if its address changed; returns the redirect or None."""
    new_path = article.get_absolute_url()
    if not old_path or old_path == new_path:
        return None
    # If the story moved back to an old address, that address must serve the story, not redirect.
    ArticleRedirect.objects.filter(old_path=new_path).delete()
    redirect, _ = ArticleRedirect.objects.update_or_create(old_path=old_path, defaults={"article": article})
    return redirect


@contextmanager
def keeping_old_url(article):
    """Wrap a save: if it changes a once-public story's slug or date, the old URL redirects.

    Yields the stored copy from before the save (None for a new story).
    """
    stored = stored_copy(article)
    yield stored
    record_redirect(article, public_path(stored))
