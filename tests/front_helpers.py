"""Front page layouts for tests, made through frontpage.layouts as the desk makes them."""

import re

from frontpage.layouts import SlotChoice, desk_draft, publish_draft, save_draft


def publish_front(*choices, by=None, at=None, now=None):
    """Pin `choices` (SlotChoice, or a story for the home lead) and publish the layout (at `at`)."""
    choices = [c if isinstance(c, SlotChoice) else SlotChoice(c) for c in choices]
    draft = save_draft(choices, version=desk_draft().version, by=by, now=now)
    return publish_draft(version=draft.version, by=by, at=at, now=now)


def lead_headline(html):
    """The headline in the page's lead block (articles/includes/lead.html), or None."""
    match = re.search(r'class="lead-story__headline"><a href="[^"]*">([^<]*)</a>', html)
    return match.group(1) if match else None


def top_headlines(html):
    """Headlines of the home page's top slots, in order."""
    block = re.search(r'<section class="front-top".*?</section>', html, re.S)
    return re.findall(r'class="card__headline"><a href="[^"]*">([^<]*)</a>', block.group(0)) if block else []


def section_block_headlines(html, section):
    """Headlines under `section`'s heading on the home page, in order."""
    block = re.search(
        rf'<section class="section-block" aria-labelledby="section-{section.slug}">.*?</section>', html, re.S
    )
    return re.findall(r'class="card__headline"><a href="[^"]*">([^<]*)</a>', block.group(0)) if block else []
