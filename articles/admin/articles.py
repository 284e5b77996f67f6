"""The story admin: one ModelAdmin. Who may do what comes from articles.permissions, every status move
and note goes through articles.publishing, edit conflicts and baselines through articles.revisions,
old addresses through articles.redirects; the history, compare, restore and share pages are in history.py."""

from functools import partial

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from newsroom.links import absolute_url

from .. import editing, embeds, permissions, publishing, revisions, search
from ..alt_text import lead_alt_problem, lead_missing_alt
from ..html import sanitize_html
from ..models import Article, ArticleAuthor, ArticleNote, Caption
from ..redirects import keeping_old_url
from ..rights import publish_problems
from . import confirm, history, live, photo_grid, story_merge, story_photos
from .alt_text import LeadAltTextFilter, lead_alt_column, lead_alt_notice
from .filters import DeskStateFilter
from .forms import ArticleAdminForm
from .photos import photo_preview_html


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
    carry are left on the article as `photos_to_publish` for publishing.set_status.
    """

    user = None  # set per request by CaptionInline.get_formset

    def clean(self):
        super().clean()
        article = self.instance
        story_photos.check_new_photos(self, self.user)
        photos = [
            form.cleaned_data["photo"]
            for form in self.forms
            if form.cleaned_data.get("photo") and not form.cleaned_data.get("DELETE")
        ]
        story_photos.check_body_photos(self, photos)
        article.photos_to_publish = photos
        article.lead_photo_to_publish = next(
            (
                form.cleaned_data["photo"]
                for form in self.forms
                if form.cleaned_data.get("photo")
                and not form.cleaned_data.get("DELETE")
                and form.cleaned_data.get("role") == Caption.Role.LEAD
            ),
            None,
        )
        if article.status != Article.Status.PUBLISHED:
            return
        stored = Article.objects.filter(pk=article.pk).values("status", "is_sponsored").first() if article.pk else None
        going_live = not stored or stored["status"] != Article.Status.PUBLISHED
        if not going_live and not (article.is_sponsored and not stored["is_sponsored"]):
            attached = set(Caption.objects.filter(article=article).values_list("photo_id", flat=True))
            photos = [photo for photo in photos if photo.pk not in attached]
        now = timezone.now()
        problems = publish_problems(article, at=max(article.published_at or now, now), photos=photos)
        missing_alt = going_live and lead_alt_problem(article, photos=photos, lead_photo=article.lead_photo_to_publish)
        if missing_alt:
            problems.append(missing_alt)
        if problems:
            raise ValidationError(problems)


class CaptionInline(admin.StackedInline):
    model = Caption
    form = story_photos.CaptionForm
    formset = CaptionFormSet
    extra = 0
    fields = ["photo", "preview", "role", "caption", "credit", "alt_text", "position"]
    readonly_fields = ["preview"]
    verbose_name = "photo"
    verbose_name_plural = "Photos and captions"

    class Media:
        js = [
            "articles/photo-keywords.js",  # photo keywords -> "New tags"
            "desk/photos.js",  # drop zone, the photo chooser, photos in the body, pasted images
        ]
        css = {"all": ["desk/photos.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("photo").prefetch_related("photo__renditions")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "photo":
            # The chooser (story_photos.PhotoChooserWidget) instead of a select of every photo, and
            # without the admin's add/change popups around it.
            return db_field.formfield(widget=story_photos.PhotoChooserWidget)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = formset.form.user = request.user  # classes built for this request
        return formset

    @admin.display(description="Preview")
    def preview(self, caption):
        return photo_preview_html(caption.photo if caption.photo_id else None)


class NoteInline(admin.TabularInline):
    """Corrections and updates, shown to readers with their time. Editors may fix or delete a saved
    one (publishing.edit_note / delete_note: marked "edited" for readers, old text in the audit log);
    reporters only read them."""

    model = ArticleNote
    extra = 0
    fields = ["kind", "text", "created_at", "created_by", "edited_at"]
    readonly_fields = ["created_at", "created_by", "edited_at"]
    verbose_name = "correction or update"
    verbose_name_plural = "Corrections and updates (shown to readers with the time)"

    def has_add_permission(self, request, obj=None):
        return obj is not None and super().has_add_permission(request, obj)


class MyStoriesFilter(admin.SimpleListFilter):
    title = "who created it"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", "My stories")]

    def queryset(self, request, queryset):
        return queryset.filter(created_by=request.user) if self.value() == "1" else queryset


DESK_SEARCH_WINDOW = 1000


class StoryChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The list shows neither the body nor the search vector, the two biggest columns: not read.
        return super().get_queryset(request, exclude_parameters).defer("body", "search_vector")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """The desk's story list stays fast on a big archive (bench/search.py measures it at 100,000
    stories): the site's indexed search instead of LIKE over bodies (the newest 1,000 matches), no
    count of the whole table, an index for newest first,
    filters whose choices come from small tables (a tag filter listing only tags in use scanned
    every tagging), and publish-time choices (today, past 7 days, ...) instead of a date drill-down
    that scanned every story's date on each request."""

    list_display = ["headline", "section", "desk_state", "published_at", "source", "byline", lead_alt_column]
    list_filter = [MyStoriesFilter, DeskStateFilter, "section", "source", "published_at", LeadAltTextFilter]
    search_fields = ["headline"]  # shows the search box; get_search_results does the matching
    show_full_result_count = False
    # Each row costs the admin's per-cell rendering (the action checkbox alone is a template render):
    # 50 rows a page, not 100, halves what a list page costs whatever the archive's size.
    list_per_page = 50
    list_select_related = ["section", "source"]
    form = ArticleAdminForm
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "source"]
    inlines = [ArticleAuthorInline, CaptionInline]
    actions = ["publish_now", "unpublish", "submit_for_editing"]
    save_on_top = True
    change_form_template = "admin/articles/article/change_form.html"

    class Media:
        js = [
            "articles/story-form.js",  # autosave, presence, unsaved-changes warning, live preview (live.py)
            "desk/form-a11y.js",  # names for the autocomplete boxes and the body editor (axe-core)
            "desk/comments.js",  # the desk's comment thread beside the form (desk/comments.py)
        ]
        css = {"all": ["desk/story-form.css"]}
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "body"]}),
        ("Filing", {"fields": ["section", "source", "dateline", "tags", "new_tags"]}),
        ("Publishing", {"fields": ["status", "published_at", "embargo_until", "updated_at", "is_sponsored"]}),
        (
            "Search and promotion",
            {"classes": ["collapse"], "fields": ["seo_title", "seo_description", "exclude_from_top_stories"]},
        ),
    ]

    def get_queryset(self, request):
        # lead_missing_alt: the list's alt-text column and filter (admin/alt_text.py), in the same query.
        return super().get_queryset(request).prefetch_related("authorships__author").annotate(
            lead_missing_alt=lead_missing_alt()
        )

    def get_changelist(self, request, **kwargs):
        return StoryChangeList

    def get_search_results(self, request, queryset, search_term):
        """The site's search (articles/search.py: English stemmed, Korean substrings) over every status."""
        query = search.clean_query(search_term)
        if not query:
            return queryset, False
        # The newest DESK_SEARCH_WINDOW matches: counting and sorting every one of 90,000 matches of
        # two common words would read them all.
        newest = search.matching(queryset, query).order_by("-published_at", "-id").values("pk")
        return queryset.filter(pk__in=newest[:DESK_SEARCH_WINDOW]), False

    @admin.display(description="Byline")
    def byline(self, article):
        return format_html_join(", ", "{}", ((a.name,) for a in article.ordered_authors)) or "—"

    def view_on_site(self, article):
        """The live page on the site's address; none for a story readers cannot see yet (use Preview)."""
        return absolute_url(article.get_absolute_url()) if article.is_published() else None

    @admin.display(description="Body")
    def body_html(self, article):
        """The body rendered, as readers see it (never its raw <p> markup), through the one sanitizer."""
        return format_html('<div class="story-body-readonly">{}</div>', mark_safe(sanitize_html(article.body or "")))

    @admin.display(description="Status", ordering="status")
    def desk_state(self, article):
        return publishing.desk_state(article)

    # -- who may see and change what ---------------------------------------------------------
    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or permissions.can_edit_photos(request.user, obj)

    def has_publish_permission(self, request):
        return permissions.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        # body_html: the body as readers see it, for those who may only read the story (get_fieldsets).
        readonly = [*super().get_readonly_fields(request, obj), "body_html"]
        if obj is not None and not permissions.can_edit_content(request.user, obj):
            # Photo editors reach a story for its captions only.
            model_fields = {f.name for f in Article._meta.get_fields()}
            readonly += [f for f in flatten_fieldsets(self.fieldsets) if f in model_fields and f not in readonly]
        elif not permissions.can_publish(request.user):
            readonly += ["published_at", "updated_at"]
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and not permissions.can_edit_content(request.user, obj):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(name, dict(options)) for name, options in super().get_fieldsets(request, obj)]
        if obj is not None and not permissions.can_edit_content(request.user, obj):
            model_fields = {f.name for f in Article._meta.get_fields()}
            for _, options in fieldsets:
                options["fields"] = [
                    "body_html" if f == "body" else f for f in options["fields"] if f in model_fields
                ]
        fieldsets[0][1]["fields"] = [*fieldsets[0][1]["fields"], "base_version", "base_tags"]
        return fieldsets

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        return inlines + [NoteInline] if obj is not None else inlines

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # The admin builds a fresh subclass of ArticleAdminForm per request: these stay per request.
        form.user = request.user
        if obj is not None and not permissions.can_edit_content(request.user, obj):
            form.content_locked = True
            for name in [n for n in form.base_fields if n not in ("base_version", "base_tags")]:
                del form.base_fields[name]
        form.submission = self._submission(request, obj)
        form.draft_initial = None
        if request.method == "GET" and request.GET.get("restore_draft"):
            draft = live.draft_for(request, obj)
            if draft is not None:
                form.draft_initial = live.draft_initial(form, draft, obj or Article())
        return form

    # -- saving: a form opened before someone else saved merges three ways (story_merge) --------
    def get_object(self, request, object_id, from_field=None):
        if request.method == "POST" and str(object_id).isdigit():
            # Lock the row before reading it: the form is merged against, and saved over, the row
            # exactly as stored, and no other save can slip in between.
            Article.objects.select_for_update().filter(pk=object_id).exists()
        return super().get_object(request, object_id, from_field)

    def _submission(self, request, obj):
        """The merge context of this POST (read once; None unless saving over a stored story)."""
        if request.method != "POST" or obj is None or obj.pk is None:
            return None
        cached = getattr(request, "_story_submission", None)
        if cached is None or cached.article.pk != obj.pk:
            cached = story_merge.Submission.read(request, obj)
            request._story_submission = cached
        return cached

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        submission = self._submission(request, obj)
        if submission is not None and "data" in kwargs:
            kwargs["data"] = submission.formset_data(prefix, kwargs["data"])
        return kwargs

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        article = None
        if object_id:
            # The version a form is opened at needs a revision to merge against later.
            article = Article.objects.filter(pk=unquote(object_id)).first() if str(object_id).isdigit() else None
            if article is not None and self.has_change_permission(request, article):
                revisions.baseline_revision(article)
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, self._live_context(request, extra_context))
        may_write = self.has_change_permission(request, article) if article else self.has_add_permission(request)
        if request.POST.get("body") and may_write:
            # A link pasted alone in a paragraph becomes a click-to-load embed: looked up here, before
            # the save's transaction and row lock, so a slow provider never holds the story locked.
            posted = request.POST.copy()
            posted["body"] = embeds.embed_pasted_links(posted["body"])
            request.POST = posted
        to_kill = confirm.kill_needs_confirmation(request, object_id)
        if to_kill is not None and self.has_change_permission(request, to_kill):
            return confirm.kill_form_page(self, request, to_kill)  # nothing saved until it comes back confirmed
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        action = request.POST.get("action") if request.method == "POST" else None
        if not action:
            return super().changelist_view(request, extra_context)
        # Stories a list action saves (publish, kill, submit) get a revision naming the action.
        with reversion.create_revision():
            reversion.set_user(request.user)
            described = self.get_actions(request).get(action)
            reversion.set_comment(f"List action: {described[2] if described else action}.")
            return super().changelist_view(request, extra_context)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        reversion.set_comment(entry.get_change_message() or "Created.")
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        reversion.set_comment(entry.get_change_message() or "Saved without changes.")
        return entry

    def save_model(self, request, obj, form, change):
        """Every status move goes through publishing.set_status, which records who made it and
        writes, under the row lock, only the story fields this form holds."""
        if not change:
            obj.created_by = request.user
        owned = [name for name in editing.STORY_FIELDS if name.removesuffix("_id") in form.fields]
        with keeping_old_url(obj) as stored:
            publishing.set_status(
                obj,
                obj.status,
                by=request.user,
                at=obj.published_at,
                previous=stored.status if stored else None,
                photos=getattr(obj, "photos_to_publish", None),  # what CaptionFormSet will save
                lead_photo=getattr(obj, "lead_photo_to_publish", None),
                fields=owned,
            )
        live.drop_draft(request, obj)  # the autosaved draft is now saved for real
        submission = form.submission
        if submission is not None and submission.stale and submission.merge is not None:
            self.message_user(request, submission.summary(), messages.INFO)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ArticleNote:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for note in formset.deleted_objects:
            publishing.delete_note(note, by=request.user)
        for note, _changed in formset.changed_objects:
            publishing.edit_note(note, kind=note.kind, text=note.text, by=request.user)
        for note in formset.new_objects:
            publishing.append_note(form.instance, kind=note.kind, text=note.text, by=request.user)

    # -- list actions: each story goes through publishing.set_status ---------------------------
    @admin.action(description="Publish selected stories now", permissions=["publish"])
    def publish_now(self, request, queryset):
        published = 0
        for article in queryset:
            try:
                publishing.set_status(article, Article.Status.PUBLISHED, by=request.user)
                published += 1
            except publishing.PublishError as error:
                self.message_user(request, f"“{article}”: {error.message}", messages.ERROR)
        if published:
            self.message_user(request, f"Published {published} stories.", messages.SUCCESS)

    @admin.action(description="Unpublish (kill) selected stories", permissions=["publish"])
    def unpublish(self, request, queryset):
        if not confirm.is_confirmed(request, confirm.KILL, [article.pk for article in queryset]):
            return confirm.kill_action_page(self, request, queryset)
        for article in queryset:
            publishing.set_status(article, Article.Status.KILLED, by=request.user)
        self.message_user(request, f"Unpublished {len(queryset)} stories.", messages.SUCCESS)

    @admin.action(description="Submit selected drafts for editing", permissions=["change"])
    def submit_for_editing(self, request, queryset):
        submitted = 0
        for article in queryset:
            try:
                publishing.submit_for_editing(article, by=request.user)
                submitted += 1
            except ValidationError as error:
                self.message_user(request, error.messages[0], messages.ERROR)
        if submitted:
            self.message_user(request, f"Submitted {submitted} stories for editing.", messages.SUCCESS)

    # -- history, compare, restore and share (history.py) ------------------------------------
    def _live_context(self, request, extra_context):
        """Autosave, presence and preview on the form (live.py): an autosaved draft is offered back."""
        object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        article = Article.objects.filter(pk=object_id).first() if str(object_id or "").isdigit() else None
        draft = live.draft_for(request, article) if not request.GET.get("restore_draft") else None
        return {
            **(extra_context or {}),
            "story_draft": draft,
            "lead_alt_notice": lead_alt_notice(article),
            "require_lead_alt": settings.NEWSROOM_REQUIRE_LEAD_ALT_TEXT,
            "autosave_seconds": settings.NEWSROOM_AUTOSAVE_SECONDS,
            "presence_seconds": settings.NEWSROOM_PRESENCE_SECONDS,
        }

    def _live_urls(self):
        """Autosave, discard, presence and preview (live.py), POST only; the add form's come first."""
        wrap = self.admin_site.admin_view

        def post_only(view):
            return wrap(require_POST(partial(view, self)))

        return [
            path("add/autosave/", post_only(live.autosave), name="articles_article_autosave_new"),
            path("add/autosave/discard/", post_only(live.discard_draft), name="articles_article_discard_new"),
            path("add/preview/", post_only(live.preview), name="articles_article_preview_new"),
            path("<path:object_id>/autosave/", post_only(live.autosave), name="articles_article_autosave"),
            path("<path:object_id>/autosave/discard/", post_only(live.discard_draft), name="articles_article_discard"),
            path("<path:object_id>/presence/", post_only(live.heartbeat), name="articles_article_presence"),
            path("<path:object_id>/preview/", post_only(live.preview), name="articles_article_live_preview"),
        ]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            *self._live_urls(),
            # The story form's photo chooser and one-step upload (photo_grid.py).
            path("photos/choose/", wrap(partial(photo_grid.chooser, self)), name="articles_article_photo_choose"),
            path(
                "photos/upload/",
                wrap(require_POST(partial(photo_grid.upload, self))),
                name="articles_article_photo_upload",
            ),
            path(
                "<path:object_id>/history/compare/",
                wrap(partial(history.compare, self)),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                wrap(partial(history.restore, self)),  # GET: the confirmation page (confirm.py)
                name="articles_article_restore",
            ),
            path("<path:object_id>/share/", wrap(partial(history.share, self)), name="articles_article_share"),
        ] + super().get_urls()

    def history_view(self, request, object_id, extra_context=None):
        return history.history(self, request, object_id, extra_context)
