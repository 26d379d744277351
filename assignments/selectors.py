"""Reads of the registry, each stated once: the ones the pages, the digest and the reminders
share ("my milestones", the latest delivery), the portfolio and the group catalogue.

Selectors return loaded rows, not querysets for a template to evaluate, unless the caller
still has to cut them (a page, an export): every query of a page runs in its view, a fixed
number of them whatever the number of rows. List rows load only the columns lists show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions
from .models import (
    Absence,
    Assignment,
    Delivery,
    Distribution,
    Group,
    Milestone,
    OrgUnit,
    User,
    WorkingGroupMember,
)

PORTFOLIO_PAGE_SIZE = 50
# What a list of assignments shows (assignments/_assignment_list.html) and is_overdue reads.
LIST_FIELDS = ("id", "registration_number", "title", "state", "delivery_due")


def latest_delivery(assignment: Assignment) -> Delivery | None:
    """The assignment's most recent final delivery: each resubmission is a new, higher number."""
    return assignment.deliveries.order_by("-number").first()


# -- "my milestones" ----------------------------------------------------------------------------
# Stated once, as a filter and for one loaded milestone: while its assignment is worked on
# (Assignment.WORKING_STATES), an open milestone is its assignee's and its responsible
# person's (docs/glossary.md: the responsible person defaults to the assignee). The start page lists
# them, the digest sums them up and the reminders go to these people.


def absent_with_stand_ins(person_ids, day: dt.date | None = None) -> dict[int, Absence]:
    """Of these people, those away on `day` (today) with a stand-in: person id → the absence
    (the latest set, should two overlap), its person and stand-in loaded. One query. The
    approvals (workflow.services.absence) and the reminders (reminders.deadlines) both ask it."""
    day = day or timezone.localdate()
    found: dict[int, Absence] = {}
    rows = (
        Absence.objects.covering(day)
        .filter(person_id__in=list(person_ids))
        .exclude(stand_in=None)
        .select_related("person", "stand_in")
        .order_by("created_at", "pk")
    )
    for absence in rows:
        found[absence.person_id] = absence
    return found


def absent_from(person_ids, day: dt.date | None = None) -> bool:
    """Whether any of these people has an absence with a stand-in in force or to come."""
    day = day or timezone.localdate()
    return (
        Absence.objects.filter(person_id__in=list(person_ids), ends__gte=day, ended_at=None)
        .exclude(stand_in=None)
        .exists()
    )


def milestones_of(person: User) -> QuerySet[Milestone]:
    """The open milestones that are the person's, of assignments being worked on."""
    # A union, not an OR across the join: each side is read through its own index.
    as_responsible = Milestone.objects.filter(responsible=person).order_by().values("pk")
    as_assignee = Milestone.objects.filter(assignment__assignee=person).order_by().values("pk")
    return Milestone.objects.filter(
        pk__in=as_responsible.union(as_assignee),
        assignment__state__in=Assignment.WORKING_STATES,
    ).exclude(status__in=Milestone.CLOSED_STATUSES)


def milestone_people(milestone: Milestone) -> list[int]:
    """Whose milestone it is (the people milestones_of() gives it to): the assignee and the
    responsible person, each once."""
    people = (milestone.assignment.assignee_id, milestone.responsible_id)
    return list(dict.fromkeys(pk for pk in people if pk is not None))


def upcoming_milestones(person: User, *, due_by: dt.date, today: dt.date, limit: int):
    """The person's milestones due by `due_by`, soonest (the overdue) first, at most `limit`,
    each with `overdue` set."""
    milestones = list(
        milestones_of(person)
        .filter(due__lte=due_by)
        .select_related("assignment")
        .only(
            "id",
            "title",
            "due",
            "status",
            "assignment_id",
            "assignment__registration_number",
            "assignment__state",
        )
        .order_by("due", "pk")[:limit]
    )
    for milestone in milestones:
        milestone.overdue = milestone.is_overdue(today)
    return milestones


# -- the start page's lists of assignments -------------------------------------------------------


def worked_on_by(person: User) -> QuerySet[Assignment]:
    """Assignments the person carries out: as assignee or in the working group (superseded
    ones are history)."""
    # A union, not an OR: each side is read through its own index.
    as_assignee = Assignment.objects.filter(assignee=person).order_by().values("pk")
    in_group = (
        WorkingGroupMember.objects.filter(person=person, is_active=True)
        .order_by()
        .values("assignment_id")
    )
    return Assignment.objects.filter(pk__in=as_assignee.union(in_group)).exclude(
        state=Assignment.State.SUPERSEDED
    )


def commissioned_by(person: User) -> QuerySet[Assignment]:
    """Assignments the person commissioned (superseded ones are history)."""
    return person.commissioned_assignments.exclude(state=Assignment.State.SUPERSEDED)


def first_by_delivery(queryset: QuerySet[Assignment], limit: int) -> list[Assignment]:
    """The first `limit` assignments of a list, nearest final delivery first, as lists show
    them."""
    return list(queryset.only(*LIST_FIELDS).order_by("delivery_due", "pk")[:limit])


@dataclass(frozen=True)
class Deadline:
    """The next deadline of an assignment: an open milestone or the final delivery."""

    title: str
    due: dt.date


def followed_by(person: User) -> QuerySet[Assignment]:
    """Assignments the person follows from their distribution list ("uppdraget skickas till":
    för kännedom, or för genomförande) and sees in no other list of the start page: neither
    carries out (worked_on_by) nor commissioned (superseded ones are history)."""
    listed = Distribution.objects.filter(person=person).order_by().values("assignment_id")
    return (
        Assignment.objects.filter(pk__in=listed)
        .exclude(state=Assignment.State.SUPERSEDED)
        .exclude(pk__in=worked_on_by(person).values("pk"))
        .exclude(pk__in=commissioned_by(person).order_by().values("pk"))
    )


def first_followed(person: User, limit: int, today: dt.date | None = None) -> list[Assignment]:
    """The first `limit` assignments the person follows (followed_by), nearest final delivery
    first, in one query, each with `listed_for` (the distribution's purpose, as a label),
    `next_deadline` (a Deadline to come while it is worked on, else None: a date past is not
    "next") and its decision loaded."""
    today = today or timezone.localdate()
    open_milestones = (
        Milestone.objects.filter(assignment=OuterRef("pk"), due__gte=today)
        .exclude(status__in=Milestone.CLOSED_STATUSES)
        .order_by("due", "pk")
    )
    listing = Distribution.objects.filter(assignment=OuterRef("pk"), person=person).order_by(
        "-purpose"  # för kännedom before för genomförande
    )
    assignments = list(
        followed_by(person)
        .select_related("decision")
        .only(*LIST_FIELDS, "decision__decided_on", "decision__paragraph_reference")
        .annotate(
            next_milestone_due=Subquery(open_milestones.values("due")[:1]),
            next_milestone_title=Subquery(open_milestones.values("title")[:1]),
            listed_purpose=Subquery(listing.values("purpose")[:1]),
        )
        .order_by("delivery_due", "pk")[:limit]
    )
    for assignment in assignments:
        assignment.listed_for = Distribution.Purpose(assignment.listed_purpose).label
        assignment.next_deadline = _next_deadline(assignment, today)
    return assignments


def _next_deadline(assignment: Assignment, today: dt.date) -> Deadline | None:
    """The earliest open deadline to come while the assignment is worked on (its milestones
    may change): an open milestone's due date or the final delivery's, today or later."""
    if not assignment.milestones_may_change:
        return None
    deadlines = []
    if assignment.next_milestone_due:
        deadlines.append(Deadline(assignment.next_milestone_title, assignment.next_milestone_due))
    if assignment.delivery_due and assignment.delivery_due >= today:
        deadlines.append(Deadline(_("Slutleverans"), assignment.delivery_due))
    return min(deadlines, key=lambda deadline: deadline.due, default=None)


# -- the portfolio -------------------------------------------------------------------------------


def _name_matches(relation: str, text: str) -> Q:
    """Every word of `text` in the person's first name, last name or user name."""
    q = Q()
    for word in text.split():
        q &= (
            Q(**{f"{relation}__first_name__icontains": word})
            | Q(**{f"{relation}__last_name__icontains": word})
            | Q(**{f"{relation}__username__icontains": word})
        )
    return q


def portfolio(user: User, *, filters: Mapping, order: str, today: dt.date) -> QuerySet[Assignment]:
    """The assignments the user may see that match the portfolio's filters, sorted by `order`
    (then by pk, so pages never overlap)."""
    queryset = permissions.visible_assignments(user)
    if filters.get("q"):
        text = filters["q"]
        queryset = queryset.filter(
            Q(registration_number__icontains=text) | Q(title__icontains=text)
        )
    if filters.get("state"):
        queryset = queryset.filter(state=filters["state"])
    if filters.get("unit"):
        queryset = queryset.filter(issuing_unit=filters["unit"])
    if filters.get("commissioner"):
        queryset = queryset.filter(
            pk__in=Assignment.objects.filter(
                _name_matches("commissioners", filters["commissioner"])
            ).values("pk")
        )
    if filters.get("assignee"):
        queryset = queryset.filter(_name_matches("assignee", filters["assignee"]))
    if filters.get("overdue"):
        queryset = queryset.filter(Assignment.overdue_q(today))
    return (
        queryset.select_related("issuing_unit", "assignee")
        .prefetch_related(
            Prefetch("commissioners", queryset=User.objects.order_by("last_name", "first_name"))
        )
        .order_by(order, "pk")
    )


def portfolio_page(queryset: QuerySet[Assignment], number, today: dt.date) -> Page:
    """One page of the portfolio (`number` as given, Paginator.get_page's way), each row with
    `is_overdue` set."""
    page = Paginator(queryset, PORTFOLIO_PAGE_SIZE).get_page(number)
    page.object_list = Assignment.mark_overdue(page.object_list, today)
    return page


def portfolio_rows(queryset: QuerySet[Assignment], today: dt.date):
    """Every assignment of the portfolio for an export, with `is_overdue` set, loaded 2,000 at
    a time."""
    chunk = []
    for assignment in queryset.iterator(chunk_size=2000):
        chunk.append(assignment)
        if len(chunk) == 2000:
            yield from Assignment.mark_overdue(chunk, today)
            chunk = []
    yield from Assignment.mark_overdue(chunk, today)


# -- the group catalogue -------------------------------------------------------------------------


def groups() -> QuerySet[Group]:
    """The region-wide groups that are not archived, with their chair and whom they report to."""
    return (
        Group.objects.filter(is_archived=False)
        .select_related("chair")
        .prefetch_related("reports_to")
        .order_by("name")
    )


def group(pk: int) -> Group:
    """One group with everything its page shows (Group.DoesNotExist if there is none)."""
    return (
        Group.objects.select_related("chair", "assignment")
        .prefetch_related("reports_to", "reported_by", "administrations", "members")
        .get(pk=pk)
    )


def group_assignments(user: User, group: Group) -> QuerySet[Assignment]:
    """The assignments of a group (carried out within it, or defining it) that the user may
    see, newest document first."""
    return (
        permissions.visible_assignments(user)
        .filter(Q(relations__target_group=group) | Q(defined_groups=group))
        .distinct()
        .select_related("assignee")
        .order_by("-document_date", "pk")
    )


# -- "Nytt uppdrag" --------------------------------------------------------------------------


def people_for_lists() -> list[str]:
    """Every active person as the people list offers them ("Name (username)")."""
    from assignments.contacts import person_label

    people = User.objects.filter(is_active=True).only("username", "first_name", "last_name")
    return [person_label(p) for p in people.order_by("last_name", "first_name")]


def unit_names() -> list[str]:
    return list(
        OrgUnit.objects.filter(is_archived=False).order_by("name").values_list("name", flat=True)
    )


def registration_values(assignment: Assignment) -> tuple[dict, dict]:
    """A draft as the "Nytt uppdrag" forms' initial values and rows (with their ids)."""
    from assignments.contacts import person_label

    from .models import AssignmentItem, Distribution
    from .registration import TEXT_FIELDS

    initial = {name: getattr(assignment, name) for name in TEXT_FIELDS}
    initial["issuing_unit"] = assignment.issuing_unit.name
    initial["assignee"] = person_label(assignment.assignee)
    initial["project_lead"] = (
        person_label(assignment.project_lead) if assignment.project_lead else ""
    )
    items = list(assignment.items.order_by("kind", "position", "pk"))
    distribution = list(assignment.distribution.select_related("person"))
    rows = {
        "commissioners": [{"name": person_label(p)} for p in assignment.commissioners.all()],
        "decision_makers": [{"name": person_label(p)} for p in assignment.decision_makers.all()],
        "scope": [
            {"row_id": i.pk, "text": i.text} for i in items if i.kind == AssignmentItem.Kind.SCOPE
        ],
        "requirements": [
            {"row_id": i.pk, "text": i.text}
            for i in items
            if i.kind == AssignmentItem.Kind.REQUIREMENT
        ],
        "working_group": [
            {"row_id": m.pk, "name": person_label(m.person), "role": m.role}
            for m in assignment.working_group.filter(is_active=True).select_related("person")
        ],
        "relations": [
            {"row_id": r.pk, "kind": r.kind, "text": r.text} for r in assignment.relations.all()
        ],
        "milestones": [
            {
                "row_id": m.pk,
                "title": m.title,
                "kind": m.kind,
                "period_label": m.period_label,
                "start": m.start,
                "due": m.due,
                "status": m.status
                if m.status in (Milestone.Status.PLANNED, Milestone.Status.DONE)
                else "",
            }
            for m in assignment.milestones.all()
        ],
        "execution": [
            {"row_id": d.pk, "name": person_label(d.person), "note": d.note}
            for d in distribution
            if d.purpose == Distribution.Purpose.EXECUTION
        ],
        "information": [
            {"row_id": d.pk, "name": person_label(d.person), "note": d.note}
            for d in distribution
            if d.purpose == Distribution.Purpose.INFORMATION
        ],
    }
    return initial, rows
