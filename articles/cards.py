"""A story's card on the home, section, tag, source and author pages: photo, headline, standfirst, time.

Built in Python rather than an included template: a home page draws about 40 cards, and the
include with its variable lookups was the largest part of the page's cost. Where fragments are
stored the whole card is kept with the story (articles.fragments: the card_image column, blanked
by the same triggers as the story page) with its heading level left open, which each page fills
({% card article "h2" %}): a list page then joins stored strings.
"""

from functools import lru_cache
from html import escape  # as in photos.py: django.utils.html.escape() without its wrapping

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

CARD_TIME_FORMAT = "M j, Y H:i"
# The heading level left open in a stored card: a control character, which no story text holds
# (articles/control_characters.py), like the story page's open parts (articles/story_page.py).
HEADING = "\x1fheading\x1f"


def story_card(article, picture):
    """The card of `article` around its `picture` (pictures.card_picture), its heading level open."""
    # One f-string with each value escaped, like picture(): format_html() cost more than the card.
    url = escape(article.get_absolute_url())
    dek = f'<p class="card__dek">{conditional_escape(article.dek)}</p>' if article.dek else ""
    shown = card_time(timezone.localtime(article.published_at).replace(tzinfo=None), get_language()) \
        if article.published_at else ""
    return mark_safe(
        f'<article class="card">\n  {picture}\n  <{HEADING} class="card__headline"><a href="{url}">'
        f'{conditional_escape(article.headline)}</a></{HEADING}>\n  {dek}\n'
        f'  <p class="meta"><time datetime="{escape(iso_seconds(article.published_at))}">{escape(shown)}</time></p>\n'
        '</article>\n'
    )


def with_heading(card, heading):
    """`card` (story_card()) with its headline under `heading` ("h2", "h3")."""
    return mark_safe(card.replace(HEADING, conditional_escape(heading)))


@lru_cache(maxsize=20_000)
def card_time(wall_time, language):
    """A card's time as shown ("Dec 2, 2026 05:16"), formatted once per time and language.

    date_format() was a third of a card's cost (month names through translation, the format
    parsed each time). Its answer depends only on the wall-clock time (naive, so the same instant
    in another zone is another key) and the active language (the month names).
    """
    return date_format(wall_time, CARD_TIME_FORMAT)


def iso_seconds(value):
    """A time for <time datetime>: ISO 8601 in the site's zone, to the second (validators refuse
    the six-digit fractions Django's "c" format writes)."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
