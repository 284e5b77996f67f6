"""Webhooks: events from publishing, HMAC signatures checked by a real HTTP server on 127.0.0.1,
retries with backoff, scheduled stories announced only once public, and the delivery log."""
import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.utils import timezone

from api.models import Webhook, WebhookDelivery
from api.webhooks import send_due, sign, verify_signature
from articles import publishing
from articles.models import ArticleNote
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PORTS = range(8760, 8780)  # this engineer's range; the first free one is used


class Receiver(ThreadingHTTPServer):
    """A partner's endpoint: checks each signature itself (HMAC-SHA256 of "<t>.<body>") and keeps what came."""

    def __init__(self, secret=""):
        for port in PORTS:
            try:
                super().__init__(("127.0.0.1", port), ReceiverHandler)
                break
            except OSError:
                continue
        else:
            raise RuntimeError("no free port in 8760-8779")
        self.secret, self.received, self.fail_next = secret, [], 0

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class ReceiverHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        header = self.headers["Newsroom-Signature"]
        parts = dict(item.split("=", 1) for item in header.split(","))
        expected = hmac.new(self.server.secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256).hexdigest()
        valid = hmac.compare_digest(expected, parts["v1"])
        self.server.received.append({"event": self.headers["Newsroom-Event"], "body": json.loads(body),
                                     "valid": valid})
        failing = self.server.fail_next > 0
        self.server.fail_next -= 1
        self.send_response(503 if failing else (200 if valid else 401))
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def webhook(receiver):
    hook = Webhook.objects.create(name="Partner app", url=receiver.url)
    receiver.secret = hook.secret
    return hook


def test_publish_update_correction_and_kill_are_delivered_signed(receiver, webhook, editor,
                                                                  django_capture_on_commit_callbacks):
    story = ArticleFactory(draft=True)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.set_status(story, "published", by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Harbour plan approved after a long night"
        # set_status writes only the fields it is told it owns (editing.locked_story, #10).
        publishing.set_status(story, "published", by=editor, fields=["headline"])
    with django_capture_on_commit_callbacks(execute=True):
        publishing.append_note(story, kind=ArticleNote.Kind.CORRECTION, text="The vote was 7-2, not 6-3.", by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.set_status(story, "killed", by=editor)

    events = [r["event"] for r in receiver.received]
    assert events == ["story.published", "story.updated", "story.corrected", "story.killed"]
    assert all(r["valid"] for r in receiver.received)
    assert receiver.received[1]["body"]["story"]["headline"] == "Harbour plan approved after a long night"
    killed = receiver.received[3]["body"]["story"]
    assert killed["pubstatus"] == "canceled" and "headline" not in killed
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_failed_deliveries_are_retried_with_backoff(receiver, webhook, settings, django_capture_on_commit_callbacks):
    settings.NEWSROOM_WEBHOOK_RETRY_SECONDS = 30
    receiver.fail_next = 2
    story = ArticleFactory(draft=True)
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        publishing.set_status(story, "published")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, 503)
    assert timedelta(seconds=29) < delivery.next_attempt_at - start < timedelta(seconds=35)
    assert send_due() == 0  # not due yet
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
        assert send_due() == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at - delivery.created_at > timedelta(seconds=89)
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
        send_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 3, 200)
    assert len(receiver.received) == 3 and all(r["valid"] for r in receiver.received)


def test_a_delivery_gives_up_after_the_last_attempt(webhook, settings, django_capture_on_commit_callbacks):
    settings.NEWSROOM_WEBHOOK_MAX_ATTEMPTS = 1
    webhook.url = "http://127.0.0.1:9/nothing-listens-here"
    webhook.save()
    with django_capture_on_commit_callbacks(execute=True):
        publishing.set_status(ArticleFactory(draft=True), "published")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and "Could not reach" in delivery.error


def test_a_scheduled_story_is_announced_only_when_it_goes_live(receiver, webhook,
                                                              django_capture_on_commit_callbacks):
    story = ArticleFactory(draft=True)
    release = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.set_status(story, "published", at=release)
    assert receiver.received == [] and send_due() == 0
    with time_machine.travel(release + timedelta(seconds=5)):
        assert send_due() == 1
    assert [r["event"] for r in receiver.received] == ["story.published"]
    assert receiver.received[0]["body"]["story"]["id"] == story.pk


def test_a_story_killed_before_its_time_is_never_announced(receiver, webhook, django_capture_on_commit_callbacks):
    story = ArticleFactory(draft=True)
    release = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.set_status(story, "published", at=release)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.set_status(story, "killed")
    with time_machine.travel(release + timedelta(seconds=5)):
        send_due()
    assert receiver.received == []
    assert WebhookDelivery.objects.get().status == "skipped"


def test_a_webhook_gets_only_the_events_it_asked_for(receiver, webhook, django_capture_on_commit_callbacks):
    webhook.events = ["story.killed"]
    webhook.save()
    story = ArticleFactory(draft=True)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.set_status(story, "published")
        publishing.set_status(story, "killed")
    assert [r["event"] for r in receiver.received] == ["story.killed"]


def test_nothing_is_sent_when_the_change_rolls_back(receiver, webhook):
    story = ArticleFactory(draft=True)
    publishing.set_status(story, "published")  # the test's transaction never commits
    assert receiver.received == []


def test_verify_signature_accepts_ours_and_refuses_tampering_and_replays():
    body = b'{"event": "story.published"}'
    header = sign("whsec_test", 1_800_000_000, body)
    assert verify_signature("whsec_test", header, body, now=1_800_000_010)
    assert not verify_signature("whsec_test", header, body + b" ", now=1_800_000_010)
    assert not verify_signature("whsec_other", header, body, now=1_800_000_010)
    assert not verify_signature("whsec_test", header, body, now=1_800_000_000 + 3600)
    assert not verify_signature("whsec_test", "garbage", body)


def test_delivery_log_is_in_the_admin(client, receiver, webhook, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    with django_capture_on_commit_callbacks(execute=True):
        publishing.set_status(ArticleFactory(draft=True, headline="Logged story"), "published")
    client.force_login(get_user_model().objects.create_superuser("boss", "b@example.com", "pw-for-tests"))
    page = client.get("/admin/api/webhookdelivery/").content.decode()
    assert "story.published" in page or "Story published" in page
    assert "Logged story" in page


def test_a_new_wire_version_of_a_published_story_is_announced(receiver, webhook, tmp_path, editor,
                                                            django_capture_on_commit_callbacks):
    from tests.ingest_helpers import ingest, ninjs, write_json
    from wire import pending
    from wire.models import PendingUpdate

    write_json(tmp_path, "v1.json", ninjs(version="1"))
    with django_capture_on_commit_callbacks(execute=True):
        ingest(tmp_path / "v1.json", publish=True)
    write_json(tmp_path, "v2.json", ninjs(version="2", headline="Harbour ferry timetable changes again",
                                          versioncreated="2026-03-02T09:00:00Z"))
    with django_capture_on_commit_callbacks(execute=True):
        ingest(tmp_path / "v2.json")
    # A live story's update waits for an editor (#10); it is announced once applied.
    assert [r["event"] for r in receiver.received] == ["story.published"]
    with django_capture_on_commit_callbacks(execute=True):
        pending.apply(PendingUpdate.objects.get(), {"headline": "agency"}, by=editor)
    events = [r["event"] for r in receiver.received]
    assert events[0] == "story.published" and "story.updated" in events[1:]
    assert receiver.received[-1]["body"]["story"]["headline"] == "Harbour ferry timetable changes again"
