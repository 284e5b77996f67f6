"""A tag's or an author's page of story ids, newest first, from the link table's own index (PostgreSQL).

Each link row (taggit's tagged item of a story, an ArticleAuthor) carries its story's publication
time, kept exact by triggers (migration 0015_link_publication_order), and is indexed by (tag or
author, that time, story id), the order the page shows. So a page reads its ids by walking that
subject's own links, newest first, and checks each story against the published rule: its cost is
the page's size, whether the tag was last used today or ten years ago (walking the newest stories
of the whole archive instead cost 0.6 s for an old tag at 100,000 stories). Elsewhere (SQLite) the
page's queryset gives the ids through the join.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from .models import PUBLISHED_SQL, Article

# kind -> (link table, its subject column, its story column, what else a link must match)
LINKS = {
    "tag": ("taggit_taggeditem", "tag_id", "object_id", "AND l.content_type_id = %(content_type)s"),
    "author": ("articles_articleauthor", "author_id", "article_id", ""),
}


def linked_ids_sql(kind):
    table, subject, story, extra = LINKS[kind]
    return f"""
SELECT l.{story} FROM {table} l JOIN articles_article a ON a.id = l.{story}
WHERE l.{subject} = %(subject)s {extra} AND l.story_published_at <= %(now)s AND {PUBLISHED_SQL}
ORDER BY l.story_published_at DESC, l.{story} DESC
LIMIT %(limit)s OFFSET %(offset)s
"""


SQL = {kind: linked_ids_sql(kind) for kind in LINKS}


def orders_by_links():
    return connection.vendor == "postgresql"


def linked_story_ids(kind, subject_pk, start, stop):
    """Ids of the published stories of tag or author `subject_pk`, newest first, [start:stop]."""
    params = {
        "subject": subject_pk,
        "content_type": ContentType.objects.get_for_model(Article).pk,
        "now": timezone.now(),
        "limit": stop - start,
        "offset": start,
    }
    with connection.cursor() as cursor:
        cursor.execute(SQL[kind], params)
        return [row[0] for row in cursor.fetchall()]
