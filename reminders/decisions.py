"""The reminders of a delivery waiting for decision: to each decision-maker who has not
answered, or the stand-in holding their approval task. Who holds an approval task is the
workflow's to know, so it tells plan_decision_waiting whom a delivery waits for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from assignments.models import Assignment, Delivery

from . import calendar
from .models import DELIVERY_SUBJECT, Reminder, ReminderPolicy
from .planning import Wanted, active, at_hour, delivery_key, sync


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
            for pk in active(waiting_for)
        ]
    return sync(
        subject_key=delivery_key(delivery),
        kinds=[Reminder.Kind.DECISION_WAITING],
        wanted=wanted,
        links={"assignment": assignment, "delivery": delivery},
    )


def planned_recipients(delivery: Delivery) -> list[int]:
    """Whom the delivery's decision reminders were last planned for (the workflow said so when
    it planned them): the recipients of its rows not cancelled. A replan that changes no one's
    task (a policy edit, a registry edit) keeps them."""
    rows = Reminder.objects.filter(
        subject_key=delivery_key(delivery), kind=Reminder.Kind.DECISION_WAITING
    ).exclude(state=Reminder.State.CANCELLED)
    return list(rows.order_by("pk").values_list("recipient_id", flat=True))


def has_answered(delivery: Delivery, person_id: int) -> bool:
    """Whether the person answered the delivery, for themself or as a stand-in."""
    return delivery.approvals.filter(
        Q(decision_maker_id=person_id) | Q(acted_by_id=person_id)
    ).exists()
