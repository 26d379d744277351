"""When the sweep last finished and how long its runs took: written by the sweep task, read by
the health checks (config/checks.py) and /metrics (reminders/metrics.py). Kept in the cache,
which web and worker share (Redis in production, files under var/ for `make run`)."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

LAST_SWEEP = "reminders:sweep:last"
# The sweep's durations for the histogram of /metrics (reminders/metrics.py): one counter per
# bucket and the sum, kept beside the last sweep so that every process reads the same numbers.
SWEEP_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, float("inf"))
SWEEP_BUCKET_KEY = "reminders:sweep:bucket:{}"
SWEEP_SUM_KEY = "reminders:sweep:sum-ms"


def record_sweep(*, duration: float, finished_at: dt.datetime | None = None) -> None:
    """Record that a sweep finished (now, unless told) and how long it took (seconds)."""
    finished_at = finished_at or timezone.now()
    cache.set(LAST_SWEEP, {"finished_at": finished_at.timestamp(), "duration": duration}, None)
    bucket = next(bound for bound in SWEEP_BUCKETS if duration <= bound)
    for key, amount in (
        (SWEEP_BUCKET_KEY.format(bucket), 1),
        (SWEEP_SUM_KEY, round(duration * 1000)),
    ):
        # add() then incr(): the counter starts at 0 in a fresh cache; incr is atomic on Redis
        cache.add(key, 0, None)
        cache.incr(key, amount)


def last_sweep() -> tuple[dt.datetime, float] | None:
    """When the last sweep finished and how long it took, or None if none is recorded."""
    record = cache.get(LAST_SWEEP)
    if not record:
        return None
    finished_at = dt.datetime.fromtimestamp(record["finished_at"], tz=dt.UTC)
    return finished_at, record["duration"]


def sweep_histogram() -> tuple[list[tuple[float, int]], float]:
    """The recorded sweep durations as (upper bound, count in that bucket alone) and their sum in
    seconds. Counts start again from zero when the cache is emptied (Prometheus reads that as a
    restart of the counter)."""
    keys = [SWEEP_BUCKET_KEY.format(bound) for bound in SWEEP_BUCKETS]
    values = cache.get_many([*keys, SWEEP_SUM_KEY])
    counts = [
        (bound, int(values.get(key, 0))) for bound, key in zip(SWEEP_BUCKETS, keys, strict=True)
    ]
    return counts, int(values.get(SWEEP_SUM_KEY, 0)) / 1000
