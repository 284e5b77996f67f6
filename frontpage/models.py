"""The desk's arrangement of the front: which story holds the home lead, the top slots and each
section's lead, and until when.

A layout is either the desk's one working copy (the draft, edited and previewed) or a published
copy of it, live from its ``live_from`` time (a future time schedules it). The live layout is the
published one with the latest ``live_from`` that has passed. Which stories readers then see is
decided in articles/front_page.py: a pinned story shows only while ``Article.objects.published()``
admits it and its slot has not expired; otherwise the slot falls back to the newest story.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

# Slot 1 on the home page is the lead; 2.. are the top stories under it.
HOME_SLOTS = 5


# live_at(now) for the raw SQL of the front's query (articles/front_page.py): the id of the live
# layout, the moment passed as %(now)s. Keep the two in step.
LIVE_LAYOUT_SQL = (
    "(SELECT l.id FROM frontpage_frontlayout l WHERE l.kind = 'published' AND l.live_from <= %(now)s "
    "ORDER BY l.live_from DESC, l.id DESC LIMIT 1)"
)


class FrontLayoutQuerySet(models.QuerySet):
    def published(self):
        return self.filter(kind=FrontLayout.Kind.PUBLISHED)

    def live_at(self, now):
        """The one layout readers see at `now` (a queryset of at most one row, usable as a subquery)."""
        return self.published().filter(live_from__lte=now).order_by("-live_from", "-pk")[:1]

    def scheduled(self, now):
        return self.published().filter(live_from__gt=now).order_by("live_from", "pk")


class FrontLayout(models.Model):
    class Kind(models.TextChoices):
        DRAFT = "draft", "Desk draft"
        PUBLISHED = "published", "Published"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DRAFT)
    live_from = models.DateTimeField(null=True, blank=True, db_index=True)
    # Bumped by every save of the draft: a form opened at an older version may not overwrite it.
    version = models.PositiveIntegerField(default=1)
    saved_at = models.DateTimeField(auto_now=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = FrontLayoutQuerySet.as_manager()

    class Meta:
        verbose_name = "front page"
        verbose_name_plural = "front page"
        permissions = [("publish_frontlayout", "Can publish or schedule the front page")]
        constraints = [
            models.UniqueConstraint(fields=["kind"], condition=Q(kind="draft"), name="frontpage_one_draft"),
            models.CheckConstraint(
                condition=Q(kind="draft", live_from__isnull=True) | Q(kind="published", live_from__isnull=False),
                name="frontpage_published_has_time",
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.DRAFT:
            return "Desk draft of the front page"
        return f"Front page live from {self.live_from:%Y-%m-%d %H:%M}"


class FrontSlot(models.Model):
    """One pinned story: a home slot (no section; position 1 is the lead) or a section's lead."""

    layout = models.ForeignKey(FrontLayout, on_delete=models.CASCADE, related_name="slots")
    section = models.ForeignKey("articles.Section", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=1)
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="front_slots")
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="After this time the slot shows the newest story again."
    )

    class Meta:
        ordering = ["section_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["layout", "position"],
                condition=Q(section__isnull=True),
                name="frontpage_one_story_per_home_slot",
            ),
            models.UniqueConstraint(
                fields=["layout", "section"], condition=Q(section__isnull=False), name="frontpage_one_lead_per_section"
            ),
            # No story twice on the front.
            models.UniqueConstraint(fields=["layout", "article"], name="frontpage_story_once_per_layout"),
            models.CheckConstraint(
                condition=Q(section__isnull=False, position=1)
                | Q(section__isnull=True, position__gte=1, position__lte=HOME_SLOTS),
                name="frontpage_slot_position_in_range",
            ),
        ]
        indexes = [models.Index(fields=["layout", "expires_at"], name="frontpage_slot_expiry_idx")]

    def __str__(self):
        return f"{slot_label(self.section, self.position)}: {self.article}"


def slot_label(section, position):
    """A slot's name on the desk: "Home lead", "Top story 2", "World lead"."""
    if section is not None:
        return f"{section} lead"
    return "Home lead" if position == 1 else f"Top story {position - 1}"
