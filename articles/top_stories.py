"""The "Top 10 Stories" box: most read over the last hours, topped up with the latest stories."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from .models import Article
from .public_cache import cached_public

CARD_FIELDS = ("headline", "slug", "published_at", "created_at", "section_id")


def rank_top_stories(limit=10, now=None):
    """Most-read published stories of the window (reads counted by readership), then the latest."""
    now = now or timezone.now()
    since = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=settings.NEWSROOM_TOP_STORIES_HOURS)
    candidates = Article.objects.published(now).filter(exclude_from_top_stories=False).only(*CARD_FIELDS)
    most_read = list(
        candidates.filter(read_counts__hour__gte=since)
        .annotate(reads=Sum("read_counts__reads"))
        .order_by("-reads", "-published_at", "-pk")[:limit]
    )
    if len(most_read) < limit:
        most_read += candidates.exclude(pk__in=[a.pk for a in most_read]).newest_first()[: limit - len(most_read)]
    return most_read


def top_stories(limit=10):
    """The box's stories, cached briefly and dropped whenever a story or section is saved."""
    timeout = settings.NEWSROOM_TOP_STORIES_CACHE_SECONDS
    return cached_public(f"top-stories:{limit}", lambda: rank_top_stories(limit), timeout)
