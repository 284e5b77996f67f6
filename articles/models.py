"""Content model: sections, sources, authors, articles, photos and their captions."""
import hashlib
import secrets

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from newsroom.links import reverse_once, reverser

from .datelines import place_of, strip_lede
from .html import BODY_EDITOR_EXTENSIONS, photo_ids, sanitize_html
from .slugs import unique_slug
from .sources import SourceQuerySet
from .storage import originals_storage, storage_url


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    position = models.PositiveIntegerField(default=0, help_text="Lower numbers come first in navigation.")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_once("reader:section", self.slug)


class Source(models.Model):
    class Kind(models.TextChoices):
        AGENCY = "agency", "Wire agency"
        STAFF = "staff", "Staff"
        PARTNER = "partner", "Partner"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.AGENCY)
    attribution = models.CharField(
        max_length=100,
        blank=True,
        help_text='Shown in brackets after a story\'s body: "Yonhap" renders as "(Yonhap)". '
        "Leave empty for no source line.",
    )
    website = models.URLField(blank=True)
    photo_policy = models.CharField(
        "photo rule",
        max_length=10,
        choices=[
            ("", "Usable as the photo's own terms say"),
            ("editorial", "Editorial use only (never on sponsored stories)"),
            ("blocked", "Not for publication"),
        ],
        blank=True,
        default="",
        help_text="A rule this site applies to every photo from or credited to this source, on top of "
        "the photo's own usage terms (see docs/photos.md).",
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_once("reader:source", self.slug)

    @property
    def attribution_line(self):
        return f"({self.attribution})" if self.attribution else ""


class Author(models.Model):
    name = models.CharField(max_length=150, help_text="The name as it appears in the byline.")
    slug = models.SlugField(max_length=150, unique=True)
    role = models.CharField(max_length=100, blank=True, help_text='For example "Staff reporter".')
    bio = models.TextField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="author"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_once("reader:author", self.slug)


def card_photos(renditions=None):
    """The prefetch of a story card's photos (also for lists fetched in two parts, prefetched at once).

    `renditions`: the spec names to prefetch (articles/renditions.py: what the page's pictures can
    use); every rendition of each photo when None; none when False (the caller prefetches them,
    renditions.prefetch_picture_renditions).
    """
    # Only photos a reader may see now: an expired licence drops the photo by the clock.
    # Not the photo's file metadata, credentials summary or keywords: the desk's (admin) alone, and
    # the metadata ("everything read from the file") can run to kilobytes of JSON a photo.
    captions = (
        Caption.objects.shown()
        .select_related("photo")
        .defer("photo__metadata", "photo__content_credentials", "photo__keywords")
    )
    if renditions is None:
        captions = captions.prefetch_related("photo__renditions")
    elif renditions is not False:
        captions = captions.prefetch_related(
            models.Prefetch("photo__renditions", queryset=Rendition.objects.filter(spec__in=list(renditions)))
        )
    return models.Prefetch("captions", queryset=captions)


def story_url_kwargs(slug, dated, zone=None):
    """A story's URL parts: the day of `dated` (its publication) in the current time zone (or
    `zone`), and its slug."""
    day = dated.astimezone(zone or timezone.get_current_timezone())
    return {"year": day.year, "month": f"{day.month:02d}", "day": f"{day.day:02d}", "slug": slug}


def story_path(slug, dated):
    """The path of the story `slug` published at `dated` (Article.get_absolute_url)."""
    return reverse_once("reader:detail", **story_url_kwargs(slug, dated))


def story_paths(stories):
    """story_path() of each (slug, dated) of `stories`, the request's time zone and URLconf looked
    up once (links read without a model: articles/related.py)."""
    zone, reverse_link = timezone.get_current_timezone(), reverser()
    return [reverse_link("reader:detail", **story_url_kwargs(slug, dated, zone)) for slug, dated in stories]


# published(now) for the raw SQL of the LATERAL-join queries (articles/related.py, front_page.py):
# the story table aliased `a`, the moment passed as %(now)s. Keep the two in step.
PUBLISHED_SQL = (
    "a.status = 'published' AND a.published_at <= %(now)s "
    "AND (a.embargo_until IS NULL OR a.embargo_until <= %(now)s)"
)


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What readers may see: published, due, and past any embargo. Every public surface uses this."""
        now = now or timezone.now()
        # One filter() rather than two: the same condition, one queryset clone fewer on every page.
        return self.filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=now),
            status=Article.Status.PUBLISHED,
            published_at__lte=now,
        )

    def drafts(self):
        return self.filter(status__in=[Article.Status.DRAFT, Article.Status.READY])

    def scheduled(self, now=None):
        """Published with a publish time still to come: they go live by the clock (published())."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=now or timezone.now())

    def embargoed(self, now=None):
        """Under a wire embargo at `now`, whatever their status (Article.is_embargoed_at as a filter)."""
        return self.filter(embargo_until__gt=now or timezone.now())

    def with_related(self, renditions=None):
        """Everything a story card or page shows, in a constant number of queries."""
        return self.with_card_related(renditions).select_related("source").prefetch_related(
            "tags",
            models.Prefetch("authorships", queryset=ArticleAuthor.objects.select_related("author")),
            "notes",
        )

    def with_card_related(self, renditions=None):
        """What a story card shows (headline, section, lead photo): lighter than with_related().

        `renditions`: which renditions to prefetch (card_photos).
        """
        return self.with_card_rows().prefetch_related(card_photos(renditions))

    def with_card_rows(self):
        """with_card_related() without the photos, for a page that prefetches them itself (card_photos)."""
        # No page shows the search vector (PostgreSQL's: every word's positions, about 8 KB a story,
        # more than the body), and fetching it was the bulk of each story's row.
        # Not the source: a card never shows it (the story page's attribution does: with_related()).
        return self.select_related("section").defer("search_vector")

    def without_body(self):
        """For pages of cards, which never show the body (with_card_rows() already leaves out the search vector)."""
        return self.defer("body")

    def newest_first(self):
        """Newest publish time first. (Not named latest(): Django's QuerySet.latest() returns one row.)"""
        return self.order_by("-published_at", "-pk")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        READY = "ready", "Ready for editing"
        PUBLISHED = "published", "Published"
        KILLED = "killed", "Unpublished (killed)"

    headline = models.CharField(max_length=255)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The last part of the story's address. Filled from the headline."
    )
    dek = models.TextField("standfirst", blank=True, help_text="One or two sentences under the headline.")
    # One sanitizer, html.sanitize_html: in the editor's form, and in save() for every other way in.
    # Oversized or deeply nested HTML is refused there (a form error in the admin).
    body = ProseEditorField(config={"extensions": BODY_EDITOR_EXTENSIONS}, sanitize=sanitize_html, blank=True)
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="Where the copy comes from; its attribution is printed after the body.",
    )
    authors = models.ManyToManyField(Author, through="ArticleAuthor", related_name="articles", blank=True)
    tags = TaggableManager(blank=True)
    dateline = models.CharField(max_length=100, blank=True, help_text='Place the story was filed from, e.g. "SEOUL".')

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(
        "publish time", null=True, blank=True, help_text="A time in the future schedules the story."
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(
        null=True, blank=True, help_text='Shown to readers as "Updated" when later than the publish time.'
    )
    embargo_until = models.DateTimeField(
        null=True, blank=True, help_text="Wire embargo: the story cannot be published before this time."
    )
    seo_title = models.CharField(
        "SEO title",
        max_length=200,
        blank=True,
        help_text="The title search engines and social cards show. Falls back to the headline.",
    )
    seo_description = models.CharField(
        "SEO description",
        max_length=300, blank=True, help_text="For search engines and social cards. Falls back to the standfirst."
    )
    exclude_from_top_stories = models.BooleanField(
        default=False, help_text='Keep this story out of the "Top 10 Stories" box.'
    )
    is_sponsored = models.BooleanField(
        "sponsored",
        default=False,
        help_text="Paid for by an advertiser or partner. Photos licensed for editorial use only cannot run on it.",
    )

    # Optimistic locking: every save bumps it; a form posting an older number is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    wire_guid = models.CharField(max_length=255, blank=True, default="", editable=False)
    wire_version = models.CharField(max_length=50, blank=True, default="", editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    # Kept current by a database trigger on PostgreSQL (see migration 0001); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_article", "Can publish, schedule and unpublish stories")]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
            models.Index(fields=["section", "-published_at"], name="article_section_pub_idx"),
            # The newest published stories, index-only: the home page's and the feeds' walk, and a
            # tag or author list on SQLite (on PostgreSQL those read their links: listings.py).
            models.Index(
                fields=["-published_at", "-id"],
                include=["embargo_until"],
                condition=Q(status="published"),
                name="article_published_newest_idx",
            ),
            # A source's page walks its own newest published stories: a wire that stopped long ago
            # (or a rare one) no longer walks every newer story of the archive (1.3 s at 100,000).
            models.Index(
                fields=["source", "-published_at", "-id"],
                include=["embargo_until"],
                condition=Q(status="published"),
                name="article_source_pub_idx",
            ),
            # The desk's story list (every status, newest first) and its searches' newest matches.
            models.Index(fields=["-published_at", "-id"], name="article_pub_id_idx"),
            # The content generation's clock (pagecache.generation) probes the latest passed embargo.
            models.Index(
                fields=["embargo_until"],
                name="article_embargo_idx",
                condition=Q(status="published", embargo_until__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
            models.UniqueConstraint(
                fields=["source", "wire_guid"], condition=~Q(wire_guid=""), name="article_unique_wire_guid"
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Article, self.headline, instance=self)
        self.body = sanitize_html(self.body)
        # The dateline is written once: the field holds the place, the body does not repeat it.
        self.dateline = place_of(self.dateline)
        self.body = strip_lede(self.body, self.dateline)
        if self.status == self.Status.PUBLISHED and self.published_at and not self.first_published_at:
            self.first_published_at = self.published_at
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                # A partial save still bumps the version and keeps the fields derived above with it.
                fields = {*kwargs["update_fields"], "version", "modified_at"}
                if fields & {"status", "published_at"}:
                    fields.add("first_published_at")
                kwargs["update_fields"] = fields
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return story_path(self.slug, self.published_at or self.created_at or timezone.now())

    def clean(self):
        if self.status == self.Status.PUBLISHED and self.is_embargoed_at(self.published_at or timezone.now()):
            raise ValidationError(
                {
                    "published_at": "This story is under embargo until "
                    f"{timezone.localtime(self.embargo_until):%Y-%m-%d %H:%M %Z}; "
                    "it cannot be published before then."
                }
            )

    def is_embargoed_at(self, when):
        """Whether the wire embargo still holds at `when`."""
        return self.embargo_until is not None and when < self.embargo_until

    def is_published(self, now=None):
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and not self.is_embargoed_at(now)
        )

    def publish(self, at=None):
        self.status = self.Status.PUBLISHED
        self.published_at = at or self.published_at or timezone.now()
        if not self.first_published_at:
            self.first_published_at = self.published_at

    def unpublish(self):
        self.status = self.Status.KILLED

    def url_kwargs(self):
        return story_url_kwargs(self.slug, self.published_at or self.created_at or timezone.now())

    @property
    def shows_updated(self):
        return bool(self.updated_at and self.published_at and self.updated_at > self.published_at)

    # The helpers below read prefetched data (see with_related) and issue no queries of their own.
    @property
    def ordered_authors(self):
        return [a.author for a in sorted(self.authorships.all(), key=lambda a: a.position)]

    @property
    def ordered_captions(self):
        # Photos readers may not see now are already left out by with_card_related()'s prefetch;
        # is_usable() keeps that true for captions loaded any other way.
        # A card asks for its lead photo several times: sorted once per prefetched list (a new
        # prefetch, or none at all, sorts afresh).
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("captions")
        memo = self.__dict__.get("_ordered_captions")
        if prefetched is not None and memo is not None and memo[0] is prefetched:
            return memo[1]
        captions = [c for c in self.captions.all() if c.photo.is_usable()]
        captions.sort(key=lambda c: (c.role != Caption.Role.LEAD, c.position, c.pk))
        if prefetched is not None:
            self.__dict__["_ordered_captions"] = (prefetched, captions)
        return captions

    @property
    def lead_caption(self):
        return next((c for c in self.ordered_captions if c.role == Caption.Role.LEAD), None)

    @property
    def inline_captions(self):
        """Inline photos shown after the body: those the body does not already show in place."""
        in_body = set(photo_ids(self.body))
        return [c for c in self.ordered_captions if c.role == Caption.Role.INLINE and c.photo_id not in in_body]

    @property
    def summary(self):
        return self.seo_description or self.dek

    @property
    def search_title(self):
        """The title of the page in search results and social cards: the SEO title, else the headline."""
        return self.seo_title or self.headline


class ArticleAuthor(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="authorships")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="authorships")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="article_author_once")]

    def __str__(self):
        return str(self.author)


def file_sha256(file):
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def new_rendition_key():
    return secrets.token_hex(10)


def original_storage():
    return originals_storage


def original_upload_to(photo, filename):
    digest = photo.sha256 or "unhashed"
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"originals/{digest[:2]}/{digest}.{ext}"


class PhotoQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Photos a reader may see at `now`: past any photo embargo and before the licence ends.

        Every public surface shows photos only through this filter (or Caption.objects.shown()),
        so an expired photo disappears by the clock, with no save and no worker.
        """
        return self.filter(usable_q(now or timezone.now()))

    def expiring(self, within, now=None):
        """Photos whose licence ends in the next `within` (a timedelta), soonest first."""
        now = now or timezone.now()
        return self.filter(expires_at__gt=now, expires_at__lte=now + within).order_by("expires_at")


def usable_q(now, prefix=""):
    """The condition of PhotoQuerySet.usable(), for querysets that reach photos through `prefix`."""
    return (Q(**{f"{prefix}usable_from__isnull": True}) | Q(**{f"{prefix}usable_from__lte": now})) & (
        Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": now})
    )


class Photo(models.Model):
    image = models.ImageField(
        upload_to=original_upload_to, storage=original_storage, width_field="file_width", height_field="file_height"
    )
    sha256 = models.CharField(max_length=64, unique=True, editable=False)
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=255, blank=True, help_text='As printed, e.g. "AFP-Yonhap".')
    photographer = models.CharField(max_length=255, blank=True)
    copyright = models.CharField(max_length=255, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="photos")
    credit_sources = models.ManyToManyField(
        Source, blank=True, related_name="credited_photos", help_text="The agencies the credit names."
    )
    headline = models.CharField(max_length=255, blank=True)
    date_created = models.DateField(null=True, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    keywords = models.JSONField(default=list, blank=True)
    alt_text = models.CharField(
        max_length=300, blank=True, help_text="Describes the image for readers who cannot see it."
    )
    # Display size after EXIF orientation is applied.
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    file_width = models.PositiveIntegerField(default=0, editable=False)
    file_height = models.PositiveIntegerField(default=0, editable=False)
    focal_x = models.PositiveIntegerField(null=True, blank=True, help_text="Focal point, in pixels from the left.")
    focal_y = models.PositiveIntegerField(null=True, blank=True, help_text="Focal point, in pixels from the top.")
    # Rights (issue #17): read from XMP/IPTC on upload, editable by photo editors; see articles/rights.py.
    usage_terms = models.TextField(
        blank=True, help_text='The licence terms, e.g. "Editorial use only. No sales." (XMP UsageTerms, IPTC '
        "Special Instructions). Editorial-only photos cannot run on sponsored stories."
    )
    web_statement = models.URLField("web statement of rights", max_length=500, blank=True)
    licensor_name = models.CharField("licensor", max_length=255, blank=True)
    licensor_url = models.URLField("licence URL", max_length=500, blank=True)
    copyright_owner = models.CharField(max_length=255, blank=True)
    usable_from = models.DateTimeField(
        "embargoed until",
        null=True,
        blank=True,
        db_index=True,
        help_text="The photo may not be shown before this time.",
    )
    expires_at = models.DateTimeField(
        "do not use after",
        null=True,
        blank=True,
        db_index=True,
        help_text="Licence end: from this time the photo is removed from every public page, feed and sitemap.",
    )
    # Provenance: an IPTC digital source type URI, and what the C2PA manifest (if any) says.
    digital_source_type = models.CharField(
        max_length=200, blank=True, help_text="IPTC digital source type: camera, composite, AI-generated…"
    )
    content_credentials = models.JSONField(
        default=dict, blank=True, editable=False, help_text="The C2PA manifest read from the file, if any."
    )
    # Renditions are named by this secret, not by the file's SHA-256 (see images.rendition_prefix).
    rendition_key = models.CharField(max_length=32, blank=True, default=new_rendition_key, editable=False)
    metadata = models.JSONField(default=dict, blank=True, editable=False, help_text="Everything read from the file.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        # The content generation's clock (pagecache.generation) probes the latest passed licence
        # end and photo embargo.
        indexes = [
            models.Index(fields=["expires_at"], name="photo_expires_idx", condition=Q(expires_at__isnull=False)),
            models.Index(fields=["usable_from"], name="photo_usable_from_idx", condition=Q(usable_from__isnull=False)),
        ]

    def __str__(self):
        return self.headline or self.caption[:80] or f"Photo {self.pk}"

    def save(self, *args, **kwargs):
        if not self.sha256 and self.image:
            self.sha256 = file_sha256(self.image)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # Checked with the fields, not in clean(): a form that does not show the focal point (an
        # alt-text form, say) is not stopped by a bad value stored before this check existed.
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, message in self.focal_point_errors().items():
            if name not in (exclude or ()) and name not in errors:
                errors[name] = [message]
        if errors:
            raise ValidationError(errors)

    def focal_point_errors(self):
        """{field: message} when the focal point is not a pixel of the upright picture ({} when it is, or unset)."""
        if (self.focal_x is None) != (self.focal_y is None):
            missing = "focal_y" if self.focal_y is None else "focal_x"
            return {missing: "Set both coordinates of the focal point, or clear both to centre the crops."}
        errors = {}
        for name, value, size, across in [
            ("focal_x", self.focal_x, self.width, "wide"),
            ("focal_y", self.focal_y, self.height, "high"),
        ]:
            if value is not None and size and not 0 <= value < size:
                errors[name] = f"The picture is {size} pixels {across}: enter a value from 0 to {size - 1}."
        return errors

    @property
    def focal_point(self):
        if self.focal_x is None or self.focal_y is None:
            return None
        return (self.focal_x, self.focal_y)

    @property
    def focal_key(self):
        return hashlib.sha1(f"{self.focal_x},{self.focal_y}".encode()).hexdigest()[:8]

    @property
    def display_alt(self):
        return self.alt_text or self.headline or self.caption[:200]

    def is_usable(self, now=None):
        """PhotoQuerySet.usable() for one photo already in memory."""
        now = now or timezone.now()
        return (self.usable_from is None or self.usable_from <= now) and (
            self.expires_at is None or self.expires_at > now
        )

    @property
    def digital_source(self):
        """The digital source type as a rights.SourceType (code, label, reader label), or None."""
        from .rights import source_type

        return source_type(self.digital_source_type)


def rendition_upload_to(rendition, filename):
    return filename  # images.rendition_name() already made it deterministic


class Rendition(models.Model):
    """One derived, re-encoded image of a photo; the only image files readers ever receive."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=50)
    focal_key = models.CharField(max_length=16, blank=True, default="")
    file = models.ImageField(upload_to=rendition_upload_to, max_length=255)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["photo", "spec", "focal_key"], name="rendition_unique_spec"),
        ]

    def __str__(self):
        return f"{self.photo_id} {self.spec}"

    @property
    def url(self):
        file = self.file  # one trip through the field's descriptor, not three
        if not file:
            return file.url  # raises: no file
        return storage_url(file.storage, file.name)


class CaptionQuerySet(models.QuerySet):
    def shown(self, now=None):
        """Captions whose photo a reader may see at `now` (see PhotoQuerySet.usable)."""
        return self.filter(usable_q(now or timezone.now(), prefix="photo__"))


class Caption(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Lead photo"
        INLINE = "inline", "Inline"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="captions")
    photo = models.ForeignKey(Photo, on_delete=models.PROTECT, related_name="captions")
    caption = models.TextField(blank=True, help_text="Starts as the photo's own caption; edit it for this story.")
    credit = models.CharField(max_length=255, blank=True, help_text="Starts as the photo's credit.")
    position = models.PositiveIntegerField(default=0)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.INLINE)

    objects = CaptionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article"], condition=Q(role="lead"), name="caption_one_lead_per_article"),
        ]

    def __str__(self):
        return self.caption[:80] or str(self.photo)

    def save(self, *args, **kwargs):
        if not self.caption and self.photo_id:
            self.caption = self.photo.caption
        if not self.credit and self.photo_id:
            self.credit = self.photo.credit
        super().save(*args, **kwargs)


class ArticleNote(models.Model):
    """A correction, clarification or update appended to a story and shown to readers."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # Set when an editor fixes the note's wording after readers saw it (publishing.edit_note); the
    # page says so. Who changed what is in the audit log.
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class StatusChange(models.Model):
    """Who moved a story from one status to another, and when."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=Article.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Article.Status.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.from_status or 'new'} → {self.to_status}"


class ArticleRedirect(models.Model):
    """An old public path of a story, answered with a permanent redirect to its current URL."""

    old_path = models.CharField(max_length=300, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.old_path


# Revision history (django-reversion): a story's revision also holds its byline, captions and notes.
reversion.register(ArticleAuthor)
reversion.register(Caption)
reversion.register(ArticleNote)
reversion.register(Article, exclude=["search_vector"], follow=["authorships", "captions", "notes"])


class StoryDraft(models.Model):
    """What a desk user had typed in a story form, autosaved while they typed (articles/admin/live.py).

    Never part of the story: readers, revisions and the version number ignore it. It is offered
    back when the same user opens the form again, and deleted when they save the story.
    """

    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The form's fields as the browser would post them: [[name, value], ...].
    data = models.JSONField(default=list)
    base_version = models.PositiveIntegerField(null=True, blank=True)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="story_draft_once_per_user"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(article__isnull=True), name="story_draft_one_new_story_per_user"
            ),
        ]

    def __str__(self):
        return f"Autosaved draft of {self.article or 'a new story'} by {self.user}"


class SearchTerm(models.Model):
    """A word of published headlines and standfirsts, for "did you mean" (articles/suggestions.py).

    Rebuilt from Article.objects.published() only, so no unpublished word can be suggested;
    trigram-indexed on PostgreSQL (migration 0009)."""

    term = models.CharField(max_length=60, primary_key=True)
    stories = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.term


class StoryFragment(models.Model):
    """A published story's own HTML (its page's article and head, its card's picture), rendered once per change.

    articles/fragments.py renders and stores it; on PostgreSQL, triggers on every table the HTML
    shows (migration 0013) blank it in the same transaction as the change, so a stored fragment is
    never older than what it shows. No foreign key: a trigger drops the row with its story.
    """

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="fragment"
    )
    # What rendered it (articles.fragments.render_format): templates, code and settings.
    format = models.CharField(max_length=40, blank=True)
    # NULL: not rendered since the last change ("" is rendered and empty: a card without a photo).
    # The story's page with its live parts open (articles.story_page).
    html = models.TextField(null=True)  # noqa: DJ001
    # No longer written (the page holds its head); the triggers of migration 0013 still blank it.
    head = models.TextField(null=True)  # noqa: DJ001
    # Its pictures on list pages: as a card, and as a home or section page's lead.
    card_image = models.TextField(null=True)  # noqa: DJ001
    lead_image = models.TextField(null=True)  # noqa: DJ001
    tag_ids = models.JSONField(default=list)
    # The page's surrogate keys (pagecache.keys.article_keys), for the CDN purge.
    keys = models.JSONField(default=list)
    # The next moment the clock alone changes the HTML (a photo's embargo lift or licence end).
    valid_until = models.DateTimeField(null=True)

    def __str__(self):
        return f"Rendered page of story {self.article_id}"
