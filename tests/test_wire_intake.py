"""Continuous wire intake: a drop folder and an HTTP feed on 127.0.0.1, each delivering a story end
to end through the task that polls it; files still being written wait, bad ones are quarantined."""

import json
import os
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import Article, Photo
from pipeline.queue import enqueue
from tests.factories import SourceFactory
from tests.queue_helpers import drain, rq_backend  # noqa: F401
from wire.intake import poll_due_intakes, poll_intake
from wire.models import Intake, IntakeFailure

from .ingest_helpers import PHOTOS, ninjs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

FEED_PORT = 8641


@pytest.fixture
def settle(settings):
    settings.WIRE_INTAKE_SETTLE_SECONDS = 5


def drop(folder, name, item, age=60):
    """Write a wire file as an agency's upload would, last written `age` seconds ago."""
    path = folder / name
    path.write_text(json.dumps(item), encoding="utf-8")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


@pytest.fixture
def folder_intake(tmp_path):
    folder = tmp_path / "yonhap-drop"
    folder.mkdir()
    return Intake.objects.create(source=SourceFactory(name="Yonhap"), kind=Intake.Kind.FOLDER, location=str(folder))


def poll(intake):
    return enqueue(poll_intake, intake.pk).return_value


def test_a_dropped_file_becomes_a_story_and_is_moved_aside(folder_intake, settle):
    folder = Path(folder_intake.location)
    (folder / "pictures").mkdir()
    shutil.copy(PHOTOS / "reuters_gps.jpg", folder / "pictures" / "harbour.jpg")
    item = ninjs(guid="urn:test:drop:1", headline="Ferries resume after the storm", associations={"featureimage": {
        "type": "picture", "uri": "urn:test:drop:1:photo",
        "renditions": {"original": {"href": "pictures/harbour.jpg", "contenttype": "image/jpeg"}},
    }})
    drop(folder, "storm.json", item)

    assert enqueue(poll_due_intakes).return_value == 1  # the scheduler's job queues the due intake

    story = Article.objects.get()
    assert story.headline == "Ferries resume after the storm" and story.source.name == "Yonhap"
    assert Photo.objects.count() == 1
    assert not (folder / "storm.json").exists()
    assert (folder / ".processed" / timezone.localdate().isoformat() / "storm.json").exists()
    folder_intake.refresh_from_db()
    assert folder_intake.last_success_at and folder_intake.next_poll_at > timezone.now()


def test_a_file_still_being_written_is_left_for_a_later_poll(folder_intake, settle):
    folder = Path(folder_intake.location)
    drop(folder, "arriving.json", ninjs(guid="urn:test:drop:2"), age=1)
    drop(folder, "upload.json.part", ninjs(guid="urn:test:drop:3"))

    assert poll(folder_intake) == {}
    assert (folder / "arriving.json").exists() and not Article.objects.exists()

    old = time.time() - 30
    os.utime(folder / "arriving.json", (old, old))
    assert poll(folder_intake) == {"imported": 1}


def test_a_bad_file_is_quarantined_with_its_reason(folder_intake, settle):
    folder = Path(folder_intake.location)
    path = folder / "broken.xml"
    path.write_text("<newsItem><unclosed>")
    os.utime(path, (time.time() - 60, time.time() - 60))

    assert poll(folder_intake) == {"failed": 1}

    quarantined = folder / ".quarantine" / "broken.xml"
    assert quarantined.exists() and not path.exists()
    reason = (folder / ".quarantine" / "broken.xml.reason.txt").read_text()
    assert "Not well-formed XML" in reason
    failure = IntakeFailure.objects.get()
    assert failure.intake == folder_intake and "Not well-formed XML" in failure.reason


def test_the_same_item_delivered_twice_changes_nothing(folder_intake, settle):
    folder = Path(folder_intake.location)
    drop(folder, "a.json", ninjs(guid="urn:test:drop:twice", headline="Port strike ends"))
    assert poll(folder_intake) == {"imported": 1}
    story = Article.objects.get()
    version = story.version

    drop(folder, "a.json", ninjs(guid="urn:test:drop:twice", headline="Port strike ends"))
    assert poll(folder_intake) == {"unchanged": 1}

    story.refresh_from_db()
    assert Article.objects.count() == 1 and story.version == version
    assert len(list((folder / ".processed" / timezone.localdate().isoformat()).iterdir())) == 2  # both kept


def test_a_file_left_claimed_by_a_killed_worker_goes_back_and_is_ingested(folder_intake, settle, settings):
    from wire.intake import claim

    folder = Path(folder_intake.location)
    abandoned = claim(drop(folder, "left.json", ninjs(guid="urn:test:drop:left", headline="Dam level rises")))
    in_hand = claim(drop(folder, "busy.json", ninjs(guid="urn:test:drop:busy")))  # a live worker's
    long_ago = time.time() - settings.TASK_TIMEOUT - 5  # no task runs that long: its worker is gone
    os.utime(abandoned, (long_ago, long_ago))

    assert poll(folder_intake) == {"imported": 1}

    assert Article.objects.get().headline == "Dam level rises"
    assert (folder / ".processed" / timezone.localdate().isoformat() / "left.json").exists()
    assert in_hand.exists()  # a recent claim is left to the worker holding it


def test_the_same_name_delivered_while_a_claim_is_in_hand_replaces_nothing(folder_intake, settle):
    from wire.intake import claim

    folder = Path(folder_intake.location)
    first = claim(drop(folder, "flash.json", ninjs(guid="urn:test:drop:flash:1")))
    second = claim(drop(folder, "flash.json", ninjs(guid="urn:test:drop:flash:2")))
    assert first != second and first.exists() and second.exists()


def test_a_folder_whose_files_cannot_be_moved_is_unavailable_and_backs_off(folder_intake, settle):
    from pipeline.models import TaskFailure

    folder = Path(folder_intake.location)
    (folder / ".processing").write_text("not a folder")  # as unwritable as a folder we may not write to
    drop(folder, "waiting.json", ninjs(guid="urn:test:drop:stuck"))

    assert poll(folder_intake) == {"unavailable": 1}

    folder_intake.refresh_from_db()
    assert folder_intake.consecutive_failures == 1 and "cannot be moved" in folder_intake.last_error
    assert folder_intake.next_poll_at > timezone.now()  # backed off, not polled again every tick
    assert (folder / "waiting.json").exists() and not TaskFailure.objects.exists()


def test_with_the_real_queue_a_dropped_file_becomes_a_story(folder_intake, settle, rq_backend):  # noqa: F811
    folder = Path(folder_intake.location)
    drop(folder, "queued.json", ninjs(guid="urn:test:drop:rq", headline="Night trains return"))

    enqueue(poll_due_intakes)  # what the scheduler queues; a worker runs it and the poll it queues
    assert not Article.objects.exists()
    drain(rq_backend)

    assert Article.objects.get().headline == "Night trains return"
    assert (folder / ".processed" / timezone.localdate().isoformat() / "queued.json").exists()


def test_a_missing_folder_backs_off(folder_intake):
    shutil.rmtree(folder_intake.location)
    assert poll(folder_intake) == {"unavailable": 1}
    assert poll(folder_intake) == {"unavailable": 1}
    folder_intake.refresh_from_db()
    assert folder_intake.consecutive_failures == 2
    assert folder_intake.next_poll_at - folder_intake.last_polled_at == timezone.timedelta(seconds=60 * 4)
    assert IntakeFailure.objects.count() == 2


class Feed:
    """A wire feed on 127.0.0.1 with an ETag; counts the requests answered 304."""

    def __init__(self):
        self.body, self.etag, self.status = b"[]", '"v1"', 200
        self.requests, self.not_modified = 0, 0
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                feed.requests += 1
                if feed.status != 200:
                    self.send_response(feed.status)
                    self.end_headers()
                    return
                if self.headers.get("If-None-Match") == feed.etag:
                    feed.not_modified += 1
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("ETag", feed.etag)
                self.end_headers()
                self.wfile.write(feed.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", FEED_PORT), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def feed():
    with Feed() as running:
        yield running


@pytest.fixture
def feed_intake(feed):
    return Intake.objects.create(source=SourceFactory(name="Example Wire"), kind=Intake.Kind.FEED,
                                 location=f"http://127.0.0.1:{FEED_PORT}/wire.json")


def test_the_feed_delivers_stories_and_is_then_asked_with_its_etag(feed, feed_intake):
    feed.body = json.dumps([ninjs(guid="urn:test:feed:1", headline="Rail fares frozen"),
                            ninjs(guid="urn:test:feed:2", headline="Bridge opens early")]).encode()

    assert enqueue(poll_due_intakes).return_value == 1

    assert sorted(Article.objects.values_list("headline", flat=True)) == ["Bridge opens early", "Rail fares frozen"]
    assert {a.source.name for a in Article.objects.all()} == {"Example Wire"}
    feed_intake.refresh_from_db()
    assert feed_intake.etag == '"v1"'

    assert poll(feed_intake) == {"not modified": 1}
    assert feed.not_modified == 1 and Article.objects.count() == 2


def test_a_new_feed_version_updates_and_one_bad_item_is_recorded(feed, feed_intake):
    feed.body = json.dumps([ninjs(guid="urn:test:feed:1", headline="Rail fares frozen")]).encode()
    poll(feed_intake)
    feed.etag = '"v2"'
    feed.body = json.dumps([ninjs(guid="urn:test:feed:1", version="2", headline="Rail fares frozen until May"),
                            ninjs(guid="", headline="No identifier")]).encode()

    assert poll(feed_intake) == {"updated": 1, "failed": 1}

    assert Article.objects.get().headline == "Rail fares frozen until May"
    assert "no uri" in IntakeFailure.objects.get().reason


def test_feed_errors_back_off_and_recovery_resets_them(feed, feed_intake):
    feed.status = 503
    assert poll(feed_intake) == {"unavailable": 1}
    feed_intake.refresh_from_db()
    assert feed_intake.consecutive_failures == 1 and "HTTP 503" in feed_intake.last_error
    assert feed_intake.next_poll_at - feed_intake.last_polled_at == timezone.timedelta(seconds=120)
    assert not due_now(feed_intake)

    feed.status = 200
    poll(feed_intake)
    feed_intake.refresh_from_db()
    assert feed_intake.consecutive_failures == 0 and feed_intake.last_error == ""


def due_now(intake):
    from wire.intake import due_intakes

    return due_intakes().filter(pk=intake.pk).exists()
