"""How planning writes the outbox: the planners of deadlines (reminders.deadlines) and of
decisions waiting (reminders.decisions) compute the rows they want, and `sync` makes the
planned rows of one subject exactly those. Planning is idempotent: it creates
the missing rows and cancels planned rows that are no longer wanted (a moved due date, a
finished milestone, a changed responsible person). Also here: the subject keys the rows are
filed under and the due revision of a deadline (its calendar event's SEQUENCE)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction

from assignments.models import Assignment, Delivery, Milestone, User

from .models import Reminder

DEADLINE_KINDS = (
    Reminder.Kind.BEFORE_DUE,
    Reminder.Kind.DUE_DAY,
    Reminder.Kind.OVERDUE,
    Reminder.Kind.ESCALATION,
)


@dataclass(frozen=True)
class Wanted:
    kind: str
    recipient_id: int
    due_version: str
    sequence: int
    planned_at: dt.datetime
    due_date: dt.date | None


def at_hour(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))


def milestone_key(milestone: Milestone) -> str:
    return f"milestone:{milestone.pk}"


def deadline_key(assignment: Assignment) -> str:
    return f"assignment:{assignment.pk}"


def delivery_key(delivery: Delivery) -> str:
    return f"delivery:{delivery.pk}"


def active(ids) -> list[int]:
    """The given people who can still sign in, in the given order, each once: a person
    who has left (deactivated, never deleted) gets no more reminders."""
    ids = list(dict.fromkeys(pk for pk in ids if pk is not None))
    active = set(User.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
    return [pk for pk in ids if pk in active]


def _due_revision(rows: list[Reminder], due_version: str) -> int:
    """The revision of a deadline planned for `due_version`: the latest revision if that is
    the version it was planned for, else one more (the due date moved, perhaps back to an
    earlier date: the revision still rises)."""
    latest = max(rows, key=lambda row: (row.due_revision, row.pk), default=None)
    if latest is None:
        return 0
    return latest.due_revision + (latest.due_version != due_version)


def current_due_revisions(deadlines: Mapping[str, dt.date]) -> dict[str, int]:
    """The due revision each deadline (subject key: its due date now) has: the SEQUENCE of its
    calendar event, by the rule that planned its reminders (_due_revision). One query."""
    rows: dict[str, list[Reminder]] = {key: [] for key in deadlines}
    for row in Reminder.objects.filter(
        subject_key__in=list(deadlines), kind__in=DEADLINE_KINDS
    ).only("pk", "subject_key", "due_version", "due_revision"):
        rows[row.subject_key].append(row)
    return {key: _due_revision(rows[key], due.isoformat()) for key, due in deadlines.items()}


def sync(*, subject_key: str, kinds, wanted: list[Wanted], links: dict) -> tuple[int, int]:
    """Make the planned rows of subject_key (of these kinds) exactly `wanted`."""
    keys = {(w.kind, w.recipient_id, w.due_version, w.sequence): w for w in wanted}
    rows = list(Reminder.objects.filter(subject_key=subject_key, kind__in=kinds))
    existing = {(r.kind, r.recipient_id, r.due_version, r.sequence): r for r in rows}
    revisions = {w.due_version: _due_revision(rows, w.due_version) for w in wanted}
    cancelled = 0
    for key, row in existing.items():
        if key not in keys and row.state == Reminder.State.PLANNED:
            row.state = Reminder.State.CANCELLED
            row.save(update_fields=["state"])
            cancelled += 1
    created = 0
    for key, w in keys.items():
        row = existing.get(key)
        if row is None:
            try:
                with transaction.atomic():
                    Reminder.objects.create(
                        subject_key=subject_key,
                        kind=w.kind,
                        recipient_id=w.recipient_id,
                        due_version=w.due_version,
                        due_revision=revisions[w.due_version],
                        sequence=w.sequence,
                        planned_at=w.planned_at,
                        due_date=w.due_date,
                        **links,
                    )
                created += 1
            except IntegrityError:
                pass  # planned concurrently by someone else: the constraint kept it once
        elif row.state == Reminder.State.CANCELLED:
            # Wanted again (a due date moved back): plan it anew, to go out with the other
            # reminders due then, not in the mail it was cancelled from.
            row.state = Reminder.State.PLANNED
            row.planned_at = w.planned_at
            row.due_revision = revisions[w.due_version]
            row.bundle = None
            row.save(update_fields=["state", "planned_at", "due_revision", "bundle"])
            created += 1
        elif (
            row.state == Reminder.State.PLANNED
            and row.attempts == 0  # a retry keeps its back-off
            and row.planned_at != w.planned_at
        ):
            # The same reminder at another time (the policy's hour or escalation delay changed).
            row.planned_at = w.planned_at
            row.save(update_fields=["planned_at"])
    return created, cancelled
