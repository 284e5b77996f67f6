"""Outbound ninjs 2.0: valid against IPTC's schema, withdrawals, embargoes, and the round trip through
our own ingest into a second Newsroom database."""
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import jsonschema_rs
import psycopg
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.renditions import remake_for_changed_metadata
from tests.api_helpers import full_story, make_key
from tests.factories import ArticleFactory
from tests.ingest_helpers import PHOTOS, ingest, ninjs, write_json

pytestmark = pytest.mark.django_db

SCHEMA = Path(__file__).parent / "fixtures" / "schemas" / "ninjs-schema_2.1.json"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ninjs_validator():
    # The schema's GeoJSON reference (for places, which we never send) is not fetched: no network here.
    return jsonschema_rs.Draft202012Validator(json.loads(SCHEMA.read_text()), retriever=lambda uri: {})


def test_story_ninjs_is_valid_ninjs_with_everything_a_partner_needs(client, no_avif, ninjs_validator):
    story = full_story(embargo_until=timezone.now() - timedelta(hours=2))
    photo = story.captions.get().photo
    photo.usage_terms, photo.web_statement = "Editorial use only.", "https://rights.example/terms"
    photo.expires_at = timezone.now() + timedelta(days=30)
    photo.save()
    document = client.get(f"/api/v1/stories/{story.pk}.ninjs").json()
    ninjs_validator.validate(document)
    assert document["standard"]["version"] == "2.0"
    assert document["version"] == str(story.version)
    assert document["pubstatus"] == "usable"
    assert document["embargoed"] == story.embargo_until.isoformat()
    assert document["headlines"] == [{"role": "main", "value": story.headline}]
    assert document["bodies"][0]["value"] == story.body
    assert document["located"] == "SEOUL"
    assert document["infosources"][0]["name"] == "Yonhap"
    assert document["by"] == ", ".join(a.name for a in story.authors.order_by("authorships__position"))
    assert {s["name"] for s in document["subjects"]} == {"harbour", "council"}
    picture = document["associations"][0]
    assert picture["type"] == "picture"
    assert picture["copyrightholder"] == "AFP-Yonhap"
    assert picture["descriptions"][0]["value"] == "Cranes at the harbour."
    assert picture["usageterms"] == "Editorial use only."
    assert picture["rightsinfo"] == {"linkedrights": "https://rights.example/terms"}
    assert picture["expires"] == photo.expires_at.isoformat()
    assert picture["renditions"][0]["name"] == "original"
    assert picture["renditions"][0]["contenttype"] == "image/jpeg"


def test_killed_story_ninjs_is_a_withdrawal_without_content(client, ninjs_validator):
    story = ArticleFactory(killed=True, first_published_at=timezone.now() - timedelta(days=1))
    response = client.get(f"/api/v1/stories/{story.pk}.ninjs")
    assert response.status_code == 410
    document = response.json()
    ninjs_validator.validate(document)
    assert document["pubstatus"] == "canceled"
    assert set(document) == {"uri", "standard", "type", "version", "versioncreated", "pubstatus", "headlines"}


def test_embargoed_story_ninjs_only_for_embargo_keys(client, ninjs_validator):
    story = ArticleFactory(published_at=timezone.now() - timedelta(minutes=1),
                           embargo_until=timezone.now() + timedelta(hours=3))
    assert client.get(f"/api/v1/stories/{story.pk}.ninjs").status_code == 404
    _key, raw = make_key("ninjs", "embargo")
    document = client.get(f"/api/v1/stories/{story.pk}.ninjs", HTTP_X_API_KEY=raw).json()
    ninjs_validator.validate(document)
    assert document["embargoed"] == story.embargo_until.isoformat()


# --- the round trip ---------------------------------------------------------------------------


def second_database_url():
    """test_<name>_2 beside the test database (test_newsroom_api_2 for DATABASE_URL …/newsroom_api)."""
    params = connection.settings_dict
    name = f"{params['NAME']}_2"
    url = f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
    return name, url


@pytest.fixture
def second_newsroom(tmp_path):
    """An empty, migrated Newsroom database of its own, used through manage.py in a subprocess."""
    name, server = second_database_url()
    admin_url = f"{server}/postgres"

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": f"{server}/{name}",
        "SECRET_KEY": "test-only-not-secret",
        "MEDIA_ROOT": str(tmp_path / "second-media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "second-private"),
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": "",
    }

    def manage(*args):
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
        return done.stdout

    manage("migrate", "--noinput", "-v", "0")
    yield manage
    drop()


READ_STORY = """
import json
from articles.models import Article
from articles.renditions import remake_for_changed_metadata
a = Article.objects.get()
print(json.dumps({
    "headline": a.headline, "dek": a.dek, "body": a.body, "dateline": a.dateline, "status": a.status,
    "source": a.source.name if a.source else None,
    "authors": [x.author.name for x in a.authorships.order_by("position")],
    "tags": sorted(t.name for t in a.tags.all()),
    "photos": [(c.caption, c.credit) for c in a.captions.order_by("position", "pk")],
    "rights": [(c.photo.usage_terms, c.photo.web_statement, c.photo.expires_at.isoformat() if c.photo.expires_at
                else None, c.photo.digital_source_type) for c in a.captions.order_by("position", "pk")],
}))
"""


def test_our_ninjs_ingested_by_a_second_newsroom_makes_the_same_story(client, no_avif, tmp_path, second_newsroom):
    story = full_story()
    # The photo's licence travels with it: terms, rights page, licence end and digital source type.
    photo = story.captions.get().photo
    photo.usage_terms, photo.web_statement = "Editorial use only. No sales.", "https://rights.example/terms"
    photo.expires_at = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    photo.digital_source_type = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
    photo.save()
    # What the photo admin does after such an edit: renditions carrying the old XMP are remade.
    remake_for_changed_metadata(photo, ["usage_terms", "web_statement", "digital_source_type"])
    document = client.get(f"/api/v1/stories/{story.pk}.ninjs").json()
    # A partner fetches the pictures and delivers them beside the item, as agencies do (ingest never downloads).
    folder = tmp_path / "outbox"
    folder.mkdir()
    for number, picture in enumerate(document["associations"], start=1):
        original = picture["renditions"][0]
        stored = original["href"].split(settings.MEDIA_URL, 1)[1]
        local = f"picture{number}.jpg"
        (folder / local).write_bytes(default_storage.open(stored).read())
        picture["renditions"] = [{**original, "href": local}]
    (folder / "story.json").write_text(json.dumps(document))

    second_newsroom("ingest", str(folder), "--publish", "--json")
    copy = json.loads(second_newsroom("shell", "-c", READ_STORY).strip().splitlines()[-1])

    assert copy["headline"] == story.headline
    assert copy["dek"] == story.dek
    assert copy["body"] == story.body
    assert copy["dateline"] == story.dateline
    assert copy["status"] == "published"
    assert copy["source"] == "Yonhap"
    assert copy["authors"] == [a.author.name for a in story.authorships.order_by("position")]
    assert copy["tags"] == sorted(t.name for t in story.tags.all())
    assert copy["photos"] == [[c.caption, c.credit] for c in story.captions.order_by("position", "pk")]
    assert copy["rights"] == [[photo.usage_terms, photo.web_statement, photo.expires_at.isoformat(),
                               photo.digital_source_type]]


def test_ingest_reads_a_ninjs_pictures_licence(tmp_path, no_avif):
    """usageterms, rightsinfo and expires on a picture association reach the Photo; the earliest end holds."""
    picture = PHOTOS / "afp_yonhap_pyongyang_portraits.jpg"
    (tmp_path / "picture1.jpg").write_bytes(picture.read_bytes())
    soon = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    association = {
        "name": "featureimage", "type": "picture", "uri": "urn:partner:photo:1",
        "usageterms": "Editorial use only. Do not use after 2099-01-01.",
        "rightsinfo": {"linkedrights": "https://rights.example/p1"},
        "expires": soon.isoformat(), "renditions": [{"name": "original", "href": "picture1.jpg"}],
    }
    write_json(tmp_path, "story.json", ninjs(guid="urn:partner:story:1", associations=[association]))
    ingest(tmp_path, root=str(tmp_path))
    photo = Article.objects.get(wire_guid="urn:partner:story:1").captions.get().photo
    assert photo.usage_terms == "Editorial use only. Do not use after 2099-01-01."
    assert photo.web_statement == "https://rights.example/p1"
    assert photo.expires_at == soon
