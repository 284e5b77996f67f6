"""Reader pages (urls.py): home, story, list pages, search, sitemaps, robots.txt and /favicon.ico.

Every queryset here starts from Article.objects.published().
"""
from datetime import date
from functools import partial
from itertools import groupby

from django import forms
from django.conf import settings
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_safe
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from newsroom.links import absolute_url
from newsroom.ratelimits import allow
from pagecache.keys import TOP_STORIES_KEY, add_keys

from . import story_page
from .fragments import as_cards, attach_pictures, list_cards, published_page
from .fragments import render as render_fragment
from .fragments import stores as stores_fragments
from .front_page import STORIES_PER_SECTION, front_page_ids, section_lead_ids
from .listings import linked_story_ids, orders_by_links
from .models import Article, ArticleRedirect, Author, Section, Source
from .pagination import IdsFirstPaginator, PeekPaginator
from .public_cache import cache_public_response, nav_sections
from .publishing import preview_state
from .related import story_links
from .renditions import story_renditions
from .search import attach_snippets, results_page, search_articles, snippet_html
from .sitemaps import SITEMAPS, news_language, news_sitemap_articles
from .suggestions import suggest_query

SEARCH_PAGE_SIZE = 20
# Dates a search filter accepts: wide enough for any archive, narrow enough that a day's bounds in any
# time zone stay inside what datetime and PostgreSQL can hold (9999-12-31 overflowed to a 500).
EARLIEST_DATE, LATEST_DATE = date(1800, 1, 1), date(2999, 12, 31)
DATE_RANGE_MESSAGE = f"Enter a date between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}."


def search_date_field(label):
    return forms.DateField(
        required=False,
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[
            MinValueValidator(EARLIEST_DATE, DATE_RANGE_MESSAGE),
            MaxValueValidator(LATEST_DATE, DATE_RANGE_MESSAGE),
        ],
    )


class PublishedArticlesMixin:
    """The shared public queryset; staff previews widen it in one place (get_base_queryset)."""

    def get_base_queryset(self):
        return Article.objects.published()

    def get_queryset(self):
        return self.get_base_queryset().with_related(story_renditions()).newest_first()


class HomeView(PublishedArticlesMixin, TemplateView):
    template_name = "articles/home.html"
    # The desk's preview renders a staged layout (a frontpage.FrontLayout) instead of the live one.
    layout = None

    def get(self, request, *args, **kwargs):
        return add_keys(super().get(request, *args, **kwargs), "home", TOP_STORIES_KEY)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        front = front_page_ids(layout=self.layout)
        # One fetch for the home slots and every section's stories, whatever the number of sections or pins.
        stories = as_cards(list_cards(
            self.get_base_queryset().filter(pk__in=front.all_ids()).without_body()
            .order_by("section__position", "section__name", "-published_at"),
            leads=True,
        ))
        by_pk = {story.pk: story for story in stories}
        home = [by_pk[pk] for pk in front.home if pk in by_pk]
        under_sections = [story for story in stories if story not in home]
        sections = []
        for section, group in groupby(under_sections, key=lambda a: a.section):
            lead_pk = front.section_leads.get(section.pk)
            group = sorted(group, key=lambda story: story.pk != lead_pk)  # stable: the section's lead first
            sections.append((section, group[:STORIES_PER_SECTION]))
        lead = home[0] if home else None
        attach_pictures([lead] if lead else [], "lead_picture")
        attach_pictures([*home[1:], *(story for _, group in sections for story in group)])
        context.update(
            lead=lead,
            top_slots=home[1:],
            sections=sections,
        )
        return context


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        story = self.find_story()
        if story is None:
            moved = self.find_redirect(request.path)
            if moved:
                return HttpResponsePermanentRedirect(moved)
            raise Http404("No story found matching the query")
        url = story.get_absolute_url()
        if request.path != url:
            return redirect(url, permanent=True)
        if self.page is not None:
            response, keys = HttpResponse(story_page.fill(self.page)), self.page.keys
        else:
            response = self.render_to_response(self.get_context_data(object=self.object))
            keys = self.story.keys
        return add_keys(response, *keys, TOP_STORIES_KEY)

    def find_story(self):
        """The URL's published story: its stored page where fragments are stored (self.page, its
        live parts filled: articles.story_page), else its model for the template (self.object)."""
        self.page = None
        if stores_fragments():
            self.page = published_page(self.kwargs["slug"])
            return self.page and self.page.article
        self.object = self.get_queryset().filter(slug=self.kwargs["slug"]).first()
        return self.object

    def find_redirect(self, path):
        old = ArticleRedirect.objects.filter(old_path=path).select_related("article").first()
        if old and old.article.is_published():
            return old.article.get_absolute_url()
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if kwargs.get("is_preview"):
            # A preview says what the story really is (a draft, scheduled, killed…), never "Published".
            context["preview_state"] = preview_state(self.object)
            self.story = render_fragment(self.object, is_preview=True, preview_state=context["preview_state"])
        else:
            self.story = render_fragment(self.object)
        more_from_section, related = story_links(self.object, tag_ids=self.story.tag_ids)
        context.update(
            story_html=self.story.html,
            story_head=self.story.head,
            story_links=story_page.render_links(related, more_from_section, self.object.section.name),
        )
        return context


class ArticleListView(PublishedArticlesMixin, ListView):
    """A paginated list of stories narrowed to one section, tag, source or author."""

    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = 20
    paginator_class = PeekPaginator
    model_for_slug = None
    filter_field = None

    def get_subject(self):
        return get_object_or_404(self.model_for_slug, slug=self.kwargs["slug"])

    def get_queryset(self):
        self.subject = self.get_subject()
        # No distinct(): a story carries a tag or an author at most once (unique constraints).
        return self.listed_stories().filter(**{self.filter_field: self.subject})

    def listed_stories(self):
        """Published stories as a list's cards read them, before the list's own filter (their
        pictures: get_context_data)."""
        return list_cards(self.get_base_queryset().without_body().newest_first())

    def get_paginator(self, queryset, per_page, **kwargs):
        return super().get_paginator(queryset, per_page, make_rows=as_cards, **kwargs)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        return add_keys(response, f"{self.list_kind.lower()}-{self.subject.pk}")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(subject=self.subject, list_kind=self.list_kind, **kwargs)
        attach_pictures(context["page_obj"].object_list)
        return context


class SectionView(ArticleListView):
    model_for_slug, filter_field, list_kind = Section, "section", "Section"

    def get_subject(self):
        # Every section is in the navigation's list, kept per content generation: no query of its own.
        section = next((section for section in nav_sections() if section.slug == self.kwargs["slug"]), None)
        if section is None:
            raise Http404("No section found matching the query")
        return section

    def get_queryset(self):
        # The story the desk pinned as the section's lead heads page 1 and is left out of the list.
        stories = super().get_queryset()
        self.lead_ids = section_lead_ids(self.subject)
        return stories.exclude(pk__in=self.lead_ids) if self.lead_ids else stories

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lead = None
        if context["page_obj"].number == 1 and self.lead_ids:
            leads = self.get_base_queryset().filter(pk__in=self.lead_ids).without_body().order_by("pk")
            lead = next(iter(as_cards(list_cards(leads, leads=True)[:1])), None)
        attach_pictures([lead] if lead else [], "lead_picture")
        context["lead"] = lead
        return context


class IdsFirstListView(ArticleListView):
    """A list joined through another table: its page of ids through the join, then those rows by
    id alone (building and running the join twice cost about 0.4 ms a page)."""

    paginator_class = IdsFirstPaginator

    def get_queryset(self):
        if orders_by_links():  # the page's ids come from the subject's own links: no join to build
            self.subject = self.get_subject()
            return self.listed_stories()
        return super().get_queryset()

    def get_paginator(self, queryset, per_page, **kwargs):
        if orders_by_links():  # `queryset` is the unfiltered list the rows are read from by id
            kwargs["ids"] = partial(linked_story_ids, self.list_kind.lower(), self.subject.pk)
            return super().get_paginator(queryset, per_page, **kwargs)
        return super().get_paginator(queryset, per_page, rows=self.listed_stories(), **kwargs)


class TagView(IdsFirstListView):
    model_for_slug, filter_field, list_kind = Tag, "tags", "Tag"


class SourceView(ArticleListView):
    model_for_slug, filter_field, list_kind = Source, "source", "Source"


class AuthorView(IdsFirstListView):
    model_for_slug, filter_field, list_kind = Author, "authors", "Author"


class SearchForm(forms.Form):
    """The search box and its filters; sections come from the cached navigation list (no query)."""

    q = forms.CharField(required=False, label="Search")
    section = forms.ChoiceField(required=False, label="Section")
    date_from = search_date_field("From")
    date_to = search_date_field("To")

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = {section.slug: section for section in sections}
        self.fields["section"].choices = [("", "All sections"), *[(s.slug, s.name) for s in sections]]

    def clean_section(self):
        return self.sections.get(self.cleaned_data["section"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned


@require_GET
def search(request):
    """/search/?q=...: always a page, whatever was typed (bad filters are reported, not fatal).

    Anonymous readers get NEWSROOM_SEARCH_RATE searches per client address (429 past it), so one
    client cannot load the database for everyone; staff are not limited.
    """
    if not request.user.is_authenticated and not allow(request, "search", settings.NEWSROOM_SEARCH_RATE):
        response = render(request, "reader/search_rate_limited.html", status=429)
        response["Retry-After"] = "60"
        return response
    form = SearchForm(request.GET or None, sections=nav_sections())
    filters = {}
    if form.is_bound:
        form.is_valid()
        filters = {k: form.cleaned_data.get(k) for k in ("section", "date_from", "date_to")}
    query = request.GET.get("q", "")
    results = search_articles(query, **filters)
    page = results_page(results.select_related("section"), request.GET.get("page"), SEARCH_PAGE_SIZE)
    attach_snippets(page.object_list, query)
    for article in page.object_list:
        article.snippet = snippet_html(article, query)
    params = request.GET.copy()
    params.pop("page", None)
    suggestion = suggest_query(query, **filters) if page.paginator.count == 0 else ""
    suggestion_params = params.copy()
    suggestion_params["q"] = suggestion
    return render(
        request,
        "articles/search.html",
        {
            "form": form,
            "query": query.strip(),
            "page_obj": page,
            "articles": page.object_list,
            "querystring": params.urlencode(),
            "suggestion": suggestion,
            "suggestion_querystring": suggestion_params.urlencode(),
        },
    )


@require_safe  # GET and HEAD: link checkers and monitors ask with HEAD
def favicon(request):
    """Browsers and feed readers ask for /favicon.ico whatever a page links: send them to the site's icon.

    Not permanent: the icon's static URL carries a content hash that changes when the file does."""
    response = redirect(static("img/favicon.svg"))
    patch_cache_control(response, public=True, max_age=86400)
    return response


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        # /search/ is not disallowed: its pages say noindex, which a crawler can only read if allowed in.
        "Disallow: /newsletter/",
        "Disallow: /readership/",
        "",
        f"Sitemap: {absolute_url(reverse('reader:sitemap-index'))}",
        f"Sitemap: {absolute_url(reverse('reader:sitemap-news'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_public_response
def sitemap_index(request):
    """The index of every sitemap page, on NEWSROOM_SITE_URL (Django's own index would use the request's host)."""
    entries = []
    for name, sitemap_class in SITEMAPS.items():
        site = sitemap_class()
        location = absolute_url(reverse("reader:sitemap-section", args=[name]))
        for page in range(1, site.paginator.num_pages + 1):
            entries.append(location if page == 1 else f"{location}?p={page}")
    return render(request, "reader/sitemap_index.xml", {"entries": entries}, content_type="application/xml")


@require_GET
@cache_public_response
def sitemap_section(request, section):
    if section not in SITEMAPS:
        raise Http404("No such sitemap.")
    return django_sitemap(
        request,
        {section: SITEMAPS[section]},
        section=section,
        template_name="reader/sitemap.xml",
    )


@require_GET
@cache_public_response
def news_sitemap(request):
    context = {
        "articles": news_sitemap_articles(),
        "publication_name": settings.NEWSROOM_SITE_NAME,
        "language": news_language(),
    }
    return render(request, "reader/sitemap_news.xml", context, content_type="application/xml")
