"""The daily digest: what is upcoming or overdue for a person, and what they follow."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from assignments.models import Assignment, Delivery, Distribution, Milestone, User

from . import calendar

HORIZON_WORKING_DAYS = 15
WORKING_STATES = (Assignment.State.ADOPTED, Assignment.State.IN_PROGRESS)


def digest_items(person: User, day: dt.date) -> dict[str, list]:
    horizon = calendar.add_working_days(day, HORIZON_WORKING_DAYS)
    open_milestones = Milestone.objects.filter(
        assignment__state__in=WORKING_STATES, due__lte=horizon
    ).exclude(status__in=Milestone.CLOSED_STATUSES)
    mine = open_milestones.filter(
        Q(responsible=person) | Q(responsible__isnull=True, assignment__assignee=person)
    ).select_related("assignment")
    decisions = (
        Delivery.objects.filter(
            status=Delivery.Status.SUBMITTED,
            assignment__state=Assignment.State.DELIVERED,
            assignment__decision_makers=person,
        )
        .exclude(approvals__decision_maker=person)
        .select_related("assignment")
    )
    followed = Assignment.objects.filter(
        distribution__person=person,
        distribution__purpose=Distribution.Purpose.INFORMATION,
        state__in=Assignment.OPEN_STATES,
    ).distinct()
    return {
        "overdue": [m for m in mine if m.due < day],
        "upcoming": [m for m in mine if m.due >= day],
        "decisions": list(decisions),
        "followed": list(followed),
    }


def digest_recipients(day: dt.date):
    """People who want a digest and have something in it today."""
    candidates = (
        User.objects.filter(wants_digest=True, is_active=True)
        .filter(
            Q(assigned_assignments__state__in=WORKING_STATES)
            | Q(responsible_milestones__assignment__state__in=WORKING_STATES)
            | Q(deciding_assignments__state=Assignment.State.DELIVERED)
            | Q(
                distributions__purpose=Distribution.Purpose.INFORMATION,
                distributions__assignment__state__in=Assignment.OPEN_STATES,
            )
        )
        .distinct()
    )
    for person in candidates:
        if any(digest_items(person, day).values()):
            yield person
