"""Short-lived caches of public lists (section navigation, Top 10) that are dropped on every save.

Each cached value lives under a key that includes a generation number; saving or deleting any
Article or Section bumps the generation, so a killed story vanishes from every cached list at once.
Writes through ``QuerySet.update()`` skip signals: call ``invalidate_public_cache()`` after them.
"""

import time

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

GENERATION_KEY = "public-cache:generation"


def _generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = time.time_ns()
        if not cache.add(GENERATION_KEY, generation, None):
            generation = cache.get(GENERATION_KEY, generation)
    return generation


def cached_public(name, build, timeout=300):
    """The value of `build()`, kept in the cache until `timeout` or the next content change."""
    key = f"public-cache:{_generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


def invalidate_public_cache(**kwargs):
    """Forget every cached public list; the next page builds them afresh."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


def connect_signals():
    """Drop the caches whenever a story or section changes (called from ArticlesConfig.ready)."""
    from .models import Article, Section

    for model in (Article, Section):
        post_save.connect(invalidate_public_cache, sender=model, dispatch_uid=f"public-cache-save-{model.__name__}")
        post_delete.connect(invalidate_public_cache, sender=model, dispatch_uid=f"public-cache-delete-{model.__name__}")
