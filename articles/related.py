"""'More on this': stories sharing the most tags with a story, newest first among equals."""

from django.db.models import Count

from .models import Article


def related_articles(article, limit=5):
    """Published stories sharing tags with `article`, in one query (tags must be prefetched)."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    if not tag_ids:
        return []
    return list(
        Article.objects.published()
        .exclude(pk=article.pk)
        .filter(tags__in=tag_ids)
        .annotate(shared_tags=Count("pk"))
        .only("headline", "slug", "published_at", "created_at")
        .order_by("-shared_tags", "-published_at", "-pk")[:limit]
    )
