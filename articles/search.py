"""Full-text search over published stories.

PostgreSQL: the ``search_vector`` column (headline weighted A, standfirst B, body C; kept by a
trigger, GIN-indexed) holds English words (stemmed) and, for scripts written without spaces
(Korean, Chinese, Japanese, Thai, ...), overlapping two-character grams of every run (migration
0009). A query's English words go through ``websearch_to_tsquery``, which accepts anything a reader
types without syntax errors; each run of a spaceless script becomes a phrase of the same grams, so
"평양" finds "평양에서". Results are ranked by relevance, then recency, with ``ts_headline``
snippets (an excerpt around the first match for queries with spaceless runs). Other databases (the
SQLite quick start) fall back to a case-insensitive substring match, which needs no grams.
"""

import re
from datetime import datetime, time, timedelta

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, Func, Q, TextField, Value, Window
from django.db.models.functions import Concat, Greatest, StrIndex, Substr
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Article

MAX_QUERY_LENGTH = 200
SNIPPET_LEAD, SNIPPET_LENGTH = 60, 220  # characters before the first spaceless match, and in all
SEARCH_CONFIG = "english"
# Unlikely characters mark the highlights, so the snippet can be escaped before <mark> is added.
START, STOP = "\u2063\u2063[", "]\u2063\u2063"
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2063]")
# A "-" (NOT) followed only by separators and another "-": websearch_to_tsquery nests one NOT per
# dash, and about 100 of them overflow its stack ("tsquery stack too small"). One NOT means the same.
STACKED_NOTS = re.compile(r'-[^\w"]*(?=-)')
# Scripts written without spaces between words; the same ranges as migration 0009's SQL (a test
# checks that both cut a text into the same grams).
SPACELESS = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u3040-\u30ff\u3130-\u318f"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]+"
)
MAX_SPACELESS_RUNS = 10
RANKED_WINDOW = 400  # the newest matches, ranked and counted (the page then says "400+ results")


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


def spaceless_grams(run):
    """The grams migration 0009 indexes for one run: each overlapping pair, then the last character."""
    return [run[i : i + 2] for i in range(len(run))]


def spaceless_runs(query):
    return SPACELESS.findall(query)[:MAX_SPACELESS_RUNS]


def spaceless_tsquery(query):
    """The raw tsquery text for the spaceless runs of `query`, or "" if it has none.

    A run of two or more characters is a phrase of its overlapping pairs (a substring match); a
    single character matches as a prefix of a gram. A run right after a lone "-" is left out of the
    results, as websearch_to_tsquery does for words. The text holds only characters of these
    scripts, quoted, so it cannot carry tsquery syntax."""
    parts = []
    for match in SPACELESS.finditer(query):
        run, start = match.group(), match.start()
        if len(run) == 1:
            part = f"'{run}':*"
        else:
            part = "(" + " <-> ".join(f"'{run[i : i + 2]}'" for i in range(len(run) - 1)) + ")"
        negated = start > 0 and query[start - 1] == "-" and (start == 1 or query[start - 2].isspace())
        parts.append(f"!{part}" if negated else part)
    return " & ".join(parts[:MAX_SPACELESS_RUNS])


def full_text_query(query):
    """The tsquery for a cleaned query: English words stemmed, spaceless runs as gram phrases."""
    words = " ".join(SPACELESS.sub(" ", query).split())
    grams = spaceless_tsquery(query)
    english = SearchQuery(words, search_type="websearch", config=SEARCH_CONFIG) if words else None
    spaceless = SearchQuery(grams, search_type="raw", config="simple") if grams else None
    if english is not None and spaceless is not None:
        # An English part of only operators ("-", '"') is an empty tsquery; && then keeps the other side.
        return english & spaceless
    return english or spaceless


def matching(articles, query):
    """`articles` (any queryset of stories) filtered to those matching the cleaned `query`.

    The one matching rule: the reader search applies it to published() stories, the desk's story
    list to every story. On PostgreSQL through the GIN-indexed vector; elsewhere by substrings."""
    if not query:
        return articles.none()
    if uses_full_text():
        return articles.filter(search_vector=full_text_query(query))
    condition = Q()
    for word in query.split()[:10]:
        condition &= Q(headline__icontains=word) | Q(dek__icontains=word) | Q(body__icontains=word)
    return articles.filter(condition)


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
    articles = matching(articles, query)
    if not query or not uses_full_text():
        return articles.newest_first()
    ts_query = full_text_query(query)
    # Ranking reads each match's whole vector; a two-word query can match most of a big archive, so
    # only the newest RANKED_WINDOW matches are ranked (an index scan newest first, or the GIN index
    # for rarer words): the cost stays flat as the archive grows.
    window = articles.newest_first().values("pk")[:RANKED_WINDOW]
    return (
        Article.objects.filter(pk__in=window)
        .defer("body", "search_vector")
        .annotate(rank=SearchRank(F("search_vector"), ts_query))
        .order_by("-rank", "-published_at", "-pk")
    )


def attach_snippets(articles, query):
    """Give each of `articles` (one page of results) its `raw_snippet`, in one query.

    Apart from the results query on purpose: PostgreSQL would compute a snippet for every ranked
    match before sorting them, and stripping and cutting 400 bodies costs more than the search."""
    query = clean_query(query)
    if not articles or not query or not uses_full_text():
        return
    expression = snippet_expression(query, full_text_query(query))
    snippets = dict(Article.objects.filter(pk__in=[a.pk for a in articles]).annotate(
        raw_snippet=expression).values_list("pk", "raw_snippet"))
    for article in articles:
        article.raw_snippet = snippets.get(article.pk)


def snippet_expression(query, ts_query):
    """SQL for a result's snippet text."""
    text = Concat(F("dek"), Value(" "), StripTags(F("body")), output_field=TextField())
    runs = spaceless_runs(query)
    if runs:
        # ts_headline cannot see a gram inside a word: show the text around the first run instead.
        start = Greatest(StrIndex(text, Value(runs[0])) - SNIPPET_LEAD, Value(1))
        return Substr(text, start, SNIPPET_LENGTH)
    return SearchHeadline(
        text,
        ts_query,
        config=SEARCH_CONFIG,
        start_sel=START,
        stop_sel=STOP,
        max_words=40,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def snippet_html(article, query=""):
    """The highlighted snippet as safe HTML: text escaped, matches wrapped in <mark>."""
    raw = getattr(article, "raw_snippet", None)
    if raw is None:
        return escape(article.summary)
    html = escape(raw).replace(escape(START), "<mark>").replace(escape(STOP), "</mark>")
    runs = sorted(set(spaceless_runs(clean_query(query))), key=len, reverse=True)
    if runs:
        # Runs hold only letters of spaceless scripts: they cannot match inside escaped markup.
        html = re.sub("|".join(map(re.escape, runs)), r"<mark>\g<0></mark>", html)
    return mark_safe(html)  # noqa: S308 - built from escaped text and our own <mark> tags


def results_page(results, number, per_page):
    """One page of `results` and their total in one query (the count rides on the rows).

    The total is a window count over the matches (`count(*) OVER ()`), so the matching runs once.
    A page number past the end shows the last page (one more query, only then)."""
    paginator = Paginator(results, per_page)
    try:
        number = max(1, int(number or 1))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    rows = list(results.annotate(total_matches=Window(Count("pk")))[start : start + per_page])
    if not rows and number > 1:
        return paginator.get_page(number)
    paginator.count = rows[0].total_matches if rows else 0  # cached_property: set, not counted
    page = Page(rows, number, paginator)
    # Only the ranking window is counted on PostgreSQL: a full window means "at least this many".
    page.count_is_lower_bound = uses_full_text() and paginator.count >= RANKED_WINDOW
    return page
