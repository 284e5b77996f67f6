"""Wire section rules: agency subject codes and keywords file wire copy in the right section, with a
default section for the rest, on every intake path (upload, drop folder, HTTP feed, manage.py ingest)."""
import json
import os
import shutil
import time
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from pipeline.queue import enqueue
from wire.intake import poll_intake
from wire.models import Intake, SectionRule
from wire.subjects import normalized_rule_value, subject_code

from .factories import SectionFactory, SourceFactory
from .ingest_helpers import EXPORTS, SUMMIT_V1, ingest, ninjs
from .test_wire_intake import Feed
from .workflow_helpers import desk_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

Kind = SectionRule.Kind
FEED_PORT = 8483


@pytest.fixture
def sections():
    """"North Korea" sorts first: without a rule, an exports story used to land there."""
    return {
        "nk": SectionFactory(name="North Korea", slug="north-korea"),
        "economy": SectionFactory(name="Economy", slug="economy"),
        "politics": SectionFactory(name="Politics", slug="politics"),
        "wire": SectionFactory(name="Wire", slug="wire"),
    }


def rule(kind, value, section, priority=100):
    return SectionRule.objects.create(kind=kind, value=normalized_rule_value(kind, value), section=section,
                                      priority=priority)


def filed_in(result):
    return Article.objects.select_related("section").get(pk=result.article_id).section.slug


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("medtop:04000000", "medtop:04000000"),
        ("MEDTOP:04000000", "medtop:04000000"),
        ("04000000", "medtop:04000000"),
        ("http://cv.iptc.org/newscodes/mediatopic/04000000", "medtop:04000000"),
        ("https://cv.iptc.org/newscodes/mediatopic/04000000/", "medtop:04000000"),
        ("subj:04000000", "subj:04000000"),
        ("economy", ""),
        ("", ""),
    ],
)
def test_subject_codes_are_read_in_either_spelling(typed, code):
    assert subject_code(typed) == code


def test_a_newsml_subject_code_files_the_exports_story_under_economy(sections):
    rule(Kind.SUBJECT, "medtop:04000000", sections["economy"])

    [result] = ingest(EXPORTS)

    assert filed_in(result) == "economy"


def test_a_ninjs_mediatopic_address_matches_a_code_rule(sections):
    rule(Kind.SUBJECT, "11000000", sections["politics"])

    [result] = ingest(SUMMIT_V1)

    assert filed_in(result) == "politics"


def test_the_first_matching_rule_by_priority_wins(sections):
    rule(Kind.SUBJECT, "medtop:04000000", sections["economy"], priority=20)
    rule(Kind.KEYWORD, "Semiconductors", sections["politics"], priority=10)

    [result] = ingest(EXPORTS)

    assert filed_in(result) == "politics"


def test_the_default_rule_takes_wire_copy_no_other_rule_matched(sections):
    rule(Kind.SUBJECT, "medtop:11000000", sections["politics"], priority=10)
    rule(Kind.DEFAULT, "", sections["wire"], priority=1000)

    exports, summit = ingest(EXPORTS), ingest(SUMMIT_V1)

    assert filed_in(exports[0]) == "wire"
    assert filed_in(summit[0]) == "politics"


def test_without_rules_the_old_name_matching_still_applies(sections, settings):
    settings.NEWSROOM_INGEST_SECTION = "wire"
    [result] = ingest(SUMMIT_V1)  # subjects "politics", "diplomacy": a section is named Politics

    assert filed_in(result) == "politics"
    [result] = ingest(EXPORTS)
    assert filed_in(result) == "wire"


def test_an_explicit_section_beats_the_rules(sections):
    rule(Kind.DEFAULT, "", sections["wire"])

    [result] = ingest(EXPORTS, section=sections["nk"])

    assert filed_in(result) == "north-korea"


def test_the_upload_page_files_by_the_rules(client, sections):
    rule(Kind.SUBJECT, "medtop:04000000", sections["economy"])
    client.force_login(desk_user("Editor"))

    client.post(reverse("admin:wire_upload"), {"files": [SimpleUploadedFile(EXPORTS.name, EXPORTS.read_bytes())]})

    assert Article.objects.get().section.slug == "economy"


def test_manage_py_ingest_files_by_the_rules(sections, settings):
    settings.NEWSROOM_INGEST_WORKERS = 1
    rule(Kind.SUBJECT, "medtop:04000000", sections["economy"])

    call_command("ingest", str(EXPORTS), stdout=StringIO(), stderr=StringIO())

    assert Article.objects.get().section.slug == "economy"


def test_the_drop_folder_files_by_the_rules(sections, tmp_path, settings):
    settings.WIRE_INTAKE_SETTLE_SECONDS = 5
    rule(Kind.KEYWORD, "transport", sections["economy"])
    folder = tmp_path / "drop"
    folder.mkdir()
    path = folder / "item.json"
    path.write_text(json.dumps(ninjs(guid="urn:test:sections:drop")), encoding="utf-8")
    os.utime(path, (time.time() - 60, time.time() - 60))
    intake = Intake.objects.create(source=SourceFactory(name="Yonhap"), kind=Intake.Kind.FOLDER, location=str(folder))

    enqueue(poll_intake, intake.pk)

    assert Article.objects.get().section.slug == "economy"
    shutil.rmtree(folder)


def test_the_http_feed_files_by_the_rules(sections, monkeypatch):
    monkeypatch.setattr("tests.test_wire_intake.FEED_PORT", FEED_PORT)
    rule(Kind.SUBJECT, "medtop:04000000", sections["economy"])
    item = ninjs(guid="urn:test:sections:feed", subjects=[
        {"name": "economy, business and finance", "uri": "http://cv.iptc.org/newscodes/mediatopic/04000000"}])
    with Feed() as feed:
        feed.body = json.dumps([item]).encode()
        intake = Intake.objects.create(source=SourceFactory(name="Example Wire"), kind=Intake.Kind.FEED,
                                       location=f"http://127.0.0.1:{FEED_PORT}/wire.json")
        enqueue(poll_intake, intake.pk)

    assert Article.objects.get().section.slug == "economy"


def test_an_editor_adds_a_rule_in_the_admin_and_a_bad_code_is_refused(client, sections):
    client.force_login(desk_user("Editor"))
    url = reverse("admin:wire_sectionrule_add")

    bad = client.post(url, {"priority": 10, "kind": "subject", "value": "economy", "section": sections["economy"].pk})
    assert bad.status_code == 200 and "is not a subject code" in bad.content.decode()
    assert not SectionRule.objects.exists()

    client.post(url, {"priority": 10, "kind": "subject", "value": "http://cv.iptc.org/newscodes/mediatopic/04000000",
                      "section": sections["economy"].pk})
    assert SectionRule.objects.get().value == "medtop:04000000"


def test_reporters_cannot_change_the_rules(client, sections):
    client.force_login(desk_user("Reporter"))

    response = client.post(reverse("admin:wire_sectionrule_add"),
                           {"priority": 1, "kind": "default", "value": "", "section": sections["wire"].pk})

    assert response.status_code == 403 and not SectionRule.objects.exists()
