"""The task queue foundation: the immediate backend in-process, RQ on real Redis, retries, failures."""

import pytest
from django.db import transaction
from django_tasks import TaskResultStatus

from pipeline.models import TaskFailure
from pipeline.queue import enqueue, enqueue_after_commit
from tests import queue_tasks
from tests.queue_helpers import TEST_QUEUE_URL, drain, queued_count, rq_backend  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calls():
    queue_tasks.calls.clear()


def test_the_immediate_backend_runs_a_task_at_once():
    result = enqueue(queue_tasks.flaky, "now", 0)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "now"


def test_with_the_immediate_backend_a_failure_is_recorded_and_the_caller_carries_on():
    result = enqueue(queue_tasks.always_fails, "in-process")
    assert result.status == TaskResultStatus.FAILED
    failure = TaskFailure.objects.get()
    assert failure.task_name == "tests.queue_tasks.always_fails"
    assert failure.error == "ValueError: broken for good: in-process"
    assert failure.arguments == {"args": ["in-process"], "kwargs": {}}


def test_rq_runs_a_queued_task_in_a_worker(rq_backend):  # noqa: F811
    result = enqueue(queue_tasks.flaky, "queued", 0)
    assert result.status == TaskResultStatus.READY
    assert queued_count(rq_backend, ["default"]) == 1
    assert queue_tasks.calls == []  # nothing ran in the caller
    drain(rq_backend)
    assert queue_tasks.calls == [("flaky", "queued")]
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL


def test_rq_retries_with_backoff_until_the_task_succeeds(rq_backend):  # noqa: F811
    enqueue(queue_tasks.flaky, "twice", 2)
    drain(rq_backend)
    assert queue_tasks.calls == [("flaky", "twice")] * 3
    assert not TaskFailure.objects.exists()


def test_rq_records_a_task_that_keeps_failing(rq_backend):  # noqa: F811
    from rq import Queue

    enqueue(queue_tasks.always_fails, "forever")
    drain(rq_backend)
    assert queue_tasks.calls == [("always_fails", "forever")] * 2  # first try and one retry
    failure = TaskFailure.objects.get()
    assert failure.attempts == 2
    assert failure.error == "ValueError: broken for good: forever"
    assert Queue("mail", connection=rq_backend).failed_job_registry.count == 1  # RQ keeps it too


def test_an_unreachable_queue_is_recorded_not_raised(settings):
    settings.TASKS_BACKEND = "rq"
    settings.RQ_QUEUES = {n: {"URL": "redis://127.0.0.1:1/0"} for n in settings.TASK_QUEUES}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": settings.TASK_QUEUES}}
    assert enqueue(queue_tasks.flaky, "lost", 0) is None
    assert TaskFailure.objects.get().error.startswith("Could not be queued")


def test_enqueue_after_commit_waits_for_the_commit_on_a_real_queue(rq_backend):  # noqa: F811
    with transaction.atomic():
        enqueue_after_commit(queue_tasks.flaky, "later", 0)
        assert queued_count(rq_backend, ["default"]) == 0
    # pytest-django's test transaction never commits: run the callbacks it would have run.


def test_enqueue_after_commit_runs_in_process_with_the_immediate_backend():
    with transaction.atomic():
        enqueue_after_commit(queue_tasks.flaky, "inside", 0)
        assert queue_tasks.calls == [("flaky", "inside")]


def test_the_test_queue_is_our_own_database():
    # clear_queue_keys() deletes every rq:* key of this database, so it must never be the site's queue
    # (database 0, the default); TEST_TASKS_REDIS_URL may name any other one (6 unless told).
    import redis

    assert redis.ConnectionPool.from_url(TEST_QUEUE_URL).connection_kwargs.get("db", 0) != 0
