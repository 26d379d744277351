"""The audit trail as an export for registrars and auditors: every entry of an assignment, of
a unit (its assignments and those of the units under it) or of a period, as CSV (cells
neutralised against formulas, assignments/exports.py) or JSON. Each row carries the entry's
hashes, so an auditor can check the chain (assignments/audit.py) outside Uppdrag."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone

from assignments import exports
from assignments.models import Assignment, AuditEntry, OrgUnit

HEADER = (
    "id",
    "tidpunkt",
    "utförd av",
    "diarienummer",
    "händelse",
    "objekttyp",
    "objekt-id",
    "objekt",
    "före",
    "efter",
    "motivering",
    "föregående kontrollsumma",
    "kontrollsumma",
)


def unit_and_below(unit: OrgUnit) -> list[int]:
    """The unit's pk and those of every unit under it."""
    found, frontier = [unit.pk], [unit.pk]
    while frontier:
        frontier = list(OrgUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        found.extend(frontier)
    return found


def entries(
    *,
    assignments: list[Assignment] | None = None,
    unit: OrgUnit | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """The entries of some assignments (the versions of one diarienummer), a unit, a period
    (both days included), or any of these together, in the chain's order."""
    found = AuditEntry.objects.select_related("actor", "assignment").order_by("id")
    if assignments is not None:
        found = found.filter(assignment__in=assignments)
    if unit is not None:
        found = found.filter(assignment__issuing_unit_id__in=unit_and_below(unit))
    zone = timezone.get_current_timezone()
    if start is not None:
        found = found.filter(occurred_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=zone))
    if end is not None:
        found = found.filter(
            occurred_at__lt=dt.datetime.combine(
                end + dt.timedelta(days=1), dt.time.min, tzinfo=zone
            )
        )
    return found


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def rows(found) -> Iterator[tuple]:
    for entry in found.iterator(chunk_size=2000):
        yield (
            entry.pk,
            entry.occurred_at.isoformat(),
            str(entry.actor) if entry.actor_id else "",
            entry.assignment.registration_number if entry.assignment_id else "",
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.object_repr,
            _json(entry.before),
            _json(entry.after),
            entry.reason,
            entry.previous_hash,
            entry.entry_hash,
        )


def as_json(found) -> list[dict]:
    """The entries as JSON objects, before and after as the values they are."""
    return [
        {
            "id": e.pk,
            "occurred_at": e.occurred_at.isoformat(),
            "actor": str(e.actor) if e.actor_id else None,
            "actor_id": e.actor_id,
            "registration_number": e.assignment.registration_number if e.assignment_id else None,
            "assignment_id": e.assignment_id,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "object_repr": e.object_repr,
            "before": e.before,
            "after": e.after,
            "reason": e.reason,
            "previous_hash": e.previous_hash,
            "entry_hash": e.entry_hash,
        }
        for e in found.iterator(chunk_size=2000)
    ]


def response(found, fmt: str, filename: str) -> HttpResponse:
    """The download: CSV through the project's neutralising writer, or JSON."""
    if fmt == "csv":
        return exports.csv_response(filename, HEADER, rows(found))
    body = json.dumps(as_json(found), ensure_ascii=False, indent=2)
    download = HttpResponse(body, content_type="application/json; charset=utf-8")
    download["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return download
