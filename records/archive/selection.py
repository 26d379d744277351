"""Which closed assignments to pack: by unit (and the units under it) and by the day they were
closed (the last change of state: a decision, a cancellation, a supersession)."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from assignments.models import Assignment, AuditEntry, OrgUnit
from records.audit_export import unit_and_below

from .package import CLOSED_STATES

CLOSING_ACTIONS = ("assignment.state_changed", "decision.recorded", "assignment.superseded")


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def closed_assignments(
    *,
    unit: OrgUnit | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[Assignment]:
    """Closed assignments with `closed_at` (when they were closed), in that order, those of
    `unit` and the units under it, closed from `start` to `end` (both days included)."""
    closed_at = (
        AuditEntry.objects.filter(assignment=OuterRef("pk"), action__in=CLOSING_ACTIONS)
        .order_by("-occurred_at", "-id")
        .values("occurred_at")[:1]
    )
    found = (
        Assignment.objects.filter(state__in=CLOSED_STATES)
        .select_related("issuing_unit")
        .annotate(closed_at=Subquery(closed_at))
        .order_by("closed_at", "registration_number", "pk")
    )
    if unit is not None:
        found = found.filter(issuing_unit_id__in=unit_and_below(unit))
    if start is not None:
        found = found.filter(closed_at__gte=_day_start(start))
    if end is not None:
        found = found.filter(closed_at__lt=_day_start(end + dt.timedelta(days=1)))
    return found


def closed_in_year(year: int) -> QuerySet[Assignment]:
    return closed_assignments(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
