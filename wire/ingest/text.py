"""Small helpers shared by the format parsers: dates, plain text, bylines (datelines: articles.datelines)."""
import re
from datetime import datetime
from html import escape, unescape

import nh3
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles.html import MarkupRejected, check_markup_bounds

from .items import IngestError

_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)
_SPLIT_NAMES = re.compile(r"\s*(?:,|;|&|\band\b)\s*", re.IGNORECASE)


def parse_wire_datetime(value, field):
    """An ISO 8601 time from the wire; a naive one is taken as UTC (what agencies mean)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = parse_datetime(str(value).strip().replace(" ", "T", 1))
        except ValueError:
            moment = None
        if moment is None:
            raise IngestError(f"The {field} {value!r} is not a valid date and time.")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.UTC)
    return moment


def plain_text(value):
    """Text with any markup removed and whitespace collapsed, as characters ("AT&T", not "AT&amp;T").

    nh3 returns HTML, with & < > escaped; headlines, captions and names are stored as plain text
    (templates and feeds escape them once), so its entities are turned back into characters.
    """
    text = str(value or "")
    try:
        check_markup_bounds(text, "A text field of the item")
    except MarkupRejected as error:
        raise IngestError(error.messages[0]) from error
    return " ".join(unescape(nh3.clean(text, tags=set())).split())


def text_to_html(value):
    """Plain-text body (paragraphs separated by blank lines) as HTML paragraphs."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", str(value or "")) if p.strip()]
    return "".join(f"<p>{escape(' '.join(p.split()))}</p>" for p in paragraphs)


def split_byline(value):
    """'By Jane Roe and Kim Min-ji' -> ['Jane Roe', 'Kim Min-ji']."""
    text = _BY.sub("", plain_text(value))
    return [name for name in (n.strip() for n in _SPLIT_NAMES.split(text)) if name]
