"""The API's reads: the list of assignments is the portfolio's read (assignments.selectors), one
assignment is everything its page shows, loaded in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from assignments import permissions
from assignments import selectors as registry
from assignments.models import (
    Approval,
    Assignment,
    AssignmentItem,
    AssignmentRelation,
    Delivery,
    Distribution,
    Milestone,
    MilestoneUpdate,
    User,
    WorkingGroupMember,
)
from workflow import selectors as process

PEOPLE_BY_NAME = User.objects.order_by("last_name", "first_name", "pk")

# the portfolio's date filters, and the query each is
DATE_FILTERS = {
    "delivery_due_from": "delivery_due__gte",
    "delivery_due_to": "delivery_due__lte",
    "document_date_from": "document_date__gte",
    "document_date_to": "document_date__lte",
    "updated_since": "updated_at__gte",
}


def assignments(
    user: User, *, filters: Mapping, dates: Mapping, order: str, today: dt.date
) -> QuerySet[Assignment]:
    """What the portfolio lists for the user with these filters, and within these dates."""
    queryset = registry.portfolio(user, filters=filters, order=order, today=today)
    return queryset.filter(**{DATE_FILTERS[name]: value for name, value in dates.items()})


MILESTONES = Milestone.objects.select_related("responsible").prefetch_related(
    Prefetch(
        "updates",
        queryset=MilestoneUpdate.objects.select_related("author").order_by("created_at", "pk"),
    )
)
DELIVERIES = Delivery.objects.select_related("submitted_by").prefetch_related(
    Prefetch(
        "approvals",
        queryset=Approval.objects.select_related("decision_maker", "acted_by").order_by("pk"),
    )
)


def assignment_record(user: User, pk: int) -> Assignment:
    """The assignment with everything of it that the API shows, if the user may read it
    (Assignment.DoesNotExist if not: asked first, before anything else is read); each milestone
    says whether the user may update it (`user_may_update`)."""
    assignment = process.visible_assignment(
        user, pk, "issuing_unit", "assignee", "project_lead", "decision"
    )
    prefetch_related_objects(
        [assignment],
        Prefetch("commissioners", queryset=PEOPLE_BY_NAME),
        Prefetch("decision_makers", queryset=PEOPLE_BY_NAME),
        Prefetch(
            "items",
            queryset=AssignmentItem.objects.filter(kind=AssignmentItem.Kind.SCOPE).order_by(
                "position", "pk"
            ),
            to_attr="scope_items",
        ),
        Prefetch(
            "items",
            queryset=AssignmentItem.objects.filter(kind=AssignmentItem.Kind.REQUIREMENT).order_by(
                "position", "pk"
            ),
            to_attr="requirement_items",
        ),
        Prefetch(
            "working_group",
            queryset=WorkingGroupMember.objects.filter(is_active=True)
            .select_related("person")
            .order_by("position", "pk"),
        ),
        Prefetch(
            "distribution",
            queryset=Distribution.objects.select_related("person").order_by(
                "purpose", "position", "pk"
            ),
        ),
        Prefetch(
            "relations",
            queryset=AssignmentRelation.objects.select_related("target_group").order_by(
                "position", "pk"
            ),
        ),
        Prefetch("milestones", queryset=MILESTONES.order_by("position", "start", "pk")),
        Prefetch("deliveries", queryset=DELIVERIES.order_by("number")),
    )
    working_group = assignment.working_group.all()
    distribution = assignment.distribution.all()

    def in_group() -> bool:
        return permissions.is_working_group_member_in(user, working_group, distribution)

    for milestone in assignment.milestones.all():
        milestone.user_may_update = permissions.may_update_milestone(
            user, assignment, milestone, in_group
        )
    return assignment


def milestone_record(user: User, milestone: Milestone) -> Milestone:
    """One milestone as the API shows it, read again (after a change), with its log."""
    milestone = MILESTONES.select_related("assignment__assignee").get(pk=milestone.pk)
    milestone.user_may_update = permissions.can_update_milestone(user, milestone)
    return milestone


def delivery_record(delivery: Delivery) -> Delivery:
    """One delivery as the API shows it, read again, with the answers so far."""
    return DELIVERIES.get(pk=delivery.pk)


def approval_record(approval: Approval) -> Approval:
    return Approval.objects.select_related("decision_maker", "acted_by").get(pk=approval.pk)
