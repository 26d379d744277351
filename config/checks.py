"""Is the reminder machinery working? The checks behind /healthz and `manage.py healthcheck`.

Each check answers in a few milliseconds and never hangs: the broker is pinged with a short
timeout, the outbox is read on its partial indexes. A check's result names its state and a few
numbers, never an address, a host name or an error message (those can carry a password or the
layout of the network): an error is named by its class only.

Whether "the sweep ran" is known from the sweep itself: the `reminders.sweep` task records
when it finished (`record_sweep`, in the cache, which web and worker share: Redis in
production, files under var/ for `make run`). beat's own `PeriodicTask.last_run_at`
(django-celery-beat) was not chosen: it says that beat *sent* the task, not that a worker ran
it, and beat writes it to the database only every three minutes (its sync interval), so it
would lag behind a five-minute threshold by more than half of it. The finish time proves
beat, the broker, a worker and the database all did their part.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone
from redis.backoff import NoBackoff
from redis.retry import Retry

from reminders import relay_record, sweep_record
from reminders.selectors import outbox_backlog


@dataclass
class Check:
    """One check's answer: ok or not, and what it measured (JSON-ready)."""

    name: str
    ok: bool
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"state": "ok" if self.ok else "fail", **self.details}


# -- the checks ----------------------------------------------------------------------------------


def check_database(now: dt.datetime) -> Check:
    """The database answers a query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return Check("database", True)


@functools.lru_cache(maxsize=4)
def _redis_client(url: str, timeout: float):
    """One client (with its connection pool) per broker address, kept between checks: a ping is
    then one round trip, and the pool connects again after Redis comes back."""
    # no retries: a check that fails is answered at once, the next check asks again
    return redis.Redis.from_url(
        url, socket_connect_timeout=timeout, socket_timeout=timeout, retry=Retry(NoBackoff(), 0)
    )


def check_broker(now: dt.datetime) -> Check:
    """The Celery broker is reachable: Redis answers PING within HEALTH_REDIS_TIMEOUT seconds;
    the filesystem broker of `make run` has its queue folder."""
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
        return Check("broker", os.access(folder, os.W_OK), {"transport": "filesystem"})
    if url.split("://", 1)[0] in ("redis", "rediss"):
        _redis_client(url, settings.HEALTH_REDIS_TIMEOUT).ping()
        return Check("broker", True, {"transport": "redis"})
    from kombu import Connection

    with Connection(url, connect_timeout=settings.HEALTH_REDIS_TIMEOUT) as broker:
        broker.ensure_connection(max_retries=1)
    return Check("broker", True, {"transport": url.split("://", 1)[0]})


def check_sweep(now: dt.datetime) -> Check:
    """The last sweep finished less than HEALTH_SWEEP_MAX_MINUTES ago (beat sends one a
    minute)."""
    limit = settings.HEALTH_SWEEP_MAX_AGE
    details: dict[str, Any] = {"max_age_seconds": int(limit.total_seconds())}
    record = sweep_record.last_sweep()
    if record is None:
        return Check("sweep", False, {**details, "age_seconds": None})
    finished_at, duration = record
    age = max(now - finished_at, dt.timedelta(0))
    details.update(age_seconds=int(age.total_seconds()), duration_seconds=round(duration, 3))
    return Check("sweep", age < limit, details)


def check_outbox(now: dt.datetime) -> Check:
    """The oldest reminder that is due and not sent has waited less than
    HEALTH_OUTBOX_MAX_DELAY_MINUTES; the backlog's size is reported, not judged (a burst under
    EMAIL_RATE_LIMIT is long and healthy)."""
    limit = settings.HEALTH_OUTBOX_MAX_DELAY
    backlog = outbox_backlog(now)
    age = max(now - backlog.oldest_due, dt.timedelta(0)) if backlog.oldest_due else None
    details = {
        "backlog": backlog.count,
        "oldest_due_age_seconds": int(age.total_seconds()) if age is not None else None,
        "max_age_seconds": int(limit.total_seconds()),
    }
    return Check("outbox", age is None or age < limit, details)


def check_relay(now: dt.datetime) -> Check:
    """The mail relay took the last mail handed to it: a refusal for now (4xx) or a relay not
    reached fails this until a mail goes through (the outbox check cannot see it: refused rows
    wait out their back-off as planned). None handed yet is no failure."""
    record = relay_record.last_handoff()
    if record is None:
        return Check("relay", True, {"age_seconds": None})
    accepted, at = record
    age = max(now - at, dt.timedelta(0))
    return Check("relay", accepted, {"age_seconds": int(age.total_seconds())})


CHECKS: dict[str, Callable[[dt.datetime], Check]] = {
    "database": check_database,
    "broker": check_broker,
    "sweep": check_sweep,
    "outbox": check_outbox,
    "relay": check_relay,
}


def run_checks(names: list[str] | None = None) -> list[Check]:
    """Run the named checks (all by default), each on its own: one that raises is a failed check
    named by its error's class, and the others still run."""
    now = timezone.now()
    results = []
    for name in names or CHECKS:
        started = time.perf_counter()
        try:
            check = CHECKS[name](now)
        except Exception as error:  # noqa: BLE001 - any error means "not working", by its class
            check = Check(name, False, {"error": type(error).__name__})
        check.details["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results.append(check)
    return results
