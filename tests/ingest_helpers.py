"""Shared bits for the ingest tests: fixture paths and small generated wire items."""
import json
import shutil
from pathlib import Path

from wire.ingest import IngestOptions, ingest_paths

FIXTURES = Path(__file__).parent / "fixtures"
WIRE = FIXTURES / "wire"
PHOTOS = FIXTURES / "photos"
SUMMIT_V1 = WIRE / "ninjs_yonhap_summit_v1.json"
SUMMIT_V2 = WIRE / "ninjs_yonhap_summit_v2_update.json"
EXPORTS = WIRE / "newsml_g2_text_exports.xml"
PICTURE_ITEM = WIRE / "newsml_g2_picture_yonhap_ko.xml"
SUMMIT_GUID = "urn:newsml:yna.co.kr:20240620:AKR20240620001400504"
EXPORTS_GUID = "urn:newsml:example-wire.com:20240703:SKOREA-EXPORTS"


def ninjs(guid="urn:test:harbour", version="1", headline="Harbour ferry timetable changes", **extra):
    """A small ninjs 2.x text item without pictures."""
    item = {
        "uri": guid,
        "version": version,
        "type": "text",
        "versioncreated": "2026-03-02T08:00:00Z",
        "headlines": [{"role": "main", "value": headline}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>The first boat now leaves at six.</p>"}],
        "by": "By Han Ji-woo",
        "located": "Busan",
        "copyrightholder": "Test Wire",
        "subjects": [{"name": "transport"}],
    }
    item.update(extra)
    return item


def ingest(*paths, root=None, **options):
    """Ingest files or folders in one batch with IngestOptions(**options).

    Items beside the fixture photos (../photos) are ingested with the folder holding both as the
    drop folder, since pictures outside it are refused.
    """
    if root is None:
        folders = {Path(p).resolve() if Path(p).is_dir() else Path(p).resolve().parent for p in paths}
        root = next((str(f.parent) for f in folders if (f.parent / "photos").is_dir()), None)
    return ingest_paths([str(p) for p in paths], options=IngestOptions(**options), root=root)


def write_json(folder, name, data):
    path = Path(folder) / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def copy_with_photos(tmp_path, *names):
    """Fixture items in tmp_path/wire with the photos beside them in tmp_path/photos."""
    shutil.copytree(PHOTOS, tmp_path / "photos", dirs_exist_ok=True)
    (tmp_path / "wire").mkdir(exist_ok=True)
    for name in names:
        shutil.copy(WIRE / name, tmp_path / "wire" / name)
    return tmp_path / "wire"
