from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html_join

from ..models import Article, ArticleAuthor, Caption
from ..publishing import PublishError, publish_article, unpublish_article
from ..rights import publish_problems
from ..workflow import can_publish
from .forms import ArticleAdminForm
from .photos import photo_preview_html
from .workflow import EditorialAdminMixin


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 0
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    verbose_name = "byline author"
    verbose_name_plural = "Byline (in order)"


class CaptionFormSet(BaseInlineFormSet):
    """Refuses photos whose rights forbid this story, before anything is saved (rights.py says why).

    Checked when the story goes live (every photo it will carry) and on a live story (photos added
    now, or every photo when the story has just been marked sponsored). The photos the story will
    carry are left on the article as `photos_to_publish` for publishing.publish_article.
    """

    def clean(self):
        super().clean()
        article = self.instance
        photos = [
            form.cleaned_data["photo"]
            for form in self.forms
            if form.cleaned_data.get("photo") and not form.cleaned_data.get("DELETE")
        ]
        article.photos_to_publish = photos
        if article.status != Article.Status.PUBLISHED:
            return
        stored = Article.objects.filter(pk=article.pk).values("status", "is_sponsored").first() if article.pk else None
        going_live = not stored or stored["status"] != Article.Status.PUBLISHED
        if not going_live and not (article.is_sponsored and not stored["is_sponsored"]):
            attached = set(Caption.objects.filter(article=article).values_list("photo_id", flat=True))
            photos = [photo for photo in photos if photo.pk not in attached]
        now = timezone.now()
        problems = publish_problems(article, at=max(article.published_at or now, now), photos=photos)
        if problems:
            raise ValidationError(problems)


class CaptionInline(admin.StackedInline):
    model = Caption
    formset = CaptionFormSet
    extra = 0
    autocomplete_fields = ["photo"]
    fields = ["photo", "preview", "role", "caption", "credit", "position"]
    readonly_fields = ["preview"]
    verbose_name = "photo"
    verbose_name_plural = "Photos and captions"

    class Media:
        js = ["articles/photo-keywords.js"]  # photo keywords -> "New tags"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("photo").prefetch_related("photo__renditions")

    @admin.display(description="Preview")
    def preview(self, caption):
        return photo_preview_html(caption.photo if caption.photo_id else None)


@admin.register(Article)
class ArticleAdmin(EditorialAdminMixin, admin.ModelAdmin):
    """Roles, status moves, edit conflicts, history and previews come from EditorialAdminMixin."""

    list_display = ["headline", "section", "status", "published_at", "source", "byline"]
    list_filter = ["status", "section", "source", ("tags", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["headline", "dek", "body"]
    date_hierarchy = "published_at"
    list_select_related = ["section", "source"]
    form = ArticleAdminForm
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "source"]
    inlines = [ArticleAuthorInline, CaptionInline]
    actions = ["publish_now", "unpublish", "submit_for_editing"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "body"]}),
        ("Filing", {"fields": ["section", "source", "dateline", "tags", "new_tags"]}),
        ("Publishing", {"fields": ["status", "published_at", "embargo_until", "updated_at", "is_sponsored"]}),
        ("Search and promotion", {"classes": ["collapse"], "fields": ["seo_description", "exclude_from_top_stories"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authorships__author")

    @admin.display(description="Byline")
    def byline(self, article):
        return format_html_join(", ", "{}", ((a.name,) for a in article.ordered_authors)) or "—"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish selected stories now", permissions=["publish"])
    def publish_now(self, request, queryset):
        published = 0
        for article in queryset:
            try:
                publish_article(article, by=request.user)
                published += 1
            except PublishError as error:
                self.message_user(request, f"“{article}”: {error.message}", messages.ERROR)
        if published:
            self.message_user(request, f"Published {published} stories.", messages.SUCCESS)

    @admin.action(description="Unpublish (kill) selected stories", permissions=["publish"])
    def unpublish(self, request, queryset):
        for article in queryset:
            unpublish_article(article, by=request.user)
        self.message_user(request, f"Unpublished {len(queryset)} stories.", messages.SUCCESS)

    def has_publish_permission(self, request):
        return can_publish(request.user)
