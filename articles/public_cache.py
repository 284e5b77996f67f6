"""Caches of public output, all keyed by the content generation (pagecache.generation).

Short-lived lists (section navigation, Top 10) live here; whole anonymous responses (pages,
feeds, sitemaps, search) are kept by pagecache.middleware. Nothing is ever deleted on a change:
database triggers bump the generation in the same transaction as any change to a story, section,
tag, author, source, photo, caption or note -- from the admin, ingest, the shell or a plain
``QuerySet.update()`` -- and the clock part of the generation moves when a scheduled story or an
embargo comes due. The next request in every process then reads fresh entries.

A CDN cannot see the generation, so saves also purge the CDN by surrogate key (pagecache.purge).
"""

from functools import wraps

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from pagecache.generation import current_generation
from pagecache.keys import SITE_KEY, TOP_STORIES_KEY, add_keys
from pagecache.purge import purge_enabled, purge_on_commit

from .models import Article, ArticleAuthor, ArticleNote, Author, Caption, Photo, Section, Source


def cached_public(name, build, timeout=300):
    """The value of `build()`, kept in the cache until `timeout` or the next content change."""
    key = f"public-cache:{current_generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


def nav_sections():
    """Every section, for the navigation and the search filter: no query while the cache is warm."""
    return cached_public("nav-sections", lambda: list(Section.objects.all()))


def cache_public_response(view):
    """Marks a feed or sitemap view: its responses carry the "feeds" or "sitemaps" surrogate key.

    The response itself is cached by pagecache.middleware like every other public response.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        return add_keys(response, "sitemaps" if "sitemap" in request.path_info else "feeds")

    return wrapper


def story_purge_keys(article):
    """What a change to `article` may alter at a CDN: its page, its lists, home, feeds, sitemaps."""
    keys = {f"story-{article.pk}", f"section-{article.section_id}", "home", "feeds", "sitemaps", "search"}
    if article.source_id:
        keys.add(f"source-{article.source_id}")
    if article.pk:
        keys |= {f"tag-{pk}" for pk in article.tags.values_list("pk", flat=True)}
        keys |= {f"author-{pk}" for pk in article.authorships.values_list("author_id", flat=True)}
    # Every page shows the Top 10 box; a story in it changes every page. (Imported here:
    # top_stories builds on this module's cached_public.)
    from .top_stories import top_stories

    if any(story.pk == article.pk for story in top_stories()):
        keys.add(TOP_STORIES_KEY)
    return keys


def purge_story(sender, instance, **kwargs):
    if not purge_enabled():
        return  # no CDN: working out the keys would cost queries for nothing
    article = instance if isinstance(instance, Article) else getattr(instance, "article", None)
    if article is not None:
        purge_on_commit(story_purge_keys(article))


def purge_site(sender, **kwargs):
    """Sections, sources, authors and photos show on many pages (navigation, bylines, credits)."""
    if purge_enabled():
        purge_on_commit({SITE_KEY})


def invalidate_public_cache(article=None):
    """After a write that sends no signals (``QuerySet.update()``): purge the CDN for `article`
    (or the whole site). The server-side caches need no call: the triggers saw the write."""
    if not purge_enabled():
        return
    purge_on_commit(story_purge_keys(article) if article is not None else {SITE_KEY})


def connect_signals():
    """CDN purges after saves (called from ArticlesConfig.ready); the server cache needs none."""
    for model in (Article, Caption, ArticleNote, ArticleAuthor):
        post_save.connect(purge_story, sender=model, dispatch_uid=f"purge-save-{model.__name__}")
        post_delete.connect(purge_story, sender=model, dispatch_uid=f"purge-delete-{model.__name__}")
    m2m_changed.connect(purge_story, sender=Article.tags.through, dispatch_uid="purge-tags")
    for model in (Section, Source, Author, Photo):
        post_save.connect(purge_site, sender=model, dispatch_uid=f"purge-save-{model.__name__}")
        post_delete.connect(purge_site, sender=model, dispatch_uid=f"purge-delete-{model.__name__}")
