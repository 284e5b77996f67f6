"""Every write to the front page layout: the desk's draft, publishing it (now or at a time) and
cancelling a scheduled one. The admin only calls these.

Two editors may have the desk page open at once: each form carries the draft's version, and a save
from an older version is refused (StaleLayout) instead of silently replacing the other's work.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from pagecache.purge import purge_enabled, purge_on_commit

from .models import HOME_SLOTS, FrontLayout, FrontSlot, slot_label


class StaleLayout(Exception):
    """The draft was saved by someone else since this form was opened."""

    def __init__(self, draft):
        self.draft = draft
        who = draft.saved_by.get_username() if draft.saved_by else "another editor"
        when = timezone.localtime(draft.saved_at).strftime("%H:%M:%S")
        super().__init__(
            f"{who} saved the front page at {when}, after you opened it. Your changes were not saved: "
            "the page now shows their version; make your changes again."
        )


@dataclass(frozen=True)
class SlotChoice:
    """One pinned story as a form or a script asks for it."""

    article: object  # an articles.Article
    position: int = 1
    section: object = None  # an articles.Section for a section's lead, None for a home slot
    expires_at: datetime | None = None

    def label(self):
        return slot_label(self.section, self.position)


def check_choices(choices, *, now=None):
    """What is wrong with a layout, for an editor: {index of the choice: message}."""
    now = now or timezone.now()
    errors, seen = {}, {}
    for index, choice in enumerate(choices):
        label = choice.label()
        if choice.section is None and not 1 <= choice.position <= HOME_SLOTS:
            errors[index] = f"The home page has {HOME_SLOTS} slots."
        elif choice.section is not None and choice.article.section_id != choice.section.pk:
            errors[index] = f"“{choice.article}” is in {choice.article.section}, not {choice.section}."
        elif choice.article.pk in seen:
            errors[index] = (
                f"“{choice.article}” is already in {seen[choice.article.pk]}: a story appears once on the front."
            )
        elif choice.expires_at is not None and choice.expires_at <= now:
            errors[index] = "The expiry time has passed: leave it empty or pick a later time."
        seen.setdefault(choice.article.pk, label)
    return errors


def desk_draft():
    """The desk's working copy of the front, made from the live layout the first time it is needed."""
    draft = FrontLayout.objects.filter(kind=FrontLayout.Kind.DRAFT).select_related("saved_by").first()
    if draft is not None:
        return draft
    try:
        with transaction.atomic():
            draft = FrontLayout.objects.create(kind=FrontLayout.Kind.DRAFT)
            live = FrontLayout.objects.live_at(timezone.now()).first()
            if live is not None:
                copy_slots(live, draft)
    except IntegrityError:  # another request made it first
        pass
    return FrontLayout.objects.select_related("saved_by").get(kind=FrontLayout.Kind.DRAFT)


def save_draft(choices, *, version, by, now=None):
    """Replace the draft's slots with `choices`, if nobody saved it since `version` was read."""
    errors = check_choices(choices, now=now)
    if errors:
        raise ValidationError([f"{choices[index].label()}: {message}" for index, message in errors.items()])
    with transaction.atomic():
        draft = FrontLayout.objects.select_for_update(of=("self",)).select_related("saved_by").get(pk=desk_draft().pk)
        if draft.version != version:
            raise StaleLayout(draft)
        draft.slots.all().delete()
        FrontSlot.objects.bulk_create(
            FrontSlot(layout=draft, article=c.article, section=c.section, position=c.position, expires_at=c.expires_at)
            for c in choices
        )
        draft.version += 1
        draft.saved_by = by
        draft.save()
    return draft


def publish_draft(*, version, by, at=None, now=None):
    """Make the draft live at `at` (now when None): a published copy, so later draft edits stay private."""
    now = now or timezone.now()
    at = at or now
    with transaction.atomic():
        draft = FrontLayout.objects.select_for_update(of=("self",)).select_related("saved_by").get(pk=desk_draft().pk)
        if draft.version != version:
            raise StaleLayout(draft)
        layout = FrontLayout.objects.create(kind=FrontLayout.Kind.PUBLISHED, live_from=at, saved_by=by)
        copy_slots(draft, layout)
        if purge_enabled():
            purge_on_commit(purge_keys())
    return layout


def cancel_scheduled(layout_id, *, now=None):
    """Drop a layout scheduled for later; False when it has gone live meanwhile (or is gone)."""
    deleted, _ = FrontLayout.objects.scheduled(now or timezone.now()).filter(pk=layout_id).delete()
    return bool(deleted)


def copy_slots(source, target):
    FrontSlot.objects.bulk_create(
        FrontSlot(
            layout=target,
            article_id=s.article_id,
            section_id=s.section_id,
            position=s.position,
            expires_at=s.expires_at,
        )
        for s in source.slots.all()
    )


def purge_keys():
    """What a CDN drops when a layout goes live: the home page and every section page a layout leads."""
    sections = FrontSlot.objects.filter(section__isnull=False).values_list("section_id", flat=True).distinct()
    return {"home", *(f"section-{pk}" for pk in sections)}
