"""Pipeline health: the desk's page and the monitors' JSON show what is wrong, an injected failure
included; Prometheus gets request metrics and the pipeline's gauges behind a token."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pipeline.models import Heartbeat
from pipeline.queue import enqueue
from tests import queue_tasks
from tests.factories import ArticleFactory, PhotoFactory, SourceFactory
from tests.queue_helpers import rq_backend  # noqa: F401
from wire.models import Intake, IntakeFailure

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_avif")]

PAGE, JSON = "/admin/pipeline/", "/admin/pipeline.json"


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_user("desk", password="pw", is_staff=True)
    client.force_login(user)
    return client


def test_the_page_and_json_are_for_staff_only(client):
    assert client.get(PAGE).status_code == 302  # to the admin login
    assert client.get(JSON).status_code == 404


def test_an_injected_task_failure_shows_on_the_page_and_in_the_json(staff):
    assert staff.get(JSON).json()["status"] == "ok"
    enqueue(queue_tasks.always_fails, "injected")

    body = staff.get(JSON)
    assert body.status_code == 503
    health = body.json()
    assert health["status"] == "degraded"
    assert health["task_failures"]["last_hour"] == 1
    assert health["task_failures"]["recent"][0]["error"] == "ValueError: broken for good: injected"
    page = staff.get(PAGE).content.decode()
    assert "ValueError: broken for good: injected" in page and "degraded" in page


def test_per_source_last_item_lag_and_intake_failures(staff, tmp_path):
    from wire.ingest import IngestOptions, ingest_paths

    from .ingest_helpers import ninjs, write_json

    source = SourceFactory(name="Yonhap")
    intake = Intake.objects.create(source=source, kind=Intake.Kind.FOLDER, location=str(tmp_path))
    item = ninjs(guid="urn:test:health", versioncreated=(timezone.now() - timedelta(minutes=3)).isoformat())
    ingest_paths([str(write_json(tmp_path, "a.json", item))], options=IngestOptions(source_name="Yonhap"))
    IntakeFailure.objects.create(intake=intake, item="bad.xml", reason="Not well-formed XML: mismatched tag.")

    [row] = staff.get(JSON).json()["sources"]
    assert row["source"] == "Yonhap" and row["last_item"] == "urn:test:health"
    assert 170 <= row["ingest_lag_seconds"] <= 200
    assert row["failed_last_hour"] == 1 and row["recent_failures"][0]["reason"].startswith("Not well-formed")
    assert "Not well-formed XML" in staff.get(PAGE).content.decode()


def test_held_back_stories_rendition_backlog_and_heartbeats(staff):
    ArticleFactory(headline="Held by its embargo", published_at=timezone.now() - timedelta(minutes=5),
                   embargo_until=timezone.now() + timedelta(hours=1))
    PhotoFactory()
    Heartbeat.beat("scheduler", "test")
    health = staff.get(JSON).json()
    assert [s["headline"] for s in health["held_back_stories"]] == ["Held by its embargo"]
    assert health["renditions_backlog"] == 1  # made on first view or by a worker; none yet
    assert health["heartbeats"]["scheduler"]["age_seconds"] <= 5


def test_with_the_real_queue_the_health_shows_queues_and_misses_a_worker(staff, rq_backend):  # noqa: F811
    enqueue(queue_tasks.flaky, "waiting", 0)
    health = staff.get(JSON).json()
    assert health["queue"]["backend"] == "rq"
    assert health["queue"]["queues"]["default"]["queued"] == 1
    assert "No worker has run a task for over three minutes." in health["problems"]


def test_an_unreachable_queue_is_reported_not_raised(staff, settings):
    settings.TASKS_BACKEND = "rq"
    settings.RQ_QUEUES = {n: {"URL": "redis://127.0.0.1:1/0"} for n in settings.TASK_QUEUES}
    health = staff.get(JSON).json()
    assert health["queue"]["error"].startswith("The queue cannot be reached")


def test_metrics_need_the_token_and_carry_request_and_pipeline_figures(client, settings):
    settings.DEBUG = False
    settings.NEWSROOM_METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    client.get("/")  # a request to count
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token", HTTP_HOST="web:8000")
    assert response.status_code == 200  # before host checks and the HTTPS redirect
    text = response.content.decode()
    assert "django_http_requests_latency_seconds_by_view_method" in text
    assert "django_http_responses_total_by_status_total" in text
    assert "newsroom_renditions_backlog" in text and "newsroom_pipeline_degraded" in text


def test_the_page_gives_its_times_in_the_newsroom_zone(staff, settings, tmp_path):
    from wire.ingest import IngestOptions, ingest_paths

    from .ingest_helpers import ninjs, write_json

    settings.TIME_ZONE = "Asia/Seoul"
    intake = Intake.objects.create(source=SourceFactory(name="Yonhap"), kind=Intake.Kind.FOLDER, location="/x")
    ingest_paths([str(write_json(tmp_path, "a.json", ninjs(guid="urn:test:zone")))],
                 options=IngestOptions(source_name="Yonhap"))
    IntakeFailure.objects.create(intake=intake, item="bad.xml", reason="Not well-formed XML.")
    enqueue(queue_tasks.always_fails, "zone")
    page = staff.get(PAGE).content.decode()
    assert " KST ·" in page  # when the page was made
    assert page.count(" KST") >= 4  # last item, the source's failure, the task failure too
    assert "+00:00" not in page  # never the JSON's raw ISO stamp with microseconds
