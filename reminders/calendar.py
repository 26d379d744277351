"""The Swedish working-day calendar: weekends, public holidays and the de facto holidays
(midsommarafton, julafton, nyårsafton) that Swedish workplaces keep, from `holidays`."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from holidays.countries.sweden import Sweden  # noqa: F401  (loaded now, not in the first send)


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(
        "SE", years=year, categories=("public", "de_facto"), language="sv"
    )


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """The first working day after `day`."""
    return add_working_days(day, 1)


def working_day_on_or_before(day: dt.date) -> dt.date:
    """`day` itself if it is a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, n: int) -> dt.date:
    """Move n working days forward (n > 0) or back (n < 0) from `day`."""
    step = dt.timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_before(day: dt.date, n: int) -> dt.date:
    """The working day n working days before `day` (a due date on a weekend counts from
    the working day before it)."""
    return (
        add_working_days(working_day_on_or_before(day), -n) if n else working_day_on_or_before(day)
    )


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days come after `start` up to and including `end`."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day)
    return count
