"""Planning: which reminders should exist for a milestone, a delivery deadline or a delivery
waiting for decision, written as outbox rows. Planning is idempotent: it computes the wanted
rows, creates the missing ones and cancels planned rows that are no longer wanted (a moved
due date, a finished milestone, a changed responsible person).

Every write of the record is audited, and every audit entry replans the assignment it names,
in the writer's transaction (receivers.py): no writer calls the deadline planning itself. Who
holds an approval task is the workflow's to know, so it tells plan_decision_waiting whom a
delivery waits for; this module imports only the registry (assignments)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from assignments.models import Assignment, Delivery, Milestone, User
from assignments.selectors import milestone_people

from . import calendar
from .models import DELIVERY_SUBJECT, Reminder, ReminderPolicy

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


def _active(ids) -> list[int]:
    """The given people who can still sign in, in the given order, each once: a person
    who has left (deactivated, never deleted) gets no more reminders."""
    ids = list(dict.fromkeys(pk for pk in ids if pk is not None))
    active = set(User.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
    return [pk for pk in ids if pk in active]


def _escalation_recipients(assignment: Assignment) -> list[int]:
    return _active(
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
            for pk in _escalation_recipients(assignment)
        ]
    return wanted


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


def _sync(*, subject_key: str, kinds, wanted: list[Wanted], links: dict) -> tuple[int, int]:
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


def plan_for_milestone(milestone: Milestone) -> tuple[int, int]:
    """Plan (or cancel) the reminders of one milestone; returns (planned, cancelled)."""
    assignment = milestone.assignment
    wanted: list[Wanted] = []
    if assignment.state in Assignment.WORKING_STATES and not milestone.is_closed:
        wanted = _deadline_wanted(
            subject_key=milestone_key(milestone),
            due=milestone.due,
            owner_ids=_active(milestone_people(milestone)),
            assignment=assignment,
            policy=ReminderPolicy.for_subject(milestone.kind),
        )
    return _sync(
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
            owner_ids=_active([assignment.assignee_id]),
            assignment=assignment,
            policy=ReminderPolicy.for_subject(DELIVERY_SUBJECT),
        )
    return _sync(
        subject_key=deadline_key(assignment),
        kinds=DEADLINE_KINDS,
        wanted=wanted,
        links={"assignment": assignment},
    )


def decision_policy() -> ReminderPolicy:
    """The policy that says how long a submitted delivery waits before its decision-makers
    are reminded (the final delivery's)."""
    return ReminderPolicy.for_subject(DELIVERY_SUBJECT)


def decision_reminder_day(delivery: Delivery, policy: ReminderPolicy | None = None) -> dt.date:
    """The working day a submitted delivery's decision-makers are reminded of it (the policy's
    wait after the submission): the day its decision is expected."""
    policy = policy or decision_policy()
    submitted = timezone.localtime(delivery.submitted_at).date()
    return calendar.add_working_days(submitted, policy.decision_wait_working_days)


def plan_decision_waiting(delivery: Delivery, *, waiting_for: Iterable[int]) -> tuple[int, int]:
    """Remind the people a submitted delivery waits for: `waiting_for`, given by the workflow,
    is each decision-maker who has not answered, or the stand-in holding their approval task."""
    assignment = delivery.assignment
    wanted: list[Wanted] = []
    if (
        delivery.status == Delivery.Status.SUBMITTED
        and assignment.state == Assignment.State.DELIVERED
    ):
        policy = ReminderPolicy.for_subject(DELIVERY_SUBJECT)
        when = at_hour(decision_reminder_day(delivery, policy), policy.send_hour)
        wanted = [
            Wanted(Reminder.Kind.DECISION_WAITING, pk, str(delivery.number), 0, when, None)
            for pk in _active(waiting_for)
        ]
    return _sync(
        subject_key=delivery_key(delivery),
        kinds=[Reminder.Kind.DECISION_WAITING],
        wanted=wanted,
        links={"assignment": assignment, "delivery": delivery},
    )


def _planned_recipients(delivery: Delivery) -> list[int]:
    """Whom the delivery's decision reminders were last planned for (the workflow said so when
    it planned them): the recipients of its rows not cancelled. A replan that changes no one's
    task (a policy edit, a registry edit) keeps them."""
    rows = Reminder.objects.filter(
        subject_key=delivery_key(delivery), kind=Reminder.Kind.DECISION_WAITING
    ).exclude(state=Reminder.State.CANCELLED)
    return list(rows.order_by("pk").values_list("recipient_id", flat=True))


def _has_answered(delivery: Delivery, person_id: int) -> bool:
    """Whether the person answered the delivery, for themself or as a stand-in."""
    return delivery.approvals.filter(
        Q(decision_maker_id=person_id) | Q(acted_by_id=person_id)
    ).exists()


def replan_assignment(assignment: Assignment) -> None:
    """Everything of one assignment: its milestones, its deadline, its waiting delivery."""
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
        plan_decision_waiting(delivery, waiting_for=_planned_recipients(delivery))


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
            plan_decision_waiting(delivery, waiting_for=_planned_recipients(delivery))
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
    assignment = reminder.assignment
    if reminder.kind == Reminder.Kind.DECISION_WAITING:
        # Whom the delivery waits for was settled when it was last planned (every answer and
        # every hand-over of a task plans again); what can change after the claim is that the
        # recipient answers, or that the delivery is decided or returned.
        delivery = reminder.delivery
        return (
            assignment.state == Assignment.State.DELIVERED
            and delivery.status == Delivery.Status.SUBMITTED
            and not _has_answered(delivery, reminder.recipient_id)
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
        return in_force and reminder.recipient_id in _escalation_recipients(assignment)
    return in_force and reminder.recipient_id in owners


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
