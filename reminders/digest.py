"""The daily digest: what is upcoming or overdue for a person, what waits for their decision,
and what is coming up in the assignments they receive "för kännedom"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from assignments.links import process_url
from assignments.models import Assignment, Delivery, Distribution, Milestone, User
from assignments.selectors import milestones_of

from . import calendar
from .parts import date_text, decision_url

HORIZON_WORKING_DAYS = 15


@dataclass
class Item:
    """One line of the digest: a milestone or a final-delivery deadline."""

    title: str
    registration_number: str
    assignment_id: int
    due: dt.date
    url: str
    overdue: bool
    due_text: str  # as the reminders write it: "31 aug", "31 aug 2025" when not this year's


@dataclass
class Followed:
    assignment: Assignment
    url: str
    items: list[Item] = field(default_factory=list)


def _deadlines(milestones, assignments, day: dt.date) -> list[Item]:
    """The open milestones and final-delivery deadlines given, as digest lines by due date."""
    items = [
        Item(
            m.title,
            m.assignment.registration_number,
            m.assignment_id,
            m.due,
            process_url(m.assignment_id, m.pk),
            m.due < day,
            date_text(m.due, day),
        )
        for m in milestones
    ]
    items += [
        Item(
            _("Slutleverans"),
            a.registration_number,
            a.pk,
            a.delivery_due,
            process_url(a.pk),
            a.delivery_due < day,
            date_text(a.delivery_due, day),
        )
        for a in assignments
    ]
    return sorted(items, key=lambda item: (item.due, item.registration_number, item.title))


def digest_items(person: User, day: dt.date) -> dict[str, list]:
    horizon = calendar.add_working_days(day, HORIZON_WORKING_DAYS)
    open_milestones = (
        Milestone.objects.filter(assignment__state__in=Assignment.WORKING_STATES, due__lte=horizon)
        .exclude(status__in=Milestone.CLOSED_STATUSES)
        .select_related("assignment")
    )
    open_deadlines = Assignment.objects.filter(
        state__in=Assignment.WORKING_STATES, delivery_due__isnull=False, delivery_due__lte=horizon
    )
    # "My milestones", as the start page lists them and the reminders go.
    mine = _deadlines(
        milestones_of(person).filter(due__lte=horizon).select_related("assignment"),
        open_deadlines.filter(assignee=person),
        day,
    )
    decisions = (
        Delivery.objects.filter(
            status=Delivery.Status.SUBMITTED,
            assignment__state=Assignment.State.DELIVERED,
            assignment__decision_makers=person,
        )
        .exclude(approvals__decision_maker=person)
        .select_related("assignment")
    )
    followed_ids = set(
        Distribution.objects.filter(
            person=person, purpose=Distribution.Purpose.INFORMATION
        ).values_list("assignment_id", flat=True)
    )
    followed = {
        a.pk: Followed(a, process_url(a.pk))
        for a in Assignment.objects.filter(pk__in=followed_ids, state__in=Assignment.WORKING_STATES)
    }
    for item in _deadlines(
        open_milestones.filter(assignment__in=followed_ids),
        open_deadlines.filter(pk__in=followed_ids),
        day,
    ):
        followed[item.assignment_id].items.append(item)
    return {
        "overdue": [item for item in mine if item.overdue],
        "upcoming": [item for item in mine if not item.overdue],
        "decisions": [(d, decision_url(d.assignment_id)) for d in decisions],
        # Only what has something coming up: a reader is not mailed every day about a
        # quiet assignment.
        "followed": [f for f in followed.values() if f.items],
    }


def digest_recipients(day: dt.date):
    """People who want a digest and have something in it today."""
    candidates = (
        User.objects.filter(wants_digest=True, is_active=True)
        .filter(
            Q(assigned_assignments__state__in=Assignment.WORKING_STATES)
            | Q(responsible_milestones__assignment__state__in=Assignment.WORKING_STATES)
            | Q(deciding_assignments__state=Assignment.State.DELIVERED)
            | Q(
                distributions__purpose=Distribution.Purpose.INFORMATION,
                distributions__assignment__state__in=Assignment.WORKING_STATES,
            )
        )
        .distinct()
    )
    for person in candidates:
        if any(digest_items(person, day).values()):
            yield person
