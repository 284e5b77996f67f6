"""Which CDN surrogate keys a change purges (pagecache.purge sends them after the commit).

The server-side caches need none of this: they follow the database's content generation.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from pagecache.keys import SITE_KEY, TOP_STORIES_KEY
from pagecache.purge import purge_enabled, purge_on_commit

from .models import Article, ArticleAuthor, ArticleNote, Author, Caption, Photo, Section, Source
from .top_stories import top_stories


def story_purge_keys(article):
    """What a change to `article` may alter at a CDN: its page, its lists, home, feeds, sitemaps."""
    keys = {f"story-{article.pk}", f"section-{article.section_id}", "home", "feeds", "sitemaps", "search"}
    if article.source_id:
        keys.add(f"source-{article.source_id}")
    if article.pk:
        keys |= {f"tag-{pk}" for pk in article.tags.values_list("pk", flat=True)}
        keys |= {f"author-{pk}" for pk in article.authorships.values_list("author_id", flat=True)}
    # Every page shows the Top 10 box; a story in it changes every page.
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


def purge_after_update(article):
    """After a write that sends no signals (``QuerySet.update()``) to `article`."""
    purge_story(Article, article)


def connect_signals():
    """CDN purges after saves (called from ArticlesConfig.ready)."""
    for model in (Article, Caption, ArticleNote, ArticleAuthor):
        post_save.connect(purge_story, sender=model, dispatch_uid=f"purge-save-{model.__name__}")
        post_delete.connect(purge_story, sender=model, dispatch_uid=f"purge-delete-{model.__name__}")
    m2m_changed.connect(purge_story, sender=Article.tags.through, dispatch_uid="purge-tags")
    for model in (Section, Source, Author, Photo):
        post_save.connect(purge_site, sender=model, dispatch_uid=f"purge-save-{model.__name__}")
        post_delete.connect(purge_site, sender=model, dispatch_uid=f"purge-delete-{model.__name__}")
