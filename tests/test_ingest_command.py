"""manage.py ingest: summary line, --json lines, exit status and --publish."""
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article

from .factories import SectionFactory, UserFactory
from .ingest_helpers import EXPORTS, FIXTURES, SUMMIT_V1, SUMMIT_V2, WIRE, ninjs, write_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]


@pytest.fixture(autouse=True)
def one_worker(settings):
    """In-order, in the test's own transaction; the threaded default is tested in test_ingest_workers.py."""
    settings.NEWSROOM_INGEST_WORKERS = 1


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("ingest", *map(str, args), stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def test_command_prints_a_summary_and_exits_zero(tmp_path):
    write_json(tmp_path, "a.json", ninjs(guid="urn:test:a"))
    write_json(tmp_path, "b.json", ninjs(guid="urn:test:b"))

    code, out, _ = run(tmp_path)

    assert code == 0
    assert out.strip() == "imported 2, updated 0, unchanged 0, failed 0"


def test_command_ingests_the_fixture_folder_and_a_second_run_changes_nothing():
    code, out, _ = run("--root", FIXTURES, WIRE)
    assert code == 0
    assert "imported 3, updated 1, unchanged 0, failed 0" in out
    stories = list(Article.objects.order_by("pk").values("headline", "version", "wire_version"))

    code, out, _ = run("--root", FIXTURES, WIRE)

    assert code == 0
    assert "imported 0, updated 0, unchanged 3, failed 0" in out
    assert "ignored 1" in out  # version 1 of the summit story, after version 2
    assert list(Article.objects.order_by("pk").values("headline", "version", "wire_version")) == stories


def test_command_json_prints_one_object_per_item():
    code, out, err = run("--json", "--root", FIXTURES, SUMMIT_V1, SUMMIT_V2, EXPORTS)

    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [line["status"] for line in lines] == ["imported", "updated", "imported"]
    for line in lines:
        assert {"file", "guid", "version", "status", "article_id", "url", "error"} <= line.keys()
    assert lines[0]["article_id"] == lines[1]["article_id"]
    assert lines[1]["version"] == "2"
    assert lines[0]["url"].startswith("http") and "/putin-kim-hold-summit" in lines[0]["url"]
    assert "imported 2, updated 1" in err  # the summary stays off stdout, which is pure JSON


def test_command_exits_non_zero_when_an_item_fails(tmp_path):
    write_json(tmp_path, "good.json", ninjs())
    (tmp_path / "bad.xml").write_text("<newsItem")

    code, out, _ = run("--json", tmp_path)

    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    failed = next(line for line in lines if line["status"] == "failed")
    assert failed["file"].endswith("bad.xml")
    assert "Not well-formed XML" in failed["error"]
    assert failed["article_id"] is None
    assert Article.objects.count() == 1


def test_command_publish_respects_embargo(tmp_path):
    write_json(tmp_path, "now.json", ninjs(guid="urn:test:now"))
    write_json(tmp_path, "later.json", ninjs(guid="urn:test:later", embargoed="2099-01-01T00:00:00Z"))

    code, _, _ = run("--publish", tmp_path)

    assert code == 0
    assert list(Article.objects.published().values_list("wire_guid", flat=True)) == ["urn:test:now"]
    later = Article.objects.get(wire_guid="urn:test:later")
    assert later.published_at.year == 2099


def test_command_refuses_a_missing_path():
    with pytest.raises(CommandError, match="No such file"):
        call_command("ingest", "/no/such/folder")


def test_command_refuses_to_publish_for_a_user_without_the_permission(tmp_path):
    UserFactory(username="intern")
    write_json(tmp_path, "a.json", ninjs())

    with pytest.raises(CommandError, match="may not publish"):
        call_command("ingest", "--publish", "--user", "intern", str(tmp_path))
    assert not Article.objects.exists()


def test_command_records_the_user_as_creator(tmp_path):
    user = UserFactory(username="desk-bot")
    write_json(tmp_path, "a.json", ninjs())

    code, _, _ = run("--user", "desk-bot", tmp_path)

    assert code == 0
    assert Article.objects.get().created_by == user


def test_command_files_stories_in_the_section_asked_for(tmp_path):
    SectionFactory(name="Nation", slug="nation")
    world = SectionFactory(name="World", slug="world")
    write_json(tmp_path, "a.json", ninjs(subjects=[{"name": "nation"}]))

    code, _, _ = run("--section", "world", tmp_path)

    assert code == 0
    assert Article.objects.get().section == world
