"""Background tasks on Django's Tasks API (the django-tasks backport; `django.tasks` from Django 6).

Defining and enqueuing a task (docs/deploying.md, "Background tasks"):

    from pipeline.queue import background_task, enqueue, enqueue_after_commit

    @background_task(retries=5, backoff=30, queue_name="mail")
    def deliver_webhook(delivery_id):
        ...  # idempotent: it may run more than once

    enqueue_after_commit(deliver_webhook, delivery.pk)  # from inside a transaction
    enqueue(deliver_webhook, delivery.pk)               # outside one

Arguments are JSON values (ids, not model instances). With a queue configured (TASKS_BACKEND=rq)
tasks go to RQ on Redis and `manage.py worker` runs them; otherwise (make run, tests) the immediate
backend runs each one at once in the caller's process.

Retries: when a task raises, it queues itself again after backoff * 2**(attempt-1) seconds until
`retries` are spent; the last failure is recorded as a TaskFailure (the pipeline health page lists
them, the admin keeps them). The immediate backend cannot defer work, so there the first failure is
recorded at once and the caller carries on.
"""

import functools
import logging
from datetime import timedelta
from traceback import format_exc

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import TaskResultStatus, task, task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.signals import task_finished
from redis.exceptions import RedisError

from .models import TaskFailure

logger = logging.getLogger("pipeline.queue")

ATTEMPT = "_attempt"  # the hidden keyword argument carrying the attempt number of a retry


def background_task(*, retries=3, backoff=30, queue_name="default", priority=0):
    """Decorate a module-level function as a Task that is retried with exponential backoff."""

    def decorate(func):
        @functools.wraps(func)
        def run(*args, **kwargs):
            attempt = kwargs.pop(ATTEMPT, 1)
            try:
                if runs_in_process(the_task):
                    # In the caller's transaction: a database error must roll back the task, not it.
                    with transaction.atomic():
                        return func(*args, **kwargs)
                return func(*args, **kwargs)
            except Exception as error:
                backend = task_backends[the_task.backend]
                if attempt > retries or not backend.supports_defer:
                    record_failure(
                        the_task.module_path, args, {**kwargs, ATTEMPT: attempt},
                        f"{type(error).__name__}: {error}", format_exc(),
                    )
                    raise
                delay = backoff * 2 ** (attempt - 1)
                logger.warning(
                    "task %s failed (attempt %s of %s), retrying in %ss: %r",
                    the_task.module_path, attempt, retries + 1, delay, error,
                )
                retry = the_task.using(run_after=timezone.now() + timedelta(seconds=delay))
                enqueue(retry, *args, **{**kwargs, ATTEMPT: attempt + 1})
                return None

        run.records_own_failures = True  # with the exception itself, which the signal lacks on RQ
        the_task = task(queue_name=queue_name, priority=priority)(run)
        return the_task

    return decorate


def runs_in_process(the_task):
    """True for the immediate backend, which runs a task inside enqueue(), in this transaction."""
    return isinstance(task_backends[the_task.backend], ImmediateBackend)


def enqueue(the_task, *args, **kwargs):
    """Queue `the_task`; returns its TaskResult, or None when the queue is unreachable.

    An unreachable queue must not fail the request that wanted the work done: it is logged and
    recorded as a TaskFailure, and the periodic sweeps (pipeline/schedule.py) catch up later.
    """
    try:
        return the_task.enqueue(*args, **kwargs)
    except (RedisError, OSError) as error:
        logger.error("could not queue %s: %r", the_task.module_path, error)
        record_failure(the_task.module_path, args, kwargs, f"Could not be queued: {error!r}")
        return None


def enqueue_after_commit(the_task, *args, **kwargs):
    """Queue `the_task` once the current transaction commits, so a worker sees the rows it needs.

    The immediate backend runs the task now instead: it works inside this transaction and so sees
    them already (and tests, which never commit, still run it).
    """
    if runs_in_process(the_task):
        return enqueue(the_task, *args, **kwargs)
    transaction.on_commit(functools.partial(enqueue, the_task, *args, **kwargs), robust=True)
    return None


def record_failure(task_name, args, kwargs, error, traceback="", task_id=""):
    try:
        return record_failure_row(task_name, args, kwargs, error, traceback, task_id)
    except Exception:  # recording must never turn one failure into two (a database outage, say)
        logger.exception("could not record the failure of %s", task_name)
        return None


@transaction.atomic
def record_failure_row(task_name, args, kwargs, error, traceback, task_id):
    return TaskFailure.objects.create(
        task_name=task_name[:255],
        task_id=task_id,
        arguments={"args": list(args), "kwargs": {k: v for k, v in kwargs.items() if k != ATTEMPT}},
        error=error[:500],
        traceback=traceback,
        attempts=kwargs.get(ATTEMPT, 1),
    )


@receiver(task_finished)
def record_final_failure(sender, task_result, **kwargs):
    """A plain @task (not a background_task) that failed becomes a TaskFailure too."""
    if task_result.status != TaskResultStatus.FAILED or getattr(task_result.task.func, "records_own_failures", False):
        return
    last_error = task_result.errors[-1] if task_result.errors else None
    traceback = last_error.traceback if last_error else ""
    summary = traceback.strip().splitlines()[-1] if traceback.strip() else "failed"
    task_name = task_result.task.module_path
    record_failure(task_name, task_result.args, task_result.kwargs, summary, traceback, task_result.id)
