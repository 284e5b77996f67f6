"""Surrogate keys: names a CDN can purge a group of cached responses by.

Every public response carries "site"; views add what they show (``add_keys``): "story-12",
"section-3", "tag-7", "author-2", "source-1", "home", "feeds", "sitemaps", "search",
"top-stories" (pages with the Top 10 box). ``keys_for_article`` is the set a change to one story
must purge (pagecache.purge).
"""

SITE_KEY = "site"
TOP_STORIES_KEY = "top-stories"
_ATTRIBUTE = "_surrogate_keys"


def add_keys(response, *keys):
    """Attach `keys` to `response` (the page cache middleware sends them as a header)."""
    existing = getattr(response, _ATTRIBUTE, [])
    setattr(response, _ATTRIBUTE, [*existing, *(k for k in keys if k not in existing)])
    return response


def response_keys(response):
    return getattr(response, _ATTRIBUTE, [])


def article_keys(article):
    """The keys of a story page: the story, its section, tags, authors and source."""
    keys = [f"story-{article.pk}", f"section-{article.section_id}"]
    keys += [f"tag-{tag.pk}" for tag in article.tags.all()]
    keys += [f"author-{authorship.author_id}" for authorship in article.authorships.all()]
    if article.source_id:
        keys.append(f"source-{article.source_id}")
    return keys
