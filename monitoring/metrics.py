"""Prometheus metrics: django-prometheus's request latency and counts, plus the pipeline's gauges.

With PROMETHEUS_MULTIPROC_DIR set (docker/entrypoint.sh does for gunicorn) the request metrics of
every gunicorn worker process are added up; the pipeline gauges are read from the database and the
queue at scrape time.
"""

import os

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from .status import pipeline_status


class PipelineCollector:
    def collect(self):
        status = pipeline_status()
        yield GaugeMetricFamily("newsroom_pipeline_degraded", "1 when the health page lists problems",
                                value=int(status["status"] != "ok"))
        yield GaugeMetricFamily("newsroom_renditions_backlog", "Photos still without their renditions",
                                value=status["renditions_backlog"])
        yield GaugeMetricFamily("newsroom_task_failures_last_hour", "Tasks that failed for good in the last hour",
                                value=status["task_failures"]["last_hour"])
        yield GaugeMetricFamily("newsroom_held_back_stories", "Stories past their publish time, held by an embargo",
                                value=len(status["held_back_stories"]))
        pending = sum(e["pending"] for e in status["newsletter"]["editions"])
        yield GaugeMetricFamily("newsroom_newsletter_pending", "Recipients an unfinished edition has still to reach",
                                value=pending)
        yield GaugeMetricFamily("newsroom_signup_mails_waiting", "Sign-up mails waiting in the outbox",
                                value=status["newsletter"]["signup_mails_waiting"])
        queued = GaugeMetricFamily("newsroom_queue_tasks", "Tasks per queue and state", labels=["queue", "state"])
        for name, counts in status["queue"]["queues"].items():
            for state, value in counts.items():
                queued.add_metric([name, state], value)
        yield queued
        yield GaugeMetricFamily("newsroom_workers", "RQ workers registered", value=len(status["queue"]["workers"]))
        beats = GaugeMetricFamily("newsroom_heartbeat_age_seconds", "Seconds since the heartbeat", labels=["name"])
        for name, beat in status["heartbeats"].items():
            beats.add_metric([name], beat["age_seconds"])
        yield beats
        lag = GaugeMetricFamily("newsroom_ingest_lag_seconds", "Agency time to ingest of the last item",
                                labels=["source"])
        failed = GaugeMetricFamily("newsroom_ingest_failures_last_hour", "Items failed in the last hour",
                                   labels=["source"])
        for source in status["sources"]:
            if source["ingest_lag_seconds"] is not None:
                lag.add_metric([source["source"]], source["ingest_lag_seconds"])
            failed.add_metric([source["source"]], source["failed_last_hour"])
        yield lag
        yield failed


def exposition():
    """The metrics page's body: request metrics (all processes) and the pipeline's gauges."""
    pipeline = CollectorRegistry()
    pipeline.register(PipelineCollector())
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests = CollectorRegistry()
        MultiProcessCollector(requests)
    else:
        requests = REGISTRY
    return generate_latest(requests) + generate_latest(pipeline)
