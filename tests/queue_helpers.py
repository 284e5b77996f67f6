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


def seconds_to_next_deferred(connection, queues):
    """Seconds until the earliest deferred task is due (None when there is none)."""
    from rq import Queue

    times = []
    for name in queues:
        registry = Queue(name, connection=connection).scheduled_job_registry
        first = connection.zrange(registry.key, 0, 0, withscores=True)
        if first:
            times.append(first[0][1])
    return max(0.0, min(times) - time.time()) if times else None


def drain(connection, queues=("default", "media", "mail"), timeout=20):
    """Run every queued task in this process, and retries due within a couple of seconds.

    Returns once the queues are empty and nothing deferred is due soon (a retry waiting out a long
    backoff stays deferred: run_deferred_now() moves it in).
    """
    from django_tasks_rq import Job

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        scheduler = RQScheduler(list(queues), connection=connection)
        scheduler.acquire_locks()
        scheduler.enqueue_scheduled_jobs()
        scheduler.release_locks()
        if queued_count(connection, queues):
            SimpleWorker(list(queues), connection=connection, job_class=Job).work(burst=True)
            continue
        wait = seconds_to_next_deferred(connection, queues)
        if wait is None or wait > 2:
            return
        time.sleep(min(wait, 0.2) or 0.05)
    raise AssertionError("the queues did not drain in time")


def run_deferred_now(connection, queues=("default", "media", "mail")):
    """Move every deferred task (a retry waiting out its backoff) into its queue at once."""
    from rq import Queue

    for name in queues:
        queue = Queue(name, connection=connection)
        registry = queue.scheduled_job_registry
        for job_id in registry.get_job_ids():
            registry.remove(job_id)
            queue.enqueue_job(queue.fetch_job(job_id))


def worker_env(settings, **extra):
    """Environment for a `manage.py worker` subprocess on the test database and the test queue."""
    from django.db import connection

    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TASKS_BACKEND": "rq",
        "TASKS_REDIS_URL": TEST_QUEUE_URL,
        "SECRET_KEY": "test-only-not-secret",
        "DEBUG": "1",
        "LOG_FORMAT": "plain",
        **{name: str(value) for name, value in extra.items()},
    }


def descendants(pid):
    """Process ids of every process below `pid` (RQ forks a task's work horse in a session of its own)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parent = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_worker(process):
    """SIGKILL a worker we started and the task process it forked, by their ids."""
    import signal

    for pid in [*descendants(process.pid), process.pid]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
