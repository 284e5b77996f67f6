"""Length hints for the story's display texts: one home for the numbers, the form and its script read them.

Where the numbers come from:
- SEO title, about 60 characters: Google cuts a title link to the width of a results page (about
  600 CSS pixels on desktop); measured in characters that is around 50–60, the figure SEO guides
  use (Moz, Yoast). Google Search Central ("Influencing your title links") names no number.
- SEO description, about 160 characters: Google shortens snippets to fit the device, in practice
  about 155–160 characters on desktop (Google Search Central, "Control your snippets in search
  results", again without a fixed number).
- Headline, 110 characters: the longest headline Google's Article structured data took (its
  long-standing guideline; articles/seo.py already cuts the JSON-LD headline there). Without an SEO
  title the headline is also the title link, so the 60 of the title applies too.
- Standfirst, 160 characters: it stands in for the SEO description when that is empty.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    chars: int
    hint: str


LIMITS = {
    "headline": Limit(110, "Up to 110 characters; search results show about 60 when there is no SEO title."),
    "seo_title": Limit(60, "Google shows about 60 characters of a title; longer ones are cut off."),
    "seo_description": Limit(160, "Google shows about 155–160 characters of a description."),
    "dek": Limit(160, "Used as the search description when that is empty: about 160 characters show."),
}


def char_count(value):
    """Characters as a reader sees them (code points; a pasted Windows line break counts once)."""
    return len((value or "").replace("\r\n", "\n"))


def count_text(name, value):
    """The counter's words, e.g. "72 of 60 characters — 12 over"."""
    limit, count = LIMITS[name].chars, char_count(value)
    text = f"{count} of {limit} characters"
    return f"{text} — {count - limit} over" if count > limit else text


def is_over(name, value):
    return char_count(value) > LIMITS[name].chars
