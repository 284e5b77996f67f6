"""The floor of an uncached story page (bench/pages.py): what any story page costs on this machine
while it runs through Newsroom's whole middleware stack and reads live what the page reads live.

/floor/<slug>/ runs the story page's own query -- the story's row with its stored page, "more on
this" and "more from the section" (articles.story_page.STORY_SQL) -- on a plain cursor, and
answers the bytes Newsroom served for the page (BENCH_BYTES_DIR), from memory. No generation
check, no filling, no page cache. Not a page to ship: it tells how much of the gap to the baseline
is the stack's and the database's, and how much is the page's own work."""

import os
from pathlib import Path

from django.db import connection
from django.http import HttpResponse
from django.urls import include, path

from articles.related import link_params
from articles.story_page import STORY_SQL

_bytes = {}


def floor_story(request, slug):
    with connection.cursor() as cursor:
        cursor.execute(STORY_SQL, {"slug": slug, **link_params()})
        cursor.fetchone()
    if not _bytes:
        _bytes["story"] = (Path(os.environ["BENCH_BYTES_DIR"]) / "story.html").read_bytes()
    return HttpResponse(_bytes["story"], content_type="text/html; charset=utf-8")


urlpatterns = [path("floor/<slug:slug>/", floor_story), path("", include("newsroom.urls"))]
