from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from articles.models import PUBLISHED_SQL, Article, Caption
from tests.factories import ArticleFactory, CaptionFactory, PhotoFactory, SectionFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_published_includes_only_due_published_stories():
    live = ArticleFactory()
    ArticleFactory(draft=True)
    ArticleFactory(status=Article.Status.READY, published_at=None)
    ArticleFactory(scheduled=True)
    ArticleFactory(killed=True)
    assert list(Article.objects.published()) == [live]


def test_scheduled_story_becomes_published_at_its_time():
    at = timezone.now() + timedelta(hours=2)
    story = ArticleFactory(published_at=at)
    assert story not in Article.objects.published()
    assert story in Article.objects.published(now=at)
    assert story.is_published(now=at) and not story.is_published()


def test_embargoed_story_is_not_published_before_embargo_lifts():
    story = ArticleFactory(embargo_until=timezone.now() + timedelta(hours=1))
    assert story not in Article.objects.published()
    assert story in Article.objects.published(now=timezone.now() + timedelta(hours=2))


def test_the_raw_sql_copy_of_published_admits_the_same_stories():
    now = timezone.now()
    ArticleFactory(draft=True)
    ArticleFactory(status=Article.Status.READY, published_at=None)
    ArticleFactory(scheduled=True)
    ArticleFactory(killed=True)
    ArticleFactory(embargo_until=now + timedelta(hours=1))
    live = {ArticleFactory().pk, ArticleFactory(embargo_until=now - timedelta(minutes=1)).pk}
    for moment in (now, now + timedelta(days=2)):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT a.id FROM articles_article a WHERE {PUBLISHED_SQL}", {"now": moment})
            raw = {row[0] for row in cursor.fetchall()}
        assert raw == set(Article.objects.published(moment).values_list("pk", flat=True))
    assert raw > live


def test_clean_refuses_publishing_before_embargo():
    story = ArticleFactory.build(
        section=SectionFactory(), published_at=timezone.now(), embargo_until=timezone.now() + timedelta(hours=1)
    )
    with pytest.raises(ValidationError, match="embargo"):
        story.clean()


def test_published_story_needs_a_publish_time():
    with pytest.raises(IntegrityError):
        ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)


def test_slug_is_made_unique_from_headline():
    first = ArticleFactory(headline="Rates on hold", slug="")
    second = ArticleFactory(headline="Rates on hold", slug="")
    assert first.slug == "rates-on-hold"
    assert second.slug == "rates-on-hold-2"


def test_first_publication_time_is_kept():
    story = ArticleFactory()
    first = story.first_published_at
    story.published_at = timezone.now()
    story.save()
    story.refresh_from_db()
    assert story.first_published_at == first


def test_source_attribution_line():
    assert SourceFactory(name="Yonhap").attribution_line == "(Yonhap)"
    assert SourceFactory(name="Staff", slug="staff", attribution="").attribution_line == ""


def test_url_uses_publication_date_in_site_time_zone(settings):
    settings.TIME_ZONE = "Asia/Seoul"
    # 20:00 UTC on July 8 is already July 9 in Seoul.
    story = ArticleFactory(slug="summit", published_at=datetime(2024, 7, 8, 20, 0, tzinfo=UTC))
    assert story.get_absolute_url() == "/2024/07/09/summit/"


def test_caption_starts_from_photo_caption_and_credit():
    photo = PhotoFactory(caption="Portraits outside the stadium.", credit="AFP-Yonhap")
    caption = CaptionFactory(photo=photo, caption="", credit="")
    assert caption.caption == "Portraits outside the stadium."
    assert caption.credit == "AFP-Yonhap"


def test_only_one_lead_photo_per_story():
    caption = CaptionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CaptionFactory(article=caption.article, role=Caption.Role.LEAD)


def test_wire_guid_is_unique_per_source():
    source = SourceFactory()
    ArticleFactory(source=source, wire_guid="urn:yna:1")
    ArticleFactory(source=source)  # empty guids never clash
    ArticleFactory(source=source)
    with pytest.raises(IntegrityError):
        ArticleFactory(source=source, wire_guid="urn:yna:1")
