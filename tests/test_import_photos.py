"""manage.py import_photos: one JSON line per file, non-zero exit when anything is rejected."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Photo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

FIXTURES = Path(__file__).parent / "fixtures"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text())
KEYS = [
    "file", "status", "error", "id", "caption", "credit", "byline", "copyright", "source",
    "headline", "date_created", "city", "country", "keywords", "width", "height",
]  # fmt: skip


def run(capsys, *files):
    try:
        call_command("import_photos", *[str(f) for f in files])
        failed = False
    except CommandError as error:
        assert error.returncode == 1  # what the shell sees
        failed = True
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return lines, failed


def test_prints_the_metadata_of_each_imported_photo(capsys):
    entry = next(p for p in MANIFEST["photos"] if p["file"].endswith("afp_yonhap_pyongyang_portraits.jpg"))
    lines, failed = run(capsys, FIXTURES / entry["file"])
    assert not failed
    (line,) = lines
    assert list(line) == KEYS
    expect = entry["expect"]
    assert line["status"] == "imported" and line["error"] is None
    assert line["id"] == Photo.objects.get().pk
    for key in ["caption", "credit", "byline", "copyright", "source", "headline", "date_created",
                "city", "country", "keywords"]:  # fmt: skip
        assert line[key] == expect[key], key
    assert [line["width"], line["height"]] == entry["display_size"]


def test_korean_text_is_printed_as_text(capsys):
    lines, _ = run(capsys, FIXTURES / "photos" / "yonhap_korean_utf8.jpg")
    assert lines[0]["credit"] == "연합뉴스"


def test_duplicates_and_rejects_are_reported_and_the_exit_status_fails(capsys):
    good = FIXTURES / "photos" / "reuters_gps.jpg"
    lines, failed = run(capsys, good, good, FIXTURES / "bad" / "empty.jpg", FIXTURES / "missing.jpg")
    assert failed
    assert [line["status"] for line in lines] == ["imported", "duplicate", "rejected", "rejected"]
    assert lines[1]["id"] == lines[0]["id"]
    assert lines[2]["error"] == "The file is empty." and lines[2]["id"] is None
    assert "cannot be read" in lines[3]["error"]
    assert all(list(line) == KEYS for line in lines)
    assert Photo.objects.count() == 1


def test_make_renditions_fills_in_what_is_missing_and_nothing_more(capsys):
    from articles.models import Rendition
    from tests.factories import PhotoFactory

    photo = PhotoFactory()
    call_command("make_renditions")
    made = Rendition.objects.filter(photo=photo).count()
    assert made > 10 and f"{made} renditions made, 0 photos failed." in capsys.readouterr().out
    call_command("make_renditions", str(photo.pk))
    assert "0 renditions made" in capsys.readouterr().out
