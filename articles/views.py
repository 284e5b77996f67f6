"""Public pages. Every queryset here starts from Article.objects.published()."""
from itertools import groupby

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from pagecache.keys import TOP_STORIES_KEY, add_keys, article_keys

from .front_page import front_page_ids
from .models import Article, ArticleRedirect, Author, Section, Source
from .pagination import PeekPaginator
from .related import story_links
from .top_stories import top_stories


class PublishedArticlesMixin:
    """The shared public queryset; staff previews widen it in one place (get_base_queryset)."""

    def get_base_queryset(self):
        return Article.objects.published()

    def get_queryset(self):
        return self.get_base_queryset().with_related().latest()


class HomeView(PublishedArticlesMixin, TemplateView):
    template_name = "articles/home.html"

    def get(self, request, *args, **kwargs):
        return add_keys(super().get(request, *args, **kwargs), "home", TOP_STORIES_KEY)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lead_pk, ranked_pks = front_page_ids()
        # One fetch for the lead and every section's stories, whatever the number of sections.
        stories = list(
            Article.objects.filter(pk__in=[lead_pk, *ranked_pks])
            .with_card_related()
            .order_by("section__position", "section__name", "-published_at")
        )
        lead = next((story for story in stories if story.pk == lead_pk), None)
        by_section = [story for story in stories if story.pk != lead_pk]
        context.update(
            lead=lead,
            sections=[(section, list(group)) for section, group in groupby(by_section, key=lambda a: a.section)],
            top_stories=top_stories(),
        )
        return context


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            moved = self.find_redirect(request.path)
            if moved:
                return HttpResponsePermanentRedirect(moved)
            raise
        url = self.object.get_absolute_url()
        if request.path != url:
            return redirect(url, permanent=True)
        response = self.render_to_response(self.get_context_data(object=self.object))
        return add_keys(response, *article_keys(self.object), TOP_STORIES_KEY)

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"])

    def find_redirect(self, path):
        old = ArticleRedirect.objects.filter(old_path=path).select_related("article").first()
        if old and old.article.is_published():
            return old.article.get_absolute_url()
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        more_from_section, related = story_links(self.object)
        context.update(
            more_from_section=more_from_section,
            related=related,
            top_stories=top_stories(),
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
        return (
            self.get_base_queryset()
            .with_card_related()
            .latest()
            # No distinct(): a story carries a tag or an author at most once (unique constraints).
            .filter(**{self.filter_field: self.subject})
        )

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        return add_keys(response, f"{self.list_kind.lower()}-{self.subject.pk}")

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, list_kind=self.list_kind, **kwargs)


class SectionView(ArticleListView):
    model_for_slug, filter_field, list_kind = Section, "section", "Section"


class TagView(ArticleListView):
    model_for_slug, filter_field, list_kind = Tag, "tags", "Tag"


class SourceView(ArticleListView):
    model_for_slug, filter_field, list_kind = Source, "source", "Source"


class AuthorView(ArticleListView):
    model_for_slug, filter_field, list_kind = Author, "authors", "Author"
