"""Planning as the rest of the app asks for it: everything of one assignment after a write,
every deadline of a policy after it changed, the daily digests and the monthly reports, and
the last check at send time. What a deadline and a waiting delivery want is
reminders.deadlines' and reminders.decisions'; how rows are written, reminders.planning.

Every write of the record is audited, and every audit entry replans the assignment it names,
in the writer's transaction (receivers.py): no writer calls the deadline planning itself. Who
holds an approval task is the workflow's to know, so it tells plan_decision_waiting whom a
delivery waits for; this module imports only the registry (assignments)."""

from __future__ import annotations

import datetime as dt

from assignments.models import Assignment, Delivery, Milestone
from assignments.selectors import milestone_people

from . import calendar, watch_dates
from .deadlines import (
    escalation_recipients,
    plan_for_delivery_deadline,
    plan_for_milestone,
    stands_in_for,
)
from .decisions import has_answered, plan_decision_waiting, planned_recipients
from .models import DELIVERY_SUBJECT, Reminder
from .planning import DEADLINE_KINDS, at_hour


def replan_assignment(assignment: Assignment) -> None:
    """Everything of one assignment: its milestones, its deadline, its waiting delivery, the
    watch dates set on it."""
    if assignment.state in Assignment.WORKING_STATES:
        for milestone in assignment.milestones.select_related("assignment"):
            plan_for_milestone(milestone)
        plan_for_delivery_deadline(assignment)
    else:
        # A draft, a delivered or a closed assignment wants no deadline reminder: what planning
        # each deadline would conclude, in one query (an import audits every row it saves).
        Reminder.objects.filter(
            assignment=assignment, state=Reminder.State.PLANNED, kind__in=DEADLINE_KINDS
        ).update(state=Reminder.State.CANCELLED)
    for delivery in assignment.deliveries.all():
        plan_decision_waiting(delivery, waiting_for=planned_recipients(delivery))
    watch_dates.replan_watch_dates(assignment)


def replan_for_policy(subject: str) -> int:
    """After a policy changed: replan every open deadline it governs, so the planned rows
    follow the new lead times, hour and delays. Returns the number of deadlines replanned."""
    count = 0
    if subject == DELIVERY_SUBJECT:
        for assignment in Assignment.objects.filter(state__in=Assignment.WORKING_STATES):
            plan_for_delivery_deadline(assignment)
            count += 1
        for delivery in Delivery.objects.filter(
            status=Delivery.Status.SUBMITTED, assignment__state=Assignment.State.DELIVERED
        ).select_related("assignment"):
            plan_decision_waiting(delivery, waiting_for=planned_recipients(delivery))
            count += 1
        return count
    milestones = (
        Milestone.objects.filter(kind=subject, assignment__state__in=Assignment.WORKING_STATES)
        .exclude(status__in=Milestone.CLOSED_STATUSES)
        .select_related("assignment")
    )
    for milestone in milestones:
        plan_for_milestone(milestone)
        count += 1
    return count


def is_still_due(reminder: Reminder) -> bool:
    """A last check at send time: is the deadline still open and the person still concerned?"""
    if not reminder.recipient.is_active:
        return False
    if reminder.kind == Reminder.Kind.DIGEST:
        return reminder.recipient.wants_digest
    if reminder.kind == Reminder.Kind.MONTHLY_REPORT:
        return reminder.recipient.wants_monthly_report
    if reminder.is_event:
        from .events import still_wanted

        return still_wanted(reminder)
    if reminder.kind == Reminder.Kind.WATCH_DATE:
        # the person's own, whatever state the assignment is in, while they may see it
        return watch_dates.still_due(reminder)
    assignment = reminder.assignment
    if reminder.kind == Reminder.Kind.DECISION_WAITING:
        # Whom the delivery waits for was settled when it was last planned (every answer and
        # every hand-over of a task plans again); what can change after the claim is that the
        # recipient answers, or that the delivery is decided or returned.
        delivery = reminder.delivery
        return (
            assignment.state == Assignment.State.DELIVERED
            and delivery.status == Delivery.Status.SUBMITTED
            and not has_answered(delivery, reminder.recipient_id)
        )
    if assignment.state not in Assignment.WORKING_STATES:
        return False
    # The deadline still in force at the date it was planned for, and the recipient still one
    # of its people: replanning follows every write (receivers.py); this is the last word.
    if reminder.milestone_id:
        milestone = reminder.milestone
        in_force = not milestone.is_closed and milestone.due.isoformat() == reminder.due_version
        owners = milestone_people(milestone)
    else:
        in_force = (
            bool(assignment.delivery_due)
            and assignment.delivery_due.isoformat() == reminder.due_version
        )
        owners = [assignment.assignee_id]
    if reminder.kind == Reminder.Kind.ESCALATION:
        owners = escalation_recipients(assignment)
    # or the stand-in of one of them who is away today (deadlines._to_stand_ins)
    return in_force and (reminder.recipient_id in owners or stands_in_for(reminder) is not None)


def plan_digests(day: dt.date) -> int:
    """One digest row per person who wants one and has something to read about today."""
    from .digest import digest_recipients

    if not calendar.is_working_day(day):
        return 0
    created = 0
    for person in digest_recipients(day):
        _row, was_created = Reminder.objects.get_or_create(
            subject_key="digest",
            kind=Reminder.Kind.DIGEST,
            recipient=person,
            due_version=day.isoformat(),
            sequence=0,
            defaults={"planned_at": at_hour(day, 7), "due_date": day},
        )
        created += was_created
    return created


def plan_monthly_reports(day: dt.date) -> int:
    """One row per commissioner who wants the monthly report and has something in it: the
    återrapportering of the month before `day`'s, sent at 07:00 on the first working day of
    `day`'s month (1 January is a holiday: the 2nd, or the Monday after)."""
    from reports.report import commissioners_with_reports, previous_month

    start, end = previous_month(day)
    first = day.replace(day=1)
    send_on = first if calendar.is_working_day(first) else calendar.next_working_day(first)
    created = 0
    for person in commissioners_with_reports(start, end):
        _row, was_created = Reminder.objects.get_or_create(
            subject_key="monthly_report",
            kind=Reminder.Kind.MONTHLY_REPORT,
            recipient=person,
            due_version=f"{start:%Y-%m}",
            sequence=0,
            defaults={
                "planned_at": at_hour(send_on, 7),
                "due_date": end,
                "params": {"start": start.isoformat(), "end": end.isoformat()},
            },
        )
        created += was_created
    return created
