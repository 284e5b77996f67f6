"""NewsML-G2 pictures that travel separately: packageItems, links by guid and newsMessages."""
import shutil

import pytest

from articles.models import Article, Caption, Photo

from .ingest_helpers import (
    EXPORTS,
    EXPORTS_GUID,
    PICTURE_ITEM,
    copy_with_photos,
    ingest,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

PICTURE_GUID = "urn:newsml:yna.co.kr:20240620:PYH2024062000990001300"
NAR = "http://iptc.org/std/nar/2006-10-01/"

PACKAGE = f"""<?xml version="1.0" encoding="UTF-8"?>
<packageItem xmlns="{NAR}" guid="urn:test:package:exports" version="1" standard="NewsML-G2">
  <itemMeta><itemClass qcode="ninat:composite"/><provider><name>Example Wire</name></provider></itemMeta>
  <groupSet root="G1">
    <group id="G1" role="group:main">
      <itemRef residref="{EXPORTS_GUID}"/>
      <itemRef residref="{PICTURE_GUID}"/>
    </group>
  </groupSet>
</packageItem>"""


@pytest.fixture
def folder(tmp_path):
    return copy_with_photos(tmp_path)


def test_package_puts_the_picture_item_on_the_text_story(folder):
    shutil.copy(EXPORTS, folder)
    shutil.copy(PICTURE_ITEM, folder)
    (folder / "package.xml").write_text(PACKAGE)

    results = ingest(folder)

    assert [(r.guid, r.status) for r in results] == [(EXPORTS_GUID, "imported")]
    caption = Caption.objects.select_related("article", "photo").get()
    assert caption.article.wire_guid == EXPORTS_GUID
    assert caption.role == Caption.Role.LEAD
    assert caption.caption.startswith("20일 오전 평양")
    assert caption.credit == "연합뉴스"


def test_text_item_links_its_picture_by_guid(folder):
    xml = EXPORTS.read_text().replace(
        "</itemMeta>", f'<link rel="irel:seeAlso" residref="{PICTURE_GUID}"/></itemMeta>', 1
    )
    (folder / "text.xml").write_text(xml)
    shutil.copy(PICTURE_ITEM, folder)

    [result] = ingest(folder)

    assert result.status == "imported"
    assert Article.objects.get().captions.get().photo.credit == "연합뉴스"


def test_news_message_with_one_story_and_its_picture(folder):
    text = EXPORTS.read_text().split("?>", 1)[1]
    picture = PICTURE_ITEM.read_text().split("?>", 1)[1]
    (folder / "message.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><newsMessage xmlns="{NAR}"><header/>'
        f"<itemSet>{text}{picture}</itemSet></newsMessage>"
    )

    [result] = ingest(folder)

    assert result.status == "imported"
    assert Article.objects.get().captions.count() == 1


def test_package_without_its_text_item_fails_with_a_reason(folder):
    (folder / "package.xml").write_text(PACKAGE)

    [result] = ingest(folder)

    assert result.status == "failed"
    assert "refers to no text item" in result.error
    assert not Photo.objects.exists()
