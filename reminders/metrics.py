"""The reminders' Prometheus metrics, read from the outbox and the sweep's record at scrape time.

The reminders are sent by Celery workers, other processes than the web server that answers
/metrics, and in docker-compose.yml other containers (two workers). Counters kept in the
workers' memory would need prometheus_client's multiprocess mode, whose files are named by
process id in a folder every process shares: containers reuse the same ids (each worker is
pid 1 in its own), so two would write one file, and the counts would be lost with a worker's
restart anyway. The outbox already holds the truth, one row per reminder that is never
deleted, so the counters are counted from it when Prometheus asks (one GROUP BY per scrape);
the sweep's durations are kept beside its last finish time (config/checks.py).

A counter can go down in one case: the admin's "Försök skicka igen" takes a failed row back
(failed − 1, and its attempts start again from zero). Prometheus reads a drop as a restart of
the counter, so rate() and increase() stay right.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from reminders import sweep_record

from .selectors import outbox_backlog, outbox_totals

CHANNEL_KIND = ["channel", "kind"]


class OutboxCollector(Collector):
    """The reminders sent, failed and retried (by channel and kind), the outbox's backlog and
    the sweep's duration."""

    def describe(self) -> list[Metric]:
        # Named here, so that registering the collector does not run collect() (no query at
        # start-up, before the tables may exist).
        return list(self._families())

    def collect(self) -> Iterator[Metric]:
        sent, failed, retried, backlog, oldest, duration, finished = self._families()
        for totals in outbox_totals():
            sent.add_metric(["mail", totals.kind], totals.sent_by_mail)
            sent.add_metric(["in_app", totals.kind], totals.sent_in_app)
            failed.add_metric(["mail", totals.kind], totals.failed)
            retried.add_metric(["mail", totals.kind], totals.retried)
        now = timezone.now()
        waiting = outbox_backlog(now)
        backlog.add_metric(["planned"], waiting.planned)
        backlog.add_metric(["sending"], waiting.sending)
        age = (now - waiting.oldest_due).total_seconds() if waiting.oldest_due else 0.0
        oldest.add_metric([], max(age, 0.0))
        buckets, total = sweep_record.sweep_histogram()
        cumulative, running = [], 0
        for bound, count in buckets:
            running += count
            cumulative.append(("+Inf" if bound == float("inf") else str(bound), running))
        duration.add_metric([], cumulative, total)
        if record := sweep_record.last_sweep():
            finished.add_metric([], record[0].timestamp())
        yield from (sent, failed, retried, backlog, oldest, duration, finished)

    @staticmethod
    def _families() -> tuple[Metric, ...]:
        return (
            CounterMetricFamily(
                "uppdrag_reminders_sent",
                "Reminders delivered, by channel (mail: accepted by the mail server; in_app: "
                "shown in the app) and kind.",
                labels=CHANNEL_KIND,
            ),
            CounterMetricFamily(
                "uppdrag_reminders_failed",
                "Reminders whose e-mail failed for good (refused, or out of attempts).",
                labels=CHANNEL_KIND,
            ),
            CounterMetricFamily(
                "uppdrag_reminders_retried",
                "Attempts to send a reminder's e-mail that ended in a retry after a back-off.",
                labels=CHANNEL_KIND,
            ),
            GaugeMetricFamily(
                "uppdrag_outbox_backlog",
                "Reminders due and not sent: planned and due, or claimed and being sent.",
                labels=["state"],
            ),
            GaugeMetricFamily(
                "uppdrag_outbox_oldest_due_age_seconds",
                "How long the oldest reminder that is due and not sent has waited (0: none).",
            ),
            HistogramMetricFamily(
                "uppdrag_reminder_sweep_duration_seconds",
                "How long the reminder sweep (every minute, by beat) took.",
            ),
            GaugeMetricFamily(
                "uppdrag_reminder_sweep_last_finished_timestamp_seconds",
                "When the last reminder sweep finished (Unix time).",
            ),
        )
