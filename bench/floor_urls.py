"""The floor of an uncached story page (bench/pages.py): what any story page costs on this machine
while it runs through Newsroom's whole middleware stack and reads live what the page reads live.

/floor/<slug>/ runs the story page's two story queries -- the story's row with its stored page,
then "more on this" and "more from the section" -- with the page's own SQL (articles.story_page,
articles.related) on a plain cursor, and answers the bytes Newsroom served for the page
(BENCH_BYTES_DIR), from memory. No generation check, no filling, no page cache. Not a page to
ship: it tells how much of the gap to the baseline is the stack's and the database's, and how much
is the page's own work."""

import json
import os
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone

from articles.models import Article
from articles.related import STORY_LINKS_SQL
from articles.story_page import STORY_SQL

_loaded = {}


def loaded():
    if not _loaded:
        _loaded["content_type"] = ContentType.objects.get_for_model(Article).pk
        _loaded["bytes"] = (Path(os.environ["BENCH_BYTES_DIR"]) / "story.html").read_bytes()
    return _loaded


def floor_story(request, slug):
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(STORY_SQL, {"slug": slug, "now": now})
        story_id, _, _, _, section_id, *_, tag_ids, _ = cursor.fetchone()
        cursor.execute(STORY_LINKS_SQL, {
            "tag_ids": json.loads(tag_ids),  # a JSON column: text on a plain cursor
            "content_type": loaded()["content_type"], "pk": story_id, "section": section_id,
            "now": now, "limit": 5, "section_limit": 10,
        })
        cursor.fetchall()
    return HttpResponse(loaded()["bytes"], content_type="text/html; charset=utf-8")


urlpatterns = [path("floor/<slug:slug>/", floor_story), path("", include("newsroom.urls"))]
