"""The one scheduler: periodic tasks at their times, one active process, heartbeats."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from rq import Queue

from pipeline.models import Heartbeat
from pipeline.schedule import Leadership, build_scheduler, fire, newsletter_missed, periodic_jobs
from tests.queue_helpers import rq_backend  # noqa: F401

pytestmark = pytest.mark.django_db


def jobs():
    return {job.name: job for job in periodic_jobs()}


def test_the_daily_edition_is_scheduled_at_the_configured_time(settings):
    settings.NEWSLETTER_SEND_AT = "06:45"
    trigger = jobs()["daily newsletter"].trigger
    fields = {field.name: str(field) for field in trigger.fields}
    assert (fields["hour"], fields["minute"]) == ("6", "45")
    assert str(trigger.timezone) == settings.TIME_ZONE


def test_the_read_counts_are_flushed_every_minute_and_everything_has_a_task():
    from django.utils.module_loading import import_string

    assert jobs()["flush read counts"].trigger.interval.total_seconds() == 60
    for job in periodic_jobs():
        assert hasattr(import_string(job.task), "enqueue"), job.task


def test_a_periodic_job_is_queued_for_the_workers_and_the_scheduler_beats(rq_backend):  # noqa: F811
    fire(jobs()["flush read counts"])
    assert Queue("default", connection=rq_backend).count == 1
    assert Heartbeat.objects.get(name="scheduler").detail.endswith("queued flush read counts")


def test_only_one_scheduler_is_active_and_another_takes_over_when_it_dies(rq_backend):  # noqa: F811
    import time

    first, second = Leadership(rq_backend, ttl=1), Leadership(rq_backend, ttl=1)
    assert first.acquire(blocking=False)
    assert not second.acquire(blocking=False)
    first.renew()
    time.sleep(1.2)  # the first one stopped renewing (it died): its lock runs out
    assert second.acquire(blocking=False)
    with pytest.raises(Exception, match="lock"):
        first.renew()  # a scheduler that lost the lock finds out at its next renewal and stops
    second.release()


def test_the_lock_is_renewed_from_the_schedulers_job_threads(rq_backend):  # noqa: F811
    import threading
    import time

    leadership, standby = Leadership(rq_backend, ttl=2), Leadership(rq_backend, ttl=2)
    assert leadership.acquire(blocking=False)  # in the main thread, as `manage.py scheduler` does
    errors = []

    def renew():  # as the "renew lock" job does, in one of APScheduler's pool threads
        try:
            leadership.renew()
        except Exception as error:  # noqa: BLE001 - the test reports it
            errors.append(error)

    for _ in range(3):
        time.sleep(1)
        worker = threading.Thread(target=renew)
        worker.start()
        worker.join()
    assert errors == []
    assert not standby.acquire(blocking=False)  # 3 s on, past the 2 s TTL: still ours
    leadership.release()


def test_a_scheduler_started_after_the_send_time_still_sends_today(settings):
    settings.NEWSLETTER_SEND_AT = "07:00"
    seoul = ZoneInfo(settings.TIME_ZONE)
    assert newsletter_missed(datetime(2026, 12, 1, 7, 20, tzinfo=seoul))
    assert not newsletter_missed(datetime(2026, 12, 1, 6, 59, tzinfo=seoul))
    assert not newsletter_missed(datetime(2026, 12, 1, 23, 0, tzinfo=seoul))


def test_the_scheduler_registers_every_periodic_job_and_runs_the_sweeps_at_start():
    from apscheduler.triggers.interval import IntervalTrigger

    scheduler = build_scheduler(Leadership(None))
    names = {job.id for job in scheduler.get_jobs()}
    assert set(jobs()) <= names and {"heartbeat", "renew lock"} <= names
    # Before start() a job has a next_run_time only if one was given (else the trigger decides).
    first = {job.id: getattr(job, "next_run_time", None) for job in scheduler.get_jobs()}
    soon = datetime.now(ZoneInfo("UTC")).timestamp() + 5
    for job in periodic_jobs():
        starts_at_once = first[job.name] is not None and first[job.name].timestamp() < soon
        assert starts_at_once == isinstance(job.trigger, IntervalTrigger), job.name


def test_scheduler_once_runs_every_periodic_task_in_process():
    call_command("scheduler", once=True)
    assert Heartbeat.objects.filter(name="worker").exists()  # the heartbeat task ran
    assert Heartbeat.objects.filter(name="scheduler").exists()
