"""Ingest hardening from issue #11: picture paths confined to the drop folder, one bad object in a
multi-item file reported alone, and slugs for repeated headlines at a constant query cost."""

import json
import shutil

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Photo
from articles.slugs import unique_slug
from tests.factories import ArticleFactory
from wire.ingest import IngestOptions, ingest_paths

from .ingest_helpers import EXPORTS, PHOTOS, ninjs, write_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

NAR = "http://iptc.org/std/nar/2006-10-01/"


def with_picture(href, guid="urn:test:pic"):
    return ninjs(guid=guid, associations={"featureimage": {
        "type": "picture", "uri": f"{guid}:photo",
        "renditions": {"original": {"href": href, "contenttype": "image/jpeg"}},
    }})


def drop_folder(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(PHOTOS / "reuters_gps.jpg", outside / "secret.jpg")
    return folder, outside


@pytest.mark.parametrize("href", ["../elsewhere/secret.jpg", "sub/../../elsewhere/secret.jpg", "ABSOLUTE"])
def test_pictures_outside_the_drop_folder_are_refused_and_never_imported(tmp_path, href):
    folder, outside = drop_folder(tmp_path)
    href = str(outside / "secret.jpg") if href == "ABSOLUTE" else href
    write_json(folder, "item.json", with_picture(href))

    [result] = ingest_paths([str(folder)], options=IngestOptions())

    assert result.status == "failed"
    assert "outside the drop folder" in result.error
    assert not Photo.objects.exists() and not Article.objects.exists()


def test_a_symbolic_link_out_of_the_drop_folder_is_refused(tmp_path):
    folder, outside = drop_folder(tmp_path)
    (folder / "link.jpg").symlink_to(outside / "secret.jpg")
    write_json(folder, "item.json", with_picture("link.jpg"))

    [result] = ingest_paths([str(folder)], options=IngestOptions())

    assert result.status == "failed" and "outside the drop folder" in result.error
    assert not Photo.objects.exists()


def test_the_refusal_does_not_tell_whether_a_file_exists_out_there(tmp_path):
    folder, _outside = drop_folder(tmp_path)
    write_json(folder, "a.json", with_picture("../elsewhere/secret.jpg", guid="urn:test:a"))
    write_json(folder, "b.json", with_picture("../elsewhere/nothing-here.jpg", guid="urn:test:b"))

    first, second = ingest_paths([str(folder)], options=IngestOptions())

    strip = lambda error: error.replace("secret", "X").replace("nothing-here", "X")  # noqa: E731
    assert strip(first.error) == strip(second.error)


def test_pictures_inside_the_drop_folder_still_import(tmp_path):
    folder, _outside = drop_folder(tmp_path)
    (folder / "pictures").mkdir()
    shutil.copy(PHOTOS / "reuters_gps.jpg", folder / "pictures" / "harbour.jpg")
    (folder / "items").mkdir()
    write_json(folder / "items", "item.json", with_picture("../pictures/harbour.jpg"))

    [result] = ingest_paths([str(folder)], options=IngestOptions())

    assert result.status == "imported", result.error
    assert Photo.objects.count() == 1


def test_one_bad_object_in_a_ninjs_list_is_reported_and_the_others_are_ingested(tmp_path):
    good_one, good_two = ninjs(guid="urn:test:one", headline="One"), ninjs(guid="urn:test:two", headline="Two")
    bad = ninjs(guid="", headline="No identifier")
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([good_one, bad, good_two, "not an object"]))

    results = ingest_paths([str(path)], options=IngestOptions())

    assert sorted(Article.objects.values_list("headline", flat=True)) == ["One", "Two"]
    failed = [r.error for r in results if r.status == "failed"]
    assert len(failed) == 2
    assert failed[0].startswith("Item 2 of 4:") and "no uri" in failed[0]
    assert failed[1].startswith("Item 4 of 4:")


def test_one_bad_item_in_a_news_message_is_reported_and_the_others_are_ingested(tmp_path):
    text = EXPORTS.read_text().split("?>", 1)[1]
    no_guid = f'<newsItem xmlns="{NAR}" version="1"><contentMeta><headline>Lost</headline></contentMeta></newsItem>'
    path = tmp_path / "message.xml"
    path.write_text(f'<?xml version="1.0"?><newsMessage xmlns="{NAR}"><header/><itemSet>{no_guid}{text}</itemSet>'
                    "</newsMessage>")

    results = ingest_paths([str(path)], options=IngestOptions())

    assert [r.status for r in results] == ["failed", "imported"]
    assert "no guid" in results[0].error
    assert Article.objects.count() == 1


def test_unique_slug_costs_one_query_however_many_duplicates_exist():
    for n in range(12):
        ArticleFactory(headline="Typhoon warning", slug="typhoon-warning" if n == 0 else f"typhoon-warning-{n + 1}")
    with CaptureQueriesContext(connection) as ctx:
        slug = unique_slug(Article, "Typhoon warning")
    assert slug == "typhoon-warning-13"
    assert len(ctx.captured_queries) == 1


def test_repeated_wire_headlines_do_not_cost_a_query_per_earlier_duplicate(tmp_path):
    def queries_for_nth(n):
        path = write_json(tmp_path, f"storm-{n}.json", ninjs(guid=f"urn:test:storm-{n}", headline="Storm update"))
        with CaptureQueriesContext(connection) as ctx:
            [result] = ingest_paths([str(path)], options=IngestOptions())
        assert result.status == "imported"
        return len(ctx.captured_queries)

    counts = [queries_for_nth(n) for n in range(1, 13)]
    assert counts[2] == counts[11]  # the 3rd and the 12th story with this headline cost the same
    assert Article.objects.filter(slug="storm-update-12").exists()
