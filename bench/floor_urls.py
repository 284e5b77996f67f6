"""The floor of an uncached story page (bench/pages.py): what any story page costs on this machine
while it runs through Newsroom's whole middleware stack and reads live what the page reads live.

/floor/<slug>/ runs the story page's two queries -- the story's row with its section and stored
fragment, then "more on this" and "more from the section" -- compiled once from the same queryset
and SQL, on a plain cursor, and answers the bytes Newsroom served for the page (BENCH_BYTES_DIR),
from memory. No model instance, no template, no page cache. Not a page to ship: a story page written
without the ORM and templates could at best reach this, so it tells how much of the gap to the
baseline is ours to close.
"""

import json
import os
from datetime import datetime
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone

from articles.fragments import published_with_fragment
from articles.models import Article
from articles.related import STORY_LINKS_SQL

_compiled = {}


def compiled_story_query():
    """The story page's row query as SQL and parameters (its times swapped for now on each use)."""
    if not _compiled:
        queryset = published_with_fragment(Article.objects.published()).filter(slug="")
        _compiled["query"] = queryset.query.sql_with_params()
        _compiled["content_type"] = ContentType.objects.get_for_model(Article).pk
        _compiled["bytes"] = (Path(os.environ["BENCH_BYTES_DIR"]) / "story.html").read_bytes()
    return _compiled


def floor_story(request, slug):
    compiled = compiled_story_query()
    sql, params = compiled["query"]
    now = timezone.now()
    params = [now if isinstance(value, datetime) else slug if value == "" else value for value in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        row = cursor.fetchone()
        story = dict(zip(reversed(names), reversed(row), strict=True))  # the first of two same-named columns wins
        cursor.execute(STORY_LINKS_SQL, {
            "tag_ids": json.loads(story["tag_ids"]),  # a JSON column: text on a plain cursor
            "content_type": compiled["content_type"], "pk": story["id"], "section": story["section_id"],
            "now": now, "limit": 5, "section_limit": 10,
        })
        cursor.fetchall()
    return HttpResponse(compiled["bytes"], content_type="text/html; charset=utf-8")


urlpatterns = [path("floor/<slug:slug>/", floor_story), path("", include("newsroom.urls"))]
