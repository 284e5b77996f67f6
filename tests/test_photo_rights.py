"""Photo rights read from XMP and IPTC, kept on the Photo, and acted on when a story is published."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Caption, Photo
from articles.publishing import PublishError, publish_article
from articles.rights import no_use_after, usage_flags
from tests.factories import ArticleFactory, CaptionFactory, PhotoFactory, SourceFactory
from tests.rights_helpers import EXPECTED, PHOTOS, rights_photo
from tests.workflow_helpers import desk_user, form_data, open_change_form, save_change_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

USAGE_FIXTURES = [name for name, expected in EXPECTED.items() if "usage_terms" in expected]


@pytest.mark.parametrize("name", USAGE_FIXTURES)
def test_usage_terms_are_read_from_xmp_or_iim_special_instructions(name):
    photo = rights_photo(name)
    assert photo.usage_terms == EXPECTED[name]["usage_terms"]
    assert usage_flags(photo.usage_terms) == EXPECTED[name]["flags"]


def test_xmp_usage_terms_win_over_iim_special_instructions():
    assert rights_photo("terms_xmp_over_iim.jpg").usage_terms == "For editorial use. No archive."


def test_plus_licensor_copyright_owner_web_statement_and_licence_end_are_kept():
    photo = rights_photo("licence_expired_plus.jpg")
    assert photo.licensor_name == "Test Wire Licensing"
    assert photo.licensor_url == "https://wire.example/licensing"
    assert photo.copyright_owner == "Test Wire Ltd"
    assert photo.web_statement == "https://wire.example/licence/42"
    assert photo.expires_at.isoformat() == EXPECTED["licence_expired_plus.jpg"]["expires_at"]


def test_iim_expiration_and_release_dates_become_expiry_and_embargo():
    assert rights_photo("licence_future_iim_expiry.jpg").expires_at == datetime(2099, 12, 31, 18, tzinfo=UTC)
    assert rights_photo("embargo_iim_release.jpg").usable_from == datetime(2099, 1, 1, 0, tzinfo=UTC)


def test_do_not_use_after_in_the_usage_terms_sets_the_expiry():
    photo = rights_photo("terms_no_use_after.jpg")
    local = timezone.localtime(photo.expires_at)
    assert (local.date().isoformat(), local.hour, local.minute) == ("2025-06-30", 23, 59)
    assert no_use_after("NO USE AFTER 2026-07-01").date().isoformat() == "2026-07-01"
    assert no_use_after("Not to be used after July 4, 2026").date().isoformat() == "2026-07-04"
    assert no_use_after("Editorial use only") is None


def test_the_reference_agency_photo_carries_no_usage_terms_but_its_copyright_and_credit():
    """The shared AFP-Yonhap wire photo has no UsageTerms or Special Instructions: nothing is invented."""
    photo = rights_photo("afp_yonhap_pyongyang_portraits.jpg", folder=PHOTOS)
    assert (photo.usage_terms, photo.expires_at, photo.digital_source_type) == ("", None, "")
    assert (photo.credit, photo.copyright) == ("AFP-Yonhap", "(C) AFP 2024")


def test_agency_photo_usage_terms_reach_the_photo_desk_admin(client):
    photo = rights_photo("afp_yonhap_with_usage_terms.jpg")
    client.force_login(desk_user("Photo editor"))
    page = client.get(reverse("admin:articles_photo_change", args=[photo.pk])).content.decode()
    assert "Editorial use only. No sales. No archive." in page  # the editable field
    assert "Editorial use only</span>" in page and "No archive</span>" in page  # the badges
    assert photo.credit == "AFP-Yonhap"


def test_photo_editors_can_change_the_rights_fields(client):
    photo = rights_photo("terms_editorial_only_xmp.jpg")
    client.force_login(desk_user("Photo editor"))
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    data = form_data(client.get(url).content.decode(), form_id="photo_form")
    data.update(usage_terms="Free for any use.", expires_at_0="2099-01-02", expires_at_1="10:00:00")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    photo.refresh_from_db()
    assert photo.usage_terms == "Free for any use." and photo.expires_at.year == 2099


# --- publishing -------------------------------------------------------------------------------


def draft_with(photo, **story):
    article = ArticleFactory(draft=True, **story)
    CaptionFactory(article=article, photo=photo, role=Caption.Role.LEAD)
    return article


def refused(article):
    with pytest.raises(PublishError) as error:
        publish_article(article)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    return error.value.message


def test_expired_licence_refuses_publish_and_names_the_photo():
    photo = rights_photo("licence_expired_plus.jpg")
    message = refused(draft_with(photo))
    assert f"photo {photo.pk}" in message and "licence ended on 2020-02-01" in message


def test_do_not_use_after_passed_refuses_publish():
    assert "do not use after" in refused(draft_with(rights_photo("terms_no_use_after.jpg")))


def test_embargoed_photo_refuses_publish():
    assert "embargoed until 2099-01-01" in refused(draft_with(rights_photo("embargo_iim_release.jpg")))


def test_editorial_only_photo_on_a_sponsored_story_is_refused_but_fine_on_news():
    photo = rights_photo("terms_editorial_only_xmp.jpg")
    message = refused(draft_with(photo, is_sponsored=True))
    assert "editorial use only and this story is sponsored" in message
    publish_article(draft_with(photo))  # an ordinary story may carry it


def test_source_rules_refuse_blocked_sources_and_editorial_sources_on_sponsored_stories():
    blocked = SourceFactory(name="Blocked Wire", photo_policy="blocked")
    photo = PhotoFactory(source=blocked)
    assert "photos from Blocked Wire are not for publication" in refused(draft_with(photo))
    editorial = SourceFactory(name="News Only Wire", photo_policy="editorial")
    credited = PhotoFactory()
    credited.credit_sources.add(editorial)
    assert "for editorial use only" in refused(draft_with(credited, is_sponsored=True))
    publish_article(draft_with(credited))


def test_scheduling_past_a_photos_licence_end_is_refused():
    photo = PhotoFactory(expires_at=timezone.now() + timedelta(hours=2))
    article = draft_with(photo)
    with pytest.raises(PublishError, match="licence ended"):
        publish_article(article, at=timezone.now() + timedelta(hours=3))
    publish_article(article, at=timezone.now() + timedelta(hours=1))


def test_a_backdated_publish_time_does_not_let_an_expired_photo_through():
    photo = PhotoFactory(expires_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(PublishError, match="licence ended"):
        publish_article(draft_with(photo), at=timezone.now() - timedelta(days=2))


def test_a_photo_without_rights_fields_publishes_as_before():
    article = draft_with(PhotoFactory())
    publish_article(article)
    assert article.status == Article.Status.PUBLISHED


def test_admin_form_refusal_names_the_photo_and_keeps_the_story_a_draft(client, editor):
    photo = rights_photo("licence_expired_plus.jpg")
    article = draft_with(photo)
    client.force_login(editor)
    response = save_change_form(client, article, open_change_form(client, article), status="published")
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be published: its licence ended on 2020-02-01" in page
    assert f"photo {photo.pk}" in page
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_admin_form_refuses_an_editorial_photo_when_a_live_story_is_marked_sponsored(client, editor):
    article = ArticleFactory()
    CaptionFactory(article=article, photo=rights_photo("terms_editorial_only_xmp.jpg"))
    client.force_login(editor)
    response = save_change_form(client, article, open_change_form(client, article), is_sponsored="on")
    assert "editorial use only and this story is sponsored" in response.content.decode()
    article.refresh_from_db()
    assert not article.is_sponsored


def test_admin_form_publishes_once_the_expired_photo_is_removed(client, editor):
    article = draft_with(rights_photo("licence_expired_plus.jpg"))
    client.force_login(editor)
    data = open_change_form(client, article)
    data["captions-0-DELETE"] = "on"
    response = save_change_form(client, article, data, status="published")
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and not article.captions.exists()


def test_list_action_refusal_names_the_photo(client, editor):
    photo = rights_photo("embargo_iim_release.jpg")
    article = draft_with(photo)
    client.force_login(editor)
    response = client.post(
        "/admin/articles/article/", {"action": "publish_now", "_selected_action": [article.pk]}, follow=True
    )
    assert f"photo {photo.pk}" in response.content.decode() and "embargoed until" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


# --- the photo desk's list of expiring photos ---------------------------------------------------


def test_photo_list_filters_licences_expiring_soon_and_on_live_stories(client):
    now = timezone.now()
    soon = PhotoFactory(headline="Soon", expires_at=now + timedelta(days=2))
    PhotoFactory(headline="Later", expires_at=now + timedelta(days=60))
    PhotoFactory(headline="Gone", expires_at=now - timedelta(days=1))
    live = PhotoFactory(headline="Soon and live", expires_at=now + timedelta(days=1))
    CaptionFactory(photo=live)
    assert list(Photo.objects.expiring(timedelta(days=7))) == [live, soon]
    client.force_login(desk_user("Photo editor"))
    page = client.get(reverse("admin:articles_photo_changelist"), {"licence": "expiring"}).content.decode()
    assert "Soon and live" in page and "Later" not in page and "Gone" not in page
    live_only = client.get(reverse("admin:articles_photo_changelist"), {"licence": "expiring-live"})
    assert "Soon and live" in live_only.content.decode() and "Later" not in live_only.content.decode()


@time_machine.travel(datetime(2026, 3, 2, 12, tzinfo=UTC), tick=False)
def test_photo_usable_queryset_follows_the_clock():
    at = timezone.now()
    ends = PhotoFactory(expires_at=at + timedelta(minutes=5))
    starts = PhotoFactory(usable_from=at + timedelta(minutes=5))
    plain = PhotoFactory()
    assert set(Photo.objects.usable(at)) == {ends, plain}
    assert set(Photo.objects.usable(at + timedelta(minutes=5))) == {starts, plain}
