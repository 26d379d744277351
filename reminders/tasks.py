"""Celery entry points: thin, each calls one function of dispatch or services."""

import time

from celery import shared_task
from django.utils import timezone

from reminders import dispatch, services, sweep_record


@shared_task(name="reminders.sweep", ignore_result=True)
def sweep_reminders() -> int:
    """One sweep, recorded when it has finished: /healthz judges beat by that record."""
    started = time.perf_counter()
    claimed = dispatch.sweep()
    sweep_record.record_sweep(duration=time.perf_counter() - started)
    return claimed


@shared_task(name="reminders.send", ignore_result=True, acks_late=True)
def send_reminders(pks: list[int] | int, token: str) -> dict[int, str]:
    if isinstance(pks, int):  # a task queued before reminders were bundled (one row each)
        pks = [pks]
    return dispatch.send(pks, token)


@shared_task(name="reminders.digest", ignore_result=True)
def send_daily_digest() -> int:
    planned = services.plan_digests(timezone.localdate())
    dispatch.sweep()
    return planned


@shared_task(name="reminders.monthly_report", ignore_result=True)
def send_monthly_reports() -> int:
    planned = services.plan_monthly_reports(timezone.localdate())
    dispatch.sweep()
    return planned
