"""Full-text search over published stories.

PostgreSQL: the ``search_vector`` column (headline weighted A, standfirst B, body C; kept by a
trigger, GIN-indexed) is matched with ``websearch_to_tsquery``, which accepts anything a reader
types without syntax errors; results are ranked by relevance, then recency, with ``ts_headline``
snippets. Other databases (the SQLite quick start) fall back to a case-insensitive substring match.
"""

import re
from datetime import datetime, time, timedelta

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, Func, Q, Subquery, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Article

MAX_QUERY_LENGTH = 200
SEARCH_CONFIG = "english"
# Unlikely characters mark the highlights, so the snippet can be escaped before <mark> is added.
START, STOP = "\u2063\u2063[", "]\u2063\u2063"
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2063]")
# A "-" (NOT) followed only by separators and another "-": websearch_to_tsquery nests one NOT per
# dash, and about 100 of them overflow its stack ("tsquery stack too small"). One NOT means the same.
STACKED_NOTS = re.compile(r'-[^\w"]*(?=-)')


def clean_query(raw):
    """The query as searched: control characters and stacked NOTs removed, whitespace collapsed, at most 200
    characters."""
    text = STACKED_NOTS.sub("", CONTROL_CHARS.sub(" ", raw or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def uses_full_text():
    return connection.vendor == "postgresql"


class StripTags(Func):
    """The body as plain text, the same way the search trigger sees it."""

    function = "regexp_replace"
    template = "%(function)s(%(expressions)s, '<[^>]+>', ' ', 'g')"
    output_field = TextField()


def search_articles(query, *, section=None, date_from=None, date_to=None):
    """Published stories matching `query`, best first; snippet_html(article) gives each one's highlighted snippet."""
    query = clean_query(query)
    articles = Article.objects.published()
    if section is not None:
        articles = articles.filter(section=section)
    if date_from:
        articles = articles.filter(published_at__gte=day_start(date_from))
    if date_to:
        articles = articles.filter(published_at__lt=day_start(date_to) + timedelta(days=1))
    if not query:
        return articles.none()
    if uses_full_text():
        ts_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return (
            articles.filter(search_vector=ts_query)
            .annotate(
                rank=SearchRank(F("search_vector"), ts_query),
                raw_snippet=SearchHeadline(
                    Concat(F("dek"), Value(" "), StripTags(F("body")), output_field=TextField()),
                    ts_query,
                    config=SEARCH_CONFIG,
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=40,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "-published_at", "-pk")
        )
    words = query.split()[:10]
    condition = Q()
    for word in words:
        condition &= Q(headline__icontains=word) | Q(dek__icontains=word) | Q(body__icontains=word)
    return articles.filter(condition).newest_first()


def day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def snippet_html(article):
    """The highlighted snippet as safe HTML: text escaped, matches wrapped in <mark>."""
    raw = getattr(article, "raw_snippet", None)
    if raw is None:
        return escape(article.summary)
    html = escape(raw).replace(escape(START), "<mark>").replace(escape(STOP), "</mark>")
    return mark_safe(html)  # noqa: S308 - built from escaped text and our own <mark> tags


def results_page(results, number, per_page):
    """One page of `results` and their total in one query (the count rides on the rows).

    The total is an uncorrelated scalar subquery, computed once; the snippets (ts_headline, the
    costly part) are still made only for the page's rows, after the sort and limit. A page number
    past the end shows the last page (one more query, only then)."""
    paginator = Paginator(results, per_page)
    try:
        number = max(1, int(number or 1))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    matches = Article.objects.filter(pk__in=results.order_by().values("pk"))
    total = matches.order_by().annotate(group=Value(1)).values("group").annotate(n=Count("pk")).values("n")
    rows = list(results.annotate(total_matches=Subquery(total))[start : start + per_page])
    if not rows and number > 1:
        return paginator.get_page(number)
    paginator.count = rows[0].total_matches if rows else 0  # cached_property: set, not counted
    return Page(rows, number, paginator)
