"""Wire ingest on hostile or broken input: sanitized bodies, refused XML tricks, failures that stay alone."""
import pytest

from articles.models import Article, Caption, Photo
from wire.ingest import IngestError, parse_bytes

from .ingest_helpers import EXPORTS, copy_with_photos, ingest, ninjs, write_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:test:lol" version="1">
 <contentMeta><headline>&lol4;</headline></contentMeta>
</newsItem>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE item [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:test:xxe" version="1">
 <contentMeta><headline>&secret;</headline></contentMeta>
</newsItem>"""

HOSTILE_BODY = (
    '<p onclick="steal()">Council meets.</p><script>alert(1)</script>'
    '<img src=x onerror="steal()"><a href="javascript:steal()">link</a><iframe src="//evil"></iframe>'
)


def test_scripts_and_event_handlers_in_ninjs_bodies_are_stripped(tmp_path):
    item = ninjs(bodies=[{"role": "main", "contenttype": "text/html", "value": HOSTILE_BODY}])

    [result] = ingest(write_json(tmp_path, "hostile.json", item))

    body = Article.objects.get(pk=result.article_id).body
    assert "Council meets." in body
    for bad in ("<script", "onclick", "onerror", "javascript:", "<iframe", "alert(1)"):
        assert bad not in body


def test_scripts_and_event_handlers_in_newsml_bodies_are_stripped(tmp_path):
    xml = EXPORTS.read_text().replace(
        "<p>The trade balance", '<p onmouseover="x()">Hi<script>alert(1)</script></p><p>The trade balance'
    )
    path = tmp_path / "hostile.xml"
    path.write_text(xml)

    [result] = ingest(path)

    body = Article.objects.get(pk=result.article_id).body
    assert "onmouseover" not in body and "<script" not in body and "alert(1)" not in body
    assert "The trade balance stayed in surplus" in body


def test_xml_entity_expansion_is_refused():
    with pytest.raises(IngestError, match="Refused XML that declares entities"):
        parse_bytes(BILLION_LAUGHS)


def test_xml_external_entities_are_refused(tmp_path):
    path = tmp_path / "xxe.xml"
    path.write_bytes(EXTERNAL_ENTITY)

    [result] = ingest(path)

    assert result.status == "failed"
    assert "Refused XML" in result.error
    assert not Article.objects.exists()


def test_oversized_item_is_refused_before_parsing(tmp_path, settings):
    settings.NEWSROOM_INGEST_MAX_ITEM_BYTES = 1000
    path = write_json(tmp_path, "big.json", ninjs(ednote="x" * 2000))

    [result] = ingest(path)

    assert result.status == "failed"
    assert "larger than" in result.error


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"uri": "urn:test:x", "headlines": [', "Not valid JSON"),
        (b"<newsItem guid='urn:test:x'><contentMeta>", "Not well-formed XML"),
        (b'{"uri": "urn:test:x", "version": "1"}', "no headline"),
        (b'{"version": "1", "headline": "No identity"}', "no uri"),
        (b"hello", "Not a wire item"),
        (b"", "empty"),
        (b"<html><body>Not news</body></html>", "Not a NewsML-G2 item"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"uri": "u", "headline": "h", "versioncreated": "yesterday"}', "not a valid date"),
    ],
)
def test_malformed_item_fails_with_a_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)

    [result] = ingest(path)

    assert result.status == "failed"
    assert message in result.error


def test_deeply_nested_xml_body_fails_alone(tmp_path):
    nested = "<b>" * 50_000 + "x" + "</b>" * 50_000
    path = tmp_path / "deep.xml"
    path.write_text(EXPORTS.read_text().replace("<p>The trade balance", nested + "<p>The trade balance"))

    [result] = ingest(path)

    assert result.status == "failed"
    assert "nested too deeply" in result.error


def test_malformed_items_fail_alone_while_the_rest_of_the_batch_continues(tmp_path):
    write_json(tmp_path, "1-good.json", ninjs(guid="urn:test:1"))
    (tmp_path / "2-broken.json").write_bytes(b"{not json")
    write_json(tmp_path, "3-no-headline.json", ninjs(guid="urn:test:3", headlines=[]))
    write_json(tmp_path, "4-good.json", ninjs(guid="urn:test:4"))

    results = ingest(tmp_path)

    assert [r.status for r in results] == ["imported", "failed", "failed", "imported"]
    assert set(Article.objects.values_list("wire_guid", flat=True)) == {"urn:test:1", "urn:test:4"}


def test_unreadable_picture_fails_the_item_and_leaves_nothing_behind(tmp_path):
    folder = copy_with_photos(tmp_path)
    item = ninjs(associations=[
        {"name": "a", "type": "picture", "renditions": [{"name": "original", "href": "../photos/reuters_gps.jpg"}]},
        {"name": "b", "type": "picture", "renditions": [{"name": "original", "href": "missing.jpg"}]},
    ])

    [result] = ingest(write_json(folder, "item.json", item))

    assert result.status == "failed"
    assert "missing.jpg" in result.error
    assert not Article.objects.exists()
    assert not Photo.objects.exists()
    assert not Caption.objects.exists()
    # The first picture was stored before the second failed; its files went with the rollback.
    assert [p for p in (tmp_path / "private").rglob("*") if p.is_file()] == []
    assert [p for p in (tmp_path / "media").rglob("*") if p.is_file()] == []


def test_picture_that_is_not_an_image_fails_the_item(tmp_path):
    (tmp_path / "fake.jpg").write_text("<html>not a photo</html>")
    item = ninjs(associations=[{"name": "a", "type": "picture", "renditions": [{"name": "o", "href": "fake.jpg"}]}])

    [result] = ingest(write_json(tmp_path, "item.json", item))

    assert result.status == "failed"
    assert "fake.jpg" in result.error
    assert not Article.objects.exists()


def test_remote_picture_addresses_are_not_fetched(tmp_path):
    item = ninjs(associations=[
        {"name": "a", "type": "picture", "renditions": [{"name": "o", "href": "https://example.com/p.jpg"}]}
    ])

    [result] = ingest(write_json(tmp_path, "item.json", item))

    assert result.status == "failed"
    assert "does not download" in result.error
