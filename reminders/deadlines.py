"""The reminders of a deadline (a milestone's, or the final delivery's "senast"): before it,
on its day, after it (weekly) to the assignee and the responsible person, and the escalation
to the commissioners and decision-makers; and whether one of them is still due at send time."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from assignments.models import Absence, Assignment, Milestone
from assignments.selectors import absent_from, absent_with_stand_ins, milestone_people

from . import calendar
from .models import DELIVERY_SUBJECT, Reminder, ReminderPolicy
from .planning import (
    DEADLINE_KINDS,
    Wanted,
    active,
    at_hour,
    deadline_key,
    milestone_key,
    sync,
)


def escalation_recipients(assignment: Assignment) -> list[int]:
    return active(
        [
            *assignment.commissioners.values_list("pk", flat=True),
            *assignment.decision_makers.values_list("pk", flat=True),
        ]
    )


def _deadline_wanted(
    *, subject_key: str, due: dt.date, owner_ids: list[int], assignment: Assignment, policy
) -> list[Wanted]:
    """The before/on/after-due and escalation rows for one deadline: the due and overdue
    ones to each of `owner_ids` (the assignee and the responsible person), the escalation to
    the commissioners and decision-makers.

    Heads-up reminders whose day has passed are not planned: a reminder that a deadline is
    ten days away is noise once it is three days away. A deadline that had already passed
    when the assignment was registered gets none at all (#18: most assignments enter Uppdrag
    after work has begun; the registrar says on registration what is done).
    """
    if passed_before_registration(due, assignment):
        return []
    wanted = []
    for owner_id in owner_ids:
        wanted += _owner_wanted(subject_key=subject_key, due=due, owner_id=owner_id, policy=policy)
    if policy.escalate_after_working_days:
        when = at_hour(
            calendar.add_working_days(due, policy.escalate_after_working_days), policy.send_hour
        )
        wanted += [
            Wanted(Reminder.Kind.ESCALATION, pk, due.isoformat(), 0, when, due)
            for pk in escalation_recipients(assignment)
        ]
    return wanted + _to_stand_ins(wanted)


def _to_stand_ins(wanted: list[Wanted]) -> list[Wanted]:
    """The same reminders to the stand-in of each recipient who is away on the day it goes out
    (their absence, assignments.models.Absence): the one place a reminder's recipients grow by
    an absence. A stand-in who gets the reminder in their own right gets it once. Setting or
    ending an absence replans (receivers.py); is_still_due asks stands_in_for at send time."""
    people = {w.recipient_id for w in wanted}
    if not people or not absent_from(people):
        return []  # the usual case: one query
    away_on: dict[dt.date, dict[int, Absence]] = {}
    copies = []
    for w in wanted:
        day = timezone.localdate(w.planned_at)
        if day not in away_on:
            away_on[day] = absent_with_stand_ins(people, day)
        absence = away_on[day].get(w.recipient_id)
        if absence is not None and absence.stand_in_id not in people:
            copies.append(
                Wanted(
                    w.kind, absence.stand_in_id, w.due_version, w.sequence, w.planned_at, w.due_date
                )
            )
    return copies


def stands_in_for(reminder: Reminder) -> Absence | None:
    """The absence for which the reminder's recipient gets it, as the stand-in of one of the
    deadline's people away today (_to_stand_ins); None when it is their own."""
    people = reminder_people(reminder)
    if reminder.recipient_id in people:
        return None
    for absence in absent_with_stand_ins(people).values():
        if absence.stand_in_id == reminder.recipient_id:
            return absence
    return None


def reminder_people(reminder: Reminder) -> list[int]:
    """Whom a deadline reminder of this kind is for in their own right, now: the escalation's
    commissioners and decision-makers, else the deadline's people."""
    if reminder.kind == Reminder.Kind.ESCALATION:
        return escalation_recipients(reminder.assignment)
    if reminder.milestone_id:
        return milestone_people(reminder.milestone)
    return [reminder.assignment.assignee_id]


def passed_before_registration(due: dt.date, assignment: Assignment) -> bool:
    """Whether a deadline lay in the past on the day the assignment was registered."""
    return due < timezone.localdate(assignment.created_at)


def _owner_wanted(*, subject_key: str, due: dt.date, owner_id: int, policy) -> list[Wanted]:
    version = due.isoformat()
    hour = policy.send_hour
    today = timezone.localdate()
    wanted = [
        Wanted(
            Reminder.Kind.BEFORE_DUE,
            owner_id,
            version,
            days,
            at_hour(calendar.working_days_before(due, days), hour),
            due,
        )
        for days in sorted(set(policy.lead_working_days), reverse=True)
    ]
    if policy.remind_on_due_day:
        wanted.append(
            Wanted(
                Reminder.Kind.DUE_DAY,
                owner_id,
                version,
                0,
                at_hour(calendar.working_day_on_or_before(due), hour),
                due,
            )
        )
    wanted = [w for w in wanted if w.planned_at.date() >= today]
    if policy.remind_overdue:
        first = at_hour(calendar.next_working_day(due), hour)
        wanted.append(Wanted(Reminder.Kind.OVERDUE, owner_id, version, 0, first, due))
        # Weekly after that: the next one is planned when the previous one has gone out, so a
        # long outage never turns into a burst of old reminders.
        last_sent = (
            Reminder.objects.filter(
                subject_key=subject_key,
                kind=Reminder.Kind.OVERDUE,
                recipient_id=owner_id,
                due_version=version,
                state=Reminder.State.SENT,
            )
            .order_by("-sequence")
            .first()
        )
        if last_sent is not None:
            # A week after it actually went out, so catching up after downtime sends one; a
            # week that ends on a weekend or holiday goes on to the next working day.
            base = max(last_sent.planned_at, last_sent.sent_at or last_sent.planned_at)
            day = timezone.localdate(base) + dt.timedelta(days=policy.overdue_repeat_days)
            if not calendar.is_working_day(day):
                day = calendar.next_working_day(day)
            wanted.append(
                Wanted(
                    Reminder.Kind.OVERDUE,
                    owner_id,
                    version,
                    last_sent.sequence + 1,
                    at_hour(day, hour),
                    due,
                )
            )
    return wanted


def plan_for_milestone(milestone: Milestone) -> tuple[int, int]:
    """Plan (or cancel) the reminders of one milestone; returns (planned, cancelled)."""
    assignment = milestone.assignment
    wanted: list[Wanted] = []
    if assignment.state in Assignment.WORKING_STATES and not milestone.is_closed:
        wanted = _deadline_wanted(
            subject_key=milestone_key(milestone),
            due=milestone.due,
            owner_ids=active(milestone_people(milestone)),
            assignment=assignment,
            policy=ReminderPolicy.for_subject(milestone.kind),
        )
    return sync(
        subject_key=milestone_key(milestone),
        kinds=DEADLINE_KINDS,
        wanted=wanted,
        links={"assignment": assignment, "milestone": milestone},
    )


def plan_for_delivery_deadline(assignment: Assignment) -> tuple[int, int]:
    """Plan the reminders of the final-delivery deadline ("senast 2025-12-01")."""
    wanted: list[Wanted] = []
    if assignment.state in Assignment.WORKING_STATES and assignment.delivery_due:
        wanted = _deadline_wanted(
            subject_key=deadline_key(assignment),
            due=assignment.delivery_due,
            owner_ids=active([assignment.assignee_id]),
            assignment=assignment,
            policy=ReminderPolicy.for_subject(DELIVERY_SUBJECT),
        )
    return sync(
        subject_key=deadline_key(assignment),
        kinds=DEADLINE_KINDS,
        wanted=wanted,
        links={"assignment": assignment},
    )


def plan_follow_up(reminder: Reminder) -> None:
    """After a reminder went out: plan what follows it (the next weekly overdue one)."""
    if reminder.kind != Reminder.Kind.OVERDUE:
        return
    if reminder.milestone_id:
        plan_for_milestone(
            Milestone.objects.select_related("assignment").get(pk=reminder.milestone_id)
        )
    elif reminder.assignment_id:
        plan_for_delivery_deadline(Assignment.objects.get(pk=reminder.assignment_id))
