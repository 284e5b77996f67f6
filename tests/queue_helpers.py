"""The real task queue for tests: RQ on the test Redis, in a database number of our own.

`rq_backend` switches the Tasks API to django-tasks-rq for one test; `drain()` works the queues in
this process (rq's SimpleWorker, so the test's transaction is visible) until nothing is left,
moving deferred retries in as they fall due. Tests that need a worker in its own process start
`manage.py worker` with worker_env().
"""

import os
import time

import pytest
import redis
from rq import SimpleWorker
from rq.scheduler import RQScheduler

TEST_QUEUE_URL = os.environ.get("TEST_TASKS_REDIS_URL", "redis://127.0.0.1:6379/6")


def clear_queue_keys(connection):
    for key in connection.scan_iter("rq:*", count=500):
        connection.delete(key)


@pytest.fixture
def rq_backend(settings):
    """Tasks go to RQ on 127.0.0.1 (our own Redis database) for this test."""
    connection = redis.Redis.from_url(TEST_QUEUE_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.fail(f"the real-queue tests need Redis at {TEST_QUEUE_URL}")
    clear_queue_keys(connection)
    settings.TASKS_BACKEND = "rq"
    settings.TASKS_REDIS_URL = TEST_QUEUE_URL
    settings.RQ_QUEUES = {name: {"URL": TEST_QUEUE_URL, "DEFAULT_TIMEOUT": 120} for name in settings.TASK_QUEUES}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": settings.TASK_QUEUES}}
    yield connection
    clear_queue_keys(connection)
    connection.close()


def queued_count(connection, queues):
    from rq import Queue

    return sum(Queue(name, connection=connection).count for name in queues)


def scheduled_count(connection, queues):
    from rq import Queue

    return sum(Queue(name, connection=connection).scheduled_job_registry.count for name in queues)


def drain(connection, queues=("default", "media", "mail"), timeout=20):
    """Run every queued and deferred task in this process; returns when none is left."""
    from django_tasks_rq import Job

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        scheduler = RQScheduler(list(queues), connection=connection)
        scheduler.acquire_locks()
        scheduler.enqueue_scheduled_jobs()
        scheduler.release_locks()
        if queued_count(connection, queues):
            SimpleWorker(list(queues), connection=connection, job_class=Job).work(burst=True)
        elif not scheduled_count(connection, queues):
            return
        else:
            time.sleep(0.1)  # a retry waiting out its backoff
    raise AssertionError("the queues did not drain in time")
