"""Reader-facing pages and files beyond the story views: search, sitemaps and robots.txt."""

from django import forms
from django.conf import settings
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .public_cache import cache_public_response, nav_sections
from .search import results_page, search_articles, snippet_html
from .seo import absolute_url
from .sitemaps import SITEMAPS, news_language, news_sitemap_articles

SEARCH_PAGE_SIZE = 20


class SearchForm(forms.Form):
    """The search box and its filters; sections come from the cached navigation list (no query)."""

    q = forms.CharField(required=False, label="Search")
    section = forms.ChoiceField(required=False, label="Section")
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

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
    """/search/?q=...: always a page, whatever was typed (bad filters are reported, not fatal)."""
    form = SearchForm(request.GET or None, sections=nav_sections())
    filters = {}
    if form.is_bound:
        form.is_valid()
        filters = {k: form.cleaned_data.get(k) for k in ("section", "date_from", "date_to")}
    query = request.GET.get("q", "")
    results = search_articles(query, **filters)
    page = results_page(results.select_related("section"), request.GET.get("page"), SEARCH_PAGE_SIZE)
    for article in page.object_list:
        article.snippet = snippet_html(article)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "articles/search.html",
        {
            "form": form,
            "query": query.strip(),
            "page_obj": page,
            "articles": page.object_list,
            "querystring": params.urlencode(),
        },
    )


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
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
    """The index of every sitemap page, on NEWSROOM_SITE_URL (Django's own index uses the Sites domain)."""
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
