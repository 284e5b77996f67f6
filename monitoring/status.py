"""The pipeline's health in one dictionary: the admin page, the JSON endpoint and the metrics read it.

Per source: the last item received and its ingest lag (received minus the agency's version time),
items failed in the last hour and day with their reasons, each intake's state. Then task failures,
stories past their publish time but still held back, the rendition backlog, the newsletter queue,
the queues themselves and the heartbeats of the scheduler and the workers. A part that cannot be
asked (the queue's Redis down) is reported as such, never raised.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from articles.models import Article, Source
from articles.renditions import photos_missing_renditions
from newsletter.models import Delivery, Edition, SignupMail
from newsletter.sending import pending_recipients
from pipeline.models import Heartbeat, TaskFailure
from wire.models import Intake, IntakeFailure, WireVersion

logger = logging.getLogger("monitoring")

SCHEDULER_QUIET = 120  # seconds without a scheduler heartbeat before the pipeline counts as degraded
WORKER_QUIET = 180
RECENT_REASONS = 5


def iso(moment):
    return moment.isoformat() if moment else None


def age(moment, now):
    return round((now - moment).total_seconds()) if moment else None


def source_status(now):
    hour, day = now - timedelta(hours=1), now - timedelta(days=1)
    sources = Source.objects.filter(Q(intakes__isnull=False) | Q(articles__wire_versions__isnull=False)).distinct()
    failures = IntakeFailure.objects.filter(failed_at__gte=day).select_related("intake")
    by_source = {}
    for failure in failures.order_by("-failed_at"):
        by_source.setdefault(failure.intake.source_id, []).append(failure)
    intakes = {}
    for intake in Intake.objects.all():
        intakes.setdefault(intake.source_id, []).append(intake)
    rows = []
    for source in sources.order_by("name"):
        last = (WireVersion.objects.filter(article__source=source).order_by("-ingested_at")
                .values("guid", "ingested_at", "version_created").first())
        lag = None
        if last and last["version_created"]:
            lag = round((last["ingested_at"] - last["version_created"]).total_seconds())
        recent = by_source.get(source.pk, [])
        rows.append({
            "source": source.name,
            "last_item": last["guid"] if last else None,
            "last_item_at": iso(last["ingested_at"]) if last else None,
            "last_item_age_seconds": age(last["ingested_at"], now) if last else None,
            "ingest_lag_seconds": lag,
            "failed_last_hour": sum(1 for f in recent if f.failed_at >= hour),
            "failed_last_day": len(recent),
            "recent_failures": [
                {"item": f.item, "reason": f.reason, "at": iso(f.failed_at)} for f in recent[:RECENT_REASONS]
            ],
            "intakes": [
                {"kind": i.kind, "location": i.location, "enabled": i.enabled,
                 "last_success_at": iso(i.last_success_at), "consecutive_failures": i.consecutive_failures,
                 "last_error": i.last_error, "next_poll_at": iso(i.next_poll_at)}
                for i in intakes.get(source.pk, [])
            ],
        })
    return rows


def task_failures(now):
    recent = TaskFailure.objects.since(now - timedelta(days=1))
    return {
        "last_hour": recent.filter(failed_at__gte=now - timedelta(hours=1)).count(),
        "last_day": recent.count(),
        "recent": [
            {"task": f.task_name, "error": f.error, "attempts": f.attempts, "at": iso(f.failed_at)}
            for f in recent[:10]
        ],
    }


def held_back_stories(now):
    """Stories whose publish time has passed but that readers still cannot see (an embargo holds them).

    Scheduled stories need no worker to appear (published() admits them at their time), so a story
    is only ever late because something holds it: that is what the desk needs to see.
    """
    held = (Article.objects.filter(status=Article.Status.PUBLISHED, published_at__lte=now, embargo_until__gt=now)
            .order_by("published_at").values("pk", "headline", "published_at", "embargo_until"))
    return [
        {"id": a["pk"], "headline": a["headline"], "publish_at": iso(a["published_at"]),
         "embargo_until": iso(a["embargo_until"]), "overdue_seconds": age(a["published_at"], now)}
        for a in held[:20]
    ]


def newsletter_status(now):
    editions = Edition.objects.filter(Q(completed_at__isnull=True) | Q(created_at__gte=now - timedelta(days=1)))
    editions = editions.annotate(
        sent=Count("deliveries", filter=Q(deliveries__sent_at__isnull=False)),
        interrupted=Count("deliveries", filter=Q(deliveries__sent_at__isnull=True)),
        last_sent_at=Max("deliveries__sent_at"),
    )
    return {
        "editions": [
            {"key": e.key, "completed": e.completed_at is not None, "sent": e.sent, "interrupted": e.interrupted,
             "pending": 0 if e.completed_at else pending_recipients(e).count(), "last_sent_at": iso(e.last_sent_at)}
            for e in editions.order_by("-created_at")[:5]
        ],
        "signup_mails_waiting": SignupMail.objects.filter(sent_at__isnull=True).count(),
        "deliveries_last_hour": Delivery.objects.filter(sent_at__gte=now - timedelta(hours=1)).count(),
    }


def queue_status(now):
    """RQ's queues, failed registries and workers; {"backend": "immediate"} without a queue."""
    if settings.TASKS_BACKEND != "rq":
        return {"backend": "immediate", "queues": {}, "workers": []}
    try:
        import django_rq
        from rq import Worker

        connection = django_rq.get_connection("default")
        queues = {}
        for name in settings.TASK_QUEUES:
            queue = django_rq.get_queue(name)
            queues[name] = {"queued": queue.count, "deferred": queue.scheduled_job_registry.count,
                            "running": queue.started_job_registry.count, "failed": queue.failed_job_registry.count}
        workers = [
            {"name": w.name, "state": w.get_state(), "queues": w.queue_names(),
             "last_heartbeat": iso(w.last_heartbeat), "heartbeat_age_seconds": age(w.last_heartbeat, now)}
            for w in Worker.all(connection=connection)
        ]
        return {"backend": "rq", "queues": queues, "workers": workers}
    except Exception as error:  # noqa: BLE001 - the page must say the queue is unreachable, not fail
        logger.warning("pipeline health: queue unreachable: %r", error)
        return {"backend": "rq", "error": f"The queue cannot be reached: {type(error).__name__}", "queues": {},
                "workers": []}


def heartbeats(now):
    return {
        beat.name: {"at": iso(beat.beat_at), "age_seconds": age(beat.beat_at, now), "detail": beat.detail}
        for beat in Heartbeat.objects.filter(name__in=["scheduler", "worker"])
    }


def problems_in(status):
    found = []
    beats = status["heartbeats"]
    scheduler_age = beats.get("scheduler", {}).get("age_seconds")
    if status["queue"]["backend"] == "rq":
        if scheduler_age is None or scheduler_age > SCHEDULER_QUIET:
            found.append("The scheduler has not been heard from for over two minutes.")
        worker_age = beats.get("worker", {}).get("age_seconds")
        if worker_age is None or worker_age > WORKER_QUIET or not status["queue"]["workers"]:
            found.append("No worker has run a task for over three minutes.")
        if status["queue"].get("error"):
            found.append(status["queue"]["error"])
    for source in status["sources"]:
        if source["failed_last_hour"]:
            found.append(f"{source['source']}: {source['failed_last_hour']} items failed in the last hour.")
        for intake in source["intakes"]:
            if intake["consecutive_failures"]:
                found.append(f"{source['source']} {intake['kind']}: {intake['last_error']}")
    if status["task_failures"]["last_hour"]:
        found.append(f"{status['task_failures']['last_hour']} tasks failed for good in the last hour.")
    if status["held_back_stories"]:
        found.append(f"{len(status['held_back_stories'])} stories are past their publish time but held back.")
    return found


def pipeline_status(now=None):
    now = now or timezone.now()
    status = {
        "generated_at": iso(now),
        "sources": source_status(now),
        "task_failures": task_failures(now),
        "held_back_stories": held_back_stories(now),
        "renditions_backlog": photos_missing_renditions().count(),
        "newsletter": newsletter_status(now),
        "queue": queue_status(now),
        "heartbeats": heartbeats(now),
    }
    status["problems"] = problems_in(status)
    status["status"] = "degraded" if status["problems"] else "ok"
    return status
