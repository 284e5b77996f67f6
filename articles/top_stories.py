"""The "Top 10 Stories" box."""
from .models import Article


def top_stories(limit=10):
    """Stories for the box: the latest published ones (most-read ranking arrives with the reader features)."""
    return list(Article.objects.published().filter(exclude_from_top_stories=False).latest()[:limit])
