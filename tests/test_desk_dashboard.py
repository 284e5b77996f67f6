"""The desk dashboard as the admin home (#13 part 1): panels per role, counts, one click to each story,
Django's app list still reachable, and a query count that does not grow with the stories."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleNote, StatusChange
from desk.dashboard import PANEL_ROWS, dashboard_for
from tests.factories import ArticleFactory, CaptionFactory, PhotoFactory, UserFactory
from tests.workflow_helpers import count_queries, desk_user

pytestmark = pytest.mark.django_db
Status = Article.Status
DASHBOARD_BUDGET = 16


@pytest.fixture
def reporter():
    return desk_user("Reporter")


def panels(user):
    return {panel.key: panel for panel in dashboard_for(user).panels}


def headlines(panel):
    return [row.headline for row in panel.rows]


def a_desk_day(reporter, *, n=1):
    now = timezone.now()
    for i in range(n):
        ArticleFactory(headline=f"Ready {i}", status=Status.READY, published_at=None, created_by=reporter)
        ArticleFactory(headline=f"Draft {i}", draft=True, created_by=reporter)
        ArticleFactory(headline=f"Scheduled {i}", published_at=now + timedelta(hours=i + 1))
        ArticleFactory(headline=f"Embargoed {i}", status=Status.READY, published_at=None,
                       embargo_until=now + timedelta(hours=i + 2))
        ArticleFactory(headline=f"Wire {i}", status=Status.READY, published_at=None, wire_guid=f"urn:wire:{i}")
        live = ArticleFactory(headline=f"Live {i}")
        ArticleNote.objects.create(article=live, kind=ArticleNote.Kind.CORRECTION, text=f"Fixed a name {i}.")


def test_an_editor_sees_the_whole_desk_with_counts_and_times(editor, reporter):
    a_desk_day(reporter, n=2)
    desk = panels(editor)
    assert headlines(desk["ready"]) == ["Wire 1", "Embargoed 1", "Ready 1", "Wire 0", "Embargoed 0", "Ready 0"]
    assert desk["ready"].count == 6
    assert headlines(desk["scheduled"]) == ["Scheduled 0", "Scheduled 1"]  # soonest first
    assert desk["scheduled"].rows[0].when_label == "goes live"
    assert headlines(desk["embargoed"]) == ["Embargoed 0", "Embargoed 1"]
    assert desk["embargoed"].rows[0].when_label == "lifts"
    assert headlines(desk["wire-new"]) == ["Wire 1", "Wire 0"]
    assert headlines(desk["published"])[:2] == ["Live 1", "Live 0"]
    assert [row.detail for row in desk["corrections"].rows] == ["Fixed a name 1.", "Fixed a name 0."]
    assert desk["drafts"].count == 0  # the editor's own drafts: none


def test_a_reporter_sees_only_their_own_stories(editor, reporter):
    a_desk_day(reporter)
    other = desk_user("Reporter", username="other-reporter")
    ArticleFactory(headline="Someone else's draft", draft=True, created_by=other)
    ArticleFactory(headline="Someone else's ready story", status=Status.READY, published_at=None, created_by=other)
    desk = panels(reporter)
    assert headlines(desk["ready"]) == ["Ready 0"] and desk["ready"].title == "My stories ready for editing"
    assert headlines(desk["drafts"]) == ["Draft 0"]
    assert desk["scheduled"].count == desk["embargoed"].count == desk["wire-new"].count == 0
    assert desk["corrections"].count == 0
    html = all_text(panels(other))
    assert "Ready 0" not in html and "Draft 0" not in html


def all_text(desk):
    return " ".join(row.headline for panel in desk.values() for row in panel.rows)


def test_a_story_returned_to_its_reporter_is_marked(reporter):
    draft = ArticleFactory(headline="Back to you", draft=True, created_by=reporter)
    StatusChange.objects.create(article=draft, from_status=Status.READY, to_status=Status.DRAFT)
    [row] = panels(reporter)["drafts"].rows
    assert "returned" in row.badges


def test_a_photo_editor_sees_stories_on_their_way_out_not_drafts_or_wire(reporter):
    a_desk_day(reporter)
    desk = panels(desk_user("Photo editor"))
    assert set(desk) == {"ready", "scheduled", "embargoed", "published", "photos-expiring"}
    assert desk["ready"].count == 3


def expiring_photos(now):
    """A live story's photo ending tomorrow, a library photo ending in three days, and three that must
    not be listed: one ending after the window, one already expired, one with no licence end."""
    live_story = ArticleFactory(headline="Live with a picture")
    on_live = PhotoFactory(headline="Ferry at dusk", credit="AFP-Yonhap", expires_at=now + timedelta(days=1))
    CaptionFactory(article=live_story, photo=on_live)
    draft = ArticleFactory(headline="Draft with a picture", draft=True)
    in_library = PhotoFactory(headline="Harbour cranes", expires_at=now + timedelta(days=3))
    CaptionFactory(article=draft, photo=in_library)
    PhotoFactory(headline="Later licence", expires_at=now + timedelta(days=30))
    PhotoFactory(headline="Already expired", expires_at=now - timedelta(hours=1))
    PhotoFactory(headline="No licence end")
    return on_live, in_library


@pytest.mark.parametrize("role", ["Editor", "Photo editor"])
def test_photos_whose_licence_ends_soon_are_listed_soonest_first_live_ones_marked(role, settings):
    settings.NEWSROOM_PHOTO_EXPIRING_DAYS = 7
    on_live, in_library = expiring_photos(timezone.now())
    panel = panels(desk_user(role, username=f"desk-{role}"))["photos-expiring"]
    assert headlines(panel) == ["Ferry at dusk", "Harbour cranes"] and panel.count == 2
    assert [row.badges for row in panel.rows] == [["on a live story"], []]
    assert panel.rows[0].when == on_live.expires_at and panel.rows[0].when_label == "licence ends"
    assert panel.rows[0].url == reverse("admin:articles_photo_change", args=[on_live.pk])
    assert panel.rows[0].detail == "AFP-Yonhap"
    assert panel.more_url == reverse("admin:articles_photo_changelist") + "?licence=expiring"
    assert panel.title == "Photo licences ending in the next 7 days"


def test_reporters_do_not_get_the_expiring_photos_panel(reporter):
    expiring_photos(timezone.now())
    assert "photos-expiring" not in panels(reporter)


def test_the_admin_home_shows_the_expiring_photos_to_the_photo_desk(client):
    on_live, _ = expiring_photos(timezone.now())
    client.force_login(desk_user("Photo editor", username="photo-desk"))
    html = client.get(reverse("admin:index")).content.decode()
    assert 'id="desk-photos-expiring"' in html
    link = reverse("admin:articles_photo_change", args=[on_live.pk])
    assert f'href="{link}" class="desk-story">Ferry at dusk' in html
    assert '<span class="desk-badge is-warning">on a live story</span>' in html


def test_pending_agency_updates_are_listed_with_a_review_link(editor):
    from wire.models import PendingUpdate, WireVersion

    story = ArticleFactory(headline="Ferry leaves at six", wire_guid="urn:ferry")
    version = WireVersion.objects.create(article=story, guid="urn:ferry", version="2")
    update = PendingUpdate.objects.create(article=story, wire_version=version, reason="Live story.",
                                          fields={"headline": {"before": "a", "now": "b"}})
    [row] = panels(editor)["wire-pending"].rows
    assert row.url == reverse("admin:articles_article_change", args=[story.pk])
    assert row.extra_url == reverse("admin:wire_pendingupdate_change", args=[update.pk])


def test_counts_go_past_the_rows_shown(editor):
    for _ in range(PANEL_ROWS + 3):
        ArticleFactory(status=Status.READY, published_at=None)
    panel = panels(editor)["ready"]
    assert len(panel.rows) == PANEL_ROWS and panel.count == PANEL_ROWS + 3


def test_the_admin_home_is_the_dashboard_with_one_click_to_each_story_and_the_app_list(client, editor, reporter):
    story = ArticleFactory(headline="Harbour plan ready for a read", status=Status.READY, published_at=None,
                           created_by=reporter)
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert "<h1>The desk</h1>" in html
    assert f'href="{reverse("admin:articles_article_change", args=[story.pk])}" class="desk-story"' in html
    assert 'id="desk-apps"' in html and "app-articles" in html  # Django's list of apps, lower down


def test_the_story_list_filters_every_status_including_scheduled_and_embargoed(client, editor):
    now = timezone.now()
    ArticleFactory(headline="Goes out tonight", published_at=now + timedelta(hours=5))
    ArticleFactory(headline="Held by the agency", status=Status.READY, published_at=None,
                   embargo_until=now + timedelta(hours=1))
    ArticleFactory(headline="Already out")
    ArticleFactory(headline="Pulled", killed=True)
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")

    def listed(state):
        html = client.get(url, {"state": state}).content.decode()
        return {h for h in ["Goes out tonight", "Held by the agency", "Already out", "Pulled"] if h in html}

    assert listed("scheduled") == {"Goes out tonight"}
    assert listed("embargoed") == {"Held by the agency"}
    assert listed("live") == {"Already out"}
    assert listed("killed") == {"Pulled"}
    assert listed("ready") == {"Held by the agency"}


def test_the_dashboard_query_count_does_not_grow_with_the_stories(client, editor, reporter):
    client.force_login(editor)
    a_desk_day(reporter)
    expiring_photos(timezone.now())
    few = count_queries(client, reverse("admin:index"))
    a_desk_day(reporter, n=12)
    for _ in range(PANEL_ROWS + 2):
        expiring_photos(timezone.now())
    many = count_queries(client, reverse("admin:index"))
    assert many == few <= DASHBOARD_BUDGET


def test_the_photo_desks_dashboard_query_count_does_not_grow_with_the_photos(client):
    client.force_login(desk_user("Photo editor", username="photo-desk"))
    expiring_photos(timezone.now())
    few = count_queries(client, reverse("admin:index"))
    for _ in range(PANEL_ROWS + 2):
        expiring_photos(timezone.now())
    many = count_queries(client, reverse("admin:index"))
    assert many == few <= DASHBOARD_BUDGET


def test_a_reporters_dashboard_query_count_is_within_the_budget(client, reporter):
    client.force_login(reporter)
    a_desk_day(reporter, n=3)
    assert count_queries(client, reverse("admin:index")) <= DASHBOARD_BUDGET


def test_a_staff_user_without_story_permissions_gets_an_empty_desk_not_an_error(client):
    client.force_login(UserFactory(username="newsletter-only", is_staff=True))
    ArticleFactory(headline="Not for you", status=Status.READY, published_at=None)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200 and "Not for you" not in response.content.decode()
