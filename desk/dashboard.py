"""The desk dashboard (the admin home): what needs attention, per role, in a constant number of queries.

Editors and admins (who may publish) see the whole desk; photo editors the stories on their way
out (ready, scheduled, embargoed, published) to put pictures on; reporters and anyone else
only their own stories. Whoever may change photos (editors, photo editors, admins) also sees
the photos whose licence ends soon, so a live story's picture can be replaced before it goes.
Each panel is one query: its first rows and, by a window count, how many there are in all.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from articles.models import Article, ArticleNote, Caption, Photo, StatusChange
from articles.permissions import ANY_CAPTION_PERMISSION, can_publish, editable_stories
from wire.models import PendingUpdate

Status = Article.Status
PANEL_ROWS = 8
INGEST_PERMISSION = "articles.add_article"  # who may ingest wire copy (wire/admin.py)
PHOTO_PERMISSION = "articles.change_photo"  # who may fix a photo's rights or replace it


@dataclass
class Row:
    headline: str
    url: str
    when: object = None
    when_label: str = ""
    detail: str = ""
    badges: list = field(default_factory=list)
    extra_url: str = ""
    extra_label: str = ""


@dataclass
class Panel:
    key: str
    title: str
    rows: list
    count: int
    more_url: str = ""
    empty: str = "Nothing here."


@dataclass
class Dashboard:
    scope: str  # "desk" (everything), "photos" or "own"
    panels: list


def story_url(article_id):
    return reverse("admin:articles_article_change", args=[article_id])


def story_list_url(**filters):
    return f"{reverse('admin:articles_article_changelist')}?{urlencode(filters)}"


def first_rows(queryset, order):
    """The panel's first rows and the total, in one query (COUNT(*) OVER () before the LIMIT)."""
    rows = list(queryset.annotate(panel_total=Window(Count("pk"))).order_by(*order)[:PANEL_ROWS])
    return rows, rows[0].panel_total if rows else 0


def dashboard_for(user, now=None):
    now = now or timezone.now()
    desk_wide = can_publish(user)
    photo_desk = not desk_wide and user.has_perm(ANY_CAPTION_PERMISSION)
    scope = "desk" if desk_wide else "photos" if photo_desk else "own"
    stories = Article.objects.select_related("section")
    if scope == "own":
        stories = stories.filter(created_by=user)
    mine = {} if scope != "own" else {"mine": "1"}
    writes = user.has_perm(INGEST_PERMISSION)

    panels = [
        _story_panel(
            "ready", "Ready for editing" if scope != "own" else "My stories ready for editing",
            stories.filter(status=Status.READY), ["-modified_at", "-pk"], now,
            when=lambda a: (a.modified_at, "changed"), more=story_list_url(state=Status.READY, **mine),
            empty="No story is waiting for an editor.",
        ),
    ]
    if writes:
        panels.append(_my_drafts(user, now))
    panels += [
        _story_panel(
            "scheduled", "Scheduled", stories.scheduled(now), ["published_at", "pk"], now,
            when=lambda a: (a.published_at, "goes live"), more=story_list_url(state="scheduled", **mine),
            empty="Nothing is scheduled.",
        ),
        _story_panel(
            "embargoed", "Embargoed", stories.embargoed(now).exclude(status=Status.KILLED),
            ["embargo_until", "pk"], now,
            when=lambda a: (a.embargo_until, "lifts"), more=story_list_url(state="embargoed", **mine),
            empty="No story is under embargo.",
        ),
    ]
    if writes and scope != "photos":
        panels += [_pending_wire(user), _new_wire(stories, now, mine)]
    panels.append(
        _story_panel(
            "published", "Recently published", stories.published(now), ["-published_at", "-pk"], now,
            when=lambda a: (a.published_at, "published"), more=story_list_url(state="live", **mine),
            empty="Nothing published yet.",
        )
    )
    if user.has_perm(PHOTO_PERMISSION):
        panels.append(_expiring_photos(now))
    if scope != "photos":
        panels.append(_corrections(user, scope))
    return Dashboard(scope=scope, panels=panels)


def _story_panel(key, title, queryset, order, now, *, when, more, empty):
    articles, total = first_rows(queryset, order)
    rows = []
    for article in articles:
        at, label = when(article)
        rows.append(Row(article.headline, story_url(article.pk), at, label, detail=article.section.name,
                        badges=_badges(article, now)))
    return Panel(key, title, rows, total, more, empty)


def _badges(article, now):
    badges = []
    if article.embargo_until and article.embargo_until > now:
        badges.append("embargoed")
    if article.wire_guid:
        badges.append("wire")
    return badges


def _my_drafts(user, now):
    returned = StatusChange.objects.filter(article=OuterRef("pk"), from_status=Status.READY, to_status=Status.DRAFT)
    drafts = Article.objects.select_related("section").filter(status=Status.DRAFT, created_by=user)
    articles, total = first_rows(drafts.annotate(was_returned=Exists(returned)), ["-modified_at", "-pk"])
    rows = [
        Row(a.headline, story_url(a.pk), a.modified_at, "changed", detail=a.section.name,
            badges=(["returned"] if a.was_returned else []) + _badges(a, now))
        for a in articles
    ]
    return Panel("drafts", "My drafts", rows, total, story_list_url(state=Status.DRAFT, mine="1"),
                 "You have no drafts.")


def _pending_wire(user):
    waiting = PendingUpdate.objects.filter(
        state=PendingUpdate.State.PENDING, article__in=editable_stories(user, Article.objects.all())
    ).select_related("article", "wire_version")
    updates, total = first_rows(waiting, ["-created_at", "-pk"])
    rows = [
        Row(u.article.headline, story_url(u.article_id), u.created_at, "arrived",
            detail=f"{u.get_kind_display()} {u.wire_version}",
            extra_url=reverse("admin:wire_pendingupdate_change", args=[u.pk]), extra_label="Review")
        for u in updates
    ]
    more = f"{reverse('admin:wire_pendingupdate_changelist')}?state__exact=pending"
    return Panel("wire-pending", "Agency updates waiting", rows, total, more, "No agency update is waiting.")


def _new_wire(stories, now, mine):
    wire_copy = stories.exclude(wire_guid="").filter(status__in=[Status.DRAFT, Status.READY])
    panel = _story_panel(
        "wire-new", "New wire items", wire_copy, ["-created_at", "-pk"], now,
        when=lambda a: (a.created_at, "received"), more="", empty="No new wire copy.",
    )
    for row in panel.rows:
        row.badges = [b for b in row.badges if b != "wire"]
    return panel


def _corrections(user, scope):
    notes = ArticleNote.objects.filter(kind=ArticleNote.Kind.CORRECTION).select_related("article")
    if scope == "own":
        notes = notes.filter(article__created_by=user)
    found, total = first_rows(notes, ["-created_at", "-pk"])
    rows = [Row(n.article.headline, story_url(n.article_id), n.created_at, "corrected", detail=n.text[:120])
            for n in found]
    return Panel("corrections", "Recent corrections", rows, total, "", "No corrections.")


def _expiring_photos(now):
    """Photos whose licence ends within NEWSROOM_PHOTO_EXPIRING_DAYS, soonest first; those a live story
    shows are marked, since readers lose the picture at that moment (articles/rights.py)."""
    days = settings.NEWSROOM_PHOTO_EXPIRING_DAYS
    live = Caption.objects.filter(photo=OuterRef("pk"), article__in=Article.objects.published(now))
    expiring = Photo.objects.expiring(timedelta(days=days), now).annotate(on_live_story=Exists(live))
    photos, total = first_rows(expiring, ["expires_at", "pk"])
    rows = [
        Row(str(p), reverse("admin:articles_photo_change", args=[p.pk]), p.expires_at, "licence ends",
            detail=p.credit, badges=["on a live story"] if p.on_live_story else [])
        for p in photos
    ]
    more = f"{reverse('admin:articles_photo_changelist')}?licence=expiring"
    return Panel("photos-expiring", f"Photo licences ending in the next {days} days", rows, total, more,
                 "No photo licence ends soon.")
