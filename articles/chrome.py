"""What every public page around a story or a list shows alike: the section navigation and the
sidebar (Top 10 Stories, the eNewsletter sign-up).

Rendered once per content generation and language, and kept with the other public caches
(public_cache.cached_public): a page inserts the finished HTML instead of looping over sections
and stories in its template each time. The sidebar lives as long as the Top 10 does
(NEWSROOM_TOP_STORIES_CACHE_SECONDS: reads move it without a content change); a change to a story
or a section is a new generation, so neither outlives what it shows.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .public_cache import cached_public, nav_sections
from .top_stories import top_stories

NAV_TEMPLATE = "articles/includes/section_nav.html"
SIDEBAR_TEMPLATE = "articles/includes/sidebar.html"


def section_nav_html():
    return mark_safe(cached_public(f"section-nav-html:{get_language()}", lambda: render_to_string(
        NAV_TEMPLATE, {"nav_sections": nav_sections()})))


def sidebar_html():
    return mark_safe(cached_public(
        f"sidebar-html:{get_language()}",
        lambda: render_to_string(SIDEBAR_TEMPLATE, {"top_stories": top_stories()}),
        settings.NEWSROOM_TOP_STORIES_CACHE_SECONDS,
    ))
