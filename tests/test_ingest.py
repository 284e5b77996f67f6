"""Wire ingest: field mapping for ninjs and NewsML-G2, versions, idempotence and publishing."""
import shutil
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, ArticleNote, Caption, Photo, Source
from wire.ingest import IngestOptions, ingest_paths
from wire.models import WireVersion

from .factories import ArticleFactory, SectionFactory
from .ingest_helpers import (
    EXPORTS,
    EXPORTS_GUID,
    PHOTOS,
    PICTURE_ITEM,
    SUMMIT_GUID,
    SUMMIT_V1,
    SUMMIT_V2,
    ingest,
    ninjs,
    write_json,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]


def test_ninjs_item_becomes_a_ready_story_with_its_fields():
    [result] = ingest(SUMMIT_V1)

    assert result.status == "imported", result.error
    article = Article.objects.get(pk=result.article_id)
    assert article.status == Article.Status.READY
    assert article.headline == "Putin, Kim hold summit in Pyonyang"
    assert "held talks in Pyongyang" in article.body
    assert article.body.startswith("<p>")
    assert article.dateline == "PYONGYANG"
    assert article.ordered_authors[0].name == "Kim Soo-yeon"
    assert article.source.name == "Yonhap"
    assert article.source.kind == Source.Kind.AGENCY
    assert sorted(article.tags.names()) == ["diplomacy", "politics"]
    assert (article.wire_guid, article.wire_version) == (SUMMIT_GUID, "1")
    log = WireVersion.objects.get(article=article)
    assert log.version_created == datetime(2024, 6, 20, 2, 5, tzinfo=UTC)
    assert log.copyright_holder == "Yonhap News Agency"
    assert "Yonhap News Agency 2024" in log.copyright_notice


def test_agency_dateline_lede_is_left_to_the_page(client):
    [result] = ingest(SUMMIT_V1, publish=True)

    article = Article.objects.get(pk=result.article_id)
    assert article.body.startswith("<p>Russian President Vladimir Putin")
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count("(Yonhap)") == 1  # the source line after the body, built from the Source
    assert html.count("PYONGYANG — </p>") == 1 and "PYONGYANG/SEOUL" not in html


def test_body_without_a_dateline_lede_is_kept_whole():
    from articles.datelines import strip_lede

    body = "<p>SEOUL is bracing for a storm, officials said (on Monday) -- again.</p>"
    assert strip_lede(body, "SEOUL") == body
    assert strip_lede("<p>SEOUL, July 3 (AP) -- Rain fell.</p>") == "<p>Rain fell.</p>"


def test_ninjs_picture_becomes_the_lead_photo_with_caption_and_credit():
    [result] = ingest(SUMMIT_V1)

    caption = Caption.objects.select_related("photo").get(article_id=result.article_id)
    assert caption.role == Caption.Role.LEAD
    assert caption.caption.startswith("A general view shows portraits")
    assert caption.credit == "AFP-Yonhap"
    assert caption.photo.sha256 == "17909db5216aa9bb8aac183eee59abbae22e0b4fa88c1d108d2db8e3dd83694d"
    assert result.photo_ids == [caption.photo_id]


def test_newsml_text_item_becomes_a_story_with_its_fields():
    [result] = ingest(EXPORTS)

    assert result.status == "imported", result.error
    article = Article.objects.get(pk=result.article_id)
    assert article.headline == "South Korea's exports rise for ninth straight month"
    assert article.body.count("<p>") == 3
    assert "strong demand for semiconductors" in article.body
    assert article.dateline == "SEOUL"
    assert [a.name for a in article.ordered_authors] == ["Jane Roe"]
    assert article.source.name == "Example Wire"
    assert sorted(article.tags.names()) == ["economy, business and finance", "exports", "semiconductors"]
    assert article.wire_guid == EXPORTS_GUID
    log = article.wire_versions.get()
    assert log.copyright_notice == "Copyright 2024 Example Wire Ltd. All rights reserved."
    assert log.version_created == datetime(2024, 7, 3, 0, 12, tzinfo=UTC)


def test_newsml_picture_item_on_its_own_goes_to_the_photo_library():
    [result] = ingest(PICTURE_ITEM)

    assert result.status == "imported", result.error
    assert result.article_id is None
    photo = Photo.objects.get(pk=result.photo_ids[0])
    assert photo.caption.startswith("20일 오전 평양")
    assert photo.credit == "연합뉴스"
    assert not Article.objects.exists()


def test_update_item_replaces_the_headline_of_the_same_story():
    [first] = ingest(SUMMIT_V1)
    [second] = ingest(SUMMIT_V2)

    assert second.status == "updated"
    assert second.article_id == first.article_id
    article = Article.objects.get()
    assert article.headline == "Putin, Kim hold summit in Pyongyang"
    assert article.wire_version == "2"
    assert article.captions.count() == 1
    assert article.wire_versions.count() == 2
    assert Version.objects.get_for_object(article).first().revision.comment.startswith("Updated from the wire")


def test_repeat_ingest_changes_nothing():
    ingest(SUMMIT_V1, EXPORTS)
    before = list(Article.objects.order_by("pk").values())

    results = ingest(SUMMIT_V1, EXPORTS)

    assert [r.status for r in results] == ["unchanged", "unchanged"]
    assert list(Article.objects.order_by("pk").values()) == before
    assert WireVersion.objects.count() == 2
    assert Photo.objects.count() == 1


def test_older_version_is_ignored_and_reported():
    ingest(SUMMIT_V2)

    [result] = ingest(SUMMIT_V1)

    assert result.status == "ignored"
    assert "older" in result.message
    assert Article.objects.get().headline == "Putin, Kim hold summit in Pyongyang"


def test_update_of_a_published_story_waits_and_adds_its_note_only_when_applied(tmp_path, editor):
    from wire import pending
    from wire.models import PendingUpdate

    ingest(write_json(tmp_path, "v1.json", ninjs(version="1")), publish=True)
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED

    [result] = ingest(write_json(tmp_path, "v2.json", ninjs(version="2", headline="Ferry timetable changes again")))

    article.refresh_from_db()
    assert result.status == "updated"
    assert article.headline == "Harbour ferry timetable changes"  # readers keep the live version
    assert not ArticleNote.objects.exists()
    pending.apply(PendingUpdate.objects.get(), {"headline": "agency"}, by=editor)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.headline == "Ferry timetable changes again"
    assert article.updated_at > article.published_at
    note = ArticleNote.objects.get(article=article)
    assert note.kind == ArticleNote.Kind.UPDATE


def test_update_replaces_byline_and_tags(tmp_path):
    ingest(write_json(tmp_path, "v1.json", ninjs(version="1")))
    ingest(write_json(tmp_path, "v2.json", ninjs(version="2", by="By Oh Se-ri and Park Dae-ho",
                                                 subjects=[{"name": "weather"}])))

    article = Article.objects.get()
    assert [a.name for a in article.ordered_authors] == ["Oh Se-ri", "Park Dae-ho"]
    assert list(article.tags.names()) == ["weather"]


def test_publish_option_publishes_at_once():
    [result] = ingest(EXPORTS, publish=True)

    article = Article.objects.get(pk=result.article_id)
    assert article.is_published()
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_publish_option_respects_the_embargo(tmp_path):
    embargo = timezone.now() + timedelta(hours=3)
    item = ninjs(embargoed=embargo.isoformat())

    [result] = ingest(write_json(tmp_path, "embargoed.json", item), publish=True)

    article = Article.objects.get(pk=result.article_id)
    assert result.status == "imported"
    assert article.embargo_until == embargo
    assert article.published_at >= article.embargo_until
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert Article.objects.published(now=embargo + timedelta(minutes=1)).filter(pk=article.pk).exists()
    assert "Embargoed" in result.message


def test_embargo_without_publish_leaves_a_ready_draft(tmp_path):
    item = ninjs(embargoed="2030-01-01T00:00:00Z")

    [result] = ingest(write_json(tmp_path, "embargoed.json", item))

    article = Article.objects.get(pk=result.article_id)
    assert article.status == Article.Status.READY
    assert article.embargo_until == datetime(2030, 1, 1, tzinfo=UTC)
    assert not Article.objects.published().exists()


def test_unpublished_stories_never_leak_after_ingest(tmp_path):
    ingest(write_json(tmp_path, "a.json", ninjs()))
    assert not Article.objects.published().exists()


def test_ninjs_1x_names_are_understood(tmp_path):
    item = {
        "uri": "urn:test:legacy",
        "version": "3",
        "type": "text",
        "headline": "Old-format item still imports",
        "description_text": "A short summary.",
        "body_text": "First paragraph.\n\nSecond paragraph.",
        "byline": "Min Ha-eun",
        "located": "Incheon",
        "subject": [{"code": "medtop:20000", "name": "society"}],
        "embargoed": "2024-01-02T03:04:05Z",
    }

    [result] = ingest(write_json(tmp_path, "legacy.json", item))

    article = Article.objects.get(pk=result.article_id)
    assert article.headline == "Old-format item still imports"
    assert article.dek == "A short summary."
    assert article.body == "<p>First paragraph.</p><p>Second paragraph.</p>"
    assert article.ordered_authors[0].name == "Min Ha-eun"
    assert list(article.tags.names()) == ["society"]
    assert article.embargo_until == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_authors_and_sources_are_reused_across_items(tmp_path):
    ingest(
        write_json(tmp_path, "a.json", ninjs(guid="urn:test:a")),
        write_json(tmp_path, "b.json", ninjs(guid="urn:test:b")),
    )

    assert Article.objects.count() == 2
    assert Source.objects.filter(name="Test Wire").count() == 1
    assert {a.ordered_authors[0].pk for a in Article.objects.all()} == {
        Article.objects.first().ordered_authors[0].pk
    }


def test_withdrawn_item_unpublishes_a_published_story_when_the_site_says_so(tmp_path, settings):
    settings.NEWSROOM_WIRE_WITHDRAWAL = "unpublish"  # the default waits for an editor (test_wire_pending)
    ingest(write_json(tmp_path, "v1.json", ninjs(version="1")), publish=True)

    [result] = ingest(write_json(tmp_path, "v2.json", ninjs(version="2", pubstatus="canceled")))

    assert result.status == "updated"
    assert Article.objects.get().status == Article.Status.KILLED
    assert not Article.objects.published().exists()


def test_import_keeps_the_item_as_received_in_the_log_without_a_revision():
    [result] = ingest(SUMMIT_V1)

    assert WireVersion.objects.get().payload == SUMMIT_V1.read_text(encoding="utf-8")
    assert not Version.objects.get_for_object_reference(Article, result.article_id).exists()


def test_import_revision_holds_the_byline_and_captions_when_enabled(settings):
    settings.NEWSROOM_INGEST_IMPORT_REVISION = True

    [result] = ingest(SUMMIT_V1)

    revision = Version.objects.get_for_object_reference(Article, result.article_id).first().revision
    models = {v.content_type.model for v in revision.version_set.all()}
    assert {"article", "articleauthor", "caption"} <= models
    assert revision.comment.startswith("Imported from the wire")


def test_update_with_publish_does_not_bring_back_a_killed_story(tmp_path):
    ingest(write_json(tmp_path, "v1.json", ninjs(version="1")), publish=True)
    Article.objects.update(status=Article.Status.KILLED)

    [result] = ingest(write_json(tmp_path, "v2.json", ninjs(version="2", headline="Ferry news")), publish=True)

    assert result.status == "updated"
    article = Article.objects.get()
    assert (article.headline, article.status) == ("Ferry news", Article.Status.KILLED)


def test_relaxed_commit_is_opt_in_and_local_to_each_item_transaction(tmp_path, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.NEWSROOM_INGEST_ASYNC_COMMIT = True
    with CaptureQueriesContext(connection) as ctx:
        ingest(write_json(tmp_path, "a.json", ninjs()))
    settings.NEWSROOM_INGEST_ASYNC_COMMIT = False  # the default waits for the flush
    with CaptureQueriesContext(connection) as synced:
        ingest(write_json(tmp_path, "b.json", ninjs(guid="urn:test:b")))

    # LOCAL: PostgreSQL drops the setting when the item's transaction ends, so no connection keeps it.
    assert [q["sql"] for q in ctx.captured_queries if "synchronous_commit" in q["sql"]] == [
        "SET LOCAL synchronous_commit TO OFF"
    ]
    assert not [q for q in synced.captured_queries if "synchronous_commit" in q["sql"]]


def test_ingested_drafts_and_embargoed_stories_are_not_on_the_public_site(client, tmp_path):
    ingest(write_json(tmp_path, "draft.json", ninjs(guid="urn:test:draft", headline="Draft story")))
    ingest(write_json(tmp_path, "held.json", ninjs(guid="urn:test:held", headline="Held story",
                                                   embargoed="2099-01-01T00:00:00Z")), publish=True)
    ingest(write_json(tmp_path, "live.json", ninjs(guid="urn:test:live", headline="Live story")), publish=True)

    for article in Article.objects.exclude(wire_guid="urn:test:live"):
        assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(Article.objects.get(wire_guid="urn:test:live").get_absolute_url()).status_code == 200
    home = client.get("/").content.decode()
    assert "Live story" in home and "Draft story" not in home and "Held story" not in home


def test_picture_without_rendition_is_found_beside_the_item(tmp_path):
    shutil.copy(PHOTOS / "reuters_gps.jpg", tmp_path / "PIC20260302.jpg")
    item = ninjs(associations=[{"name": "featureimage", "type": "picture", "uri": "urn:test:pic:PIC20260302",
                                "descriptions": [{"role": "caption", "value": "City hall in spring."}]}])

    [result] = ingest(write_json(tmp_path, "item.json", item))

    caption = Article.objects.get(pk=result.article_id).captions.get()
    assert caption.caption == "City hall in spring."


def test_picture_not_delivered_leaves_the_story_without_it(tmp_path):
    item = ninjs(associations=[{"name": "featureimage", "type": "picture", "uri": "urn:test:pic:NOTSENT"}])

    [result] = ingest(write_json(tmp_path, "item.json", item))

    assert result.status == "imported"
    assert not Caption.objects.exists()


def test_same_headline_twice_gets_two_slugs(tmp_path):
    ArticleFactory(headline="Ferry news", slug="ferry-news")
    write_json(tmp_path, "a.json", ninjs(guid="urn:test:a", headline="Ferry news"))
    write_json(tmp_path, "b.json", ninjs(guid="urn:test:b", headline="Ferry news"))

    ingest(tmp_path)

    assert sorted(Article.objects.filter(wire_guid__startswith="urn:test").values_list("slug", flat=True)) == [
        "ferry-news-2", "ferry-news-3"
    ]


def test_slug_taken_during_the_batch_is_retried_with_a_free_one(tmp_path):
    write_json(tmp_path, "a.json", ninjs(guid="urn:test:a", headline="First item"))
    write_json(tmp_path, "b.json", ninjs(guid="urn:test:b", headline="Second item"))

    def someone_else_files_a_story(result):
        if result.guid == "urn:test:a":
            ArticleFactory(headline="Second item", slug="second-item")

    results = ingest_paths([str(tmp_path)], options=IngestOptions(), progress=someone_else_files_a_story)

    assert [r.status for r in results] == ["imported", "imported"]
    assert Article.objects.get(wire_guid="urn:test:b").slug == "second-item-2"


def test_story_is_filed_in_the_section_its_subject_names(tmp_path):
    SectionFactory(name="Nation", slug="nation", position=1)
    economy = SectionFactory(name="Economy", slug="economy", position=2)

    [result] = ingest(write_json(tmp_path, "a.json", ninjs(subjects=[{"name": "economy"}])))

    assert Article.objects.get(pk=result.article_id).section == economy


def test_story_without_a_matching_subject_goes_to_the_configured_section(tmp_path, settings):
    SectionFactory(name="Nation", slug="nation", position=1)
    world = SectionFactory(name="World", slug="world", position=2)
    settings.NEWSROOM_INGEST_SECTION = "world"

    [result] = ingest(write_json(tmp_path, "a.json", ninjs()))

    assert Article.objects.get(pk=result.article_id).section == world


def test_first_ingest_into_an_empty_desk_makes_a_news_section(tmp_path):
    [result] = ingest(write_json(tmp_path, "a.json", ninjs()))

    assert Article.objects.get(pk=result.article_id).section.slug == "news"


def test_a_name_repeated_in_the_byline_is_one_author(tmp_path):
    [result] = ingest(write_json(tmp_path, "a.json", ninjs(by="By Kim Min-ji and KIM MIN-JI, Oh Se-ri")))

    assert result.status == "imported", result.error
    assert [a.name for a in Article.objects.get().ordered_authors] == ["Kim Min-ji", "Oh Se-ri"]
