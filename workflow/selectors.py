"""Reads of the process that the pages need: the open tasks, what waits for a person, the
start page, the assignment and decision pages, the audit trail.

Each page's reads run here, a fixed number of queries whatever the number of rows, and come
back loaded (lists, not querysets for a template to evaluate).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow import STATUS
from viewflow.workflow.models import Task

from assignments import permissions, timeline, versions
from assignments import selectors as registry
from assignments.models import (
    Approval,
    Assignment,
    AssignmentItem,
    AuditEntry,
    Delivery,
    Distribution,
    MilestoneUpdate,
    User,
)
from reminders import calendar, notices, watch_dates

from .models import AssignmentProcess

# The start page: milestones due within this many working days, and the first rows of each
# list (it says when there are more).
UPCOMING_WORKING_DAYS = 15
START_LIST = 25


def open_tasks(assignment: Assignment) -> QuerySet[Task]:
    """The human tasks of the assignment's current process still waiting for someone (one
    query: the current process is a subquery)."""
    process = AssignmentProcess.of(assignment).values("pk")[:1]
    return Task.objects.filter(
        process_id__in=process, status__in=permissions.OPEN_TASK_STATUSES, flow_task_type="HUMAN"
    ).select_related("owner")


def queued_for(user: User) -> QuerySet[Task]:
    """The tasks waiting in the queue that the person may take (permissions.may_take, stated as
    a query): the adoption of each draft they commission, of every draft for the regional
    director."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Task.objects.none()
    tasks = Task.objects.filter(
        status=STATUS.NEW,
        owner__isnull=True,
        flow_task_type="HUMAN",
        owner_permission=permissions.ADOPT_PERMISSION,
        process__artifact_content_type=ContentType.objects.get_for_model(Assignment),
    )
    if permissions.is_regional_director(user):
        return tasks
    commissioned = Assignment.commissioners.through.objects.filter(user=user)
    return tasks.filter(process__artifact_object_id__in=commissioned.values("assignment_id"))


def open_tasks_of(user: User) -> QuerySet[Task]:
    """The open human tasks a person holds or may take from the queue (queued_for), oldest
    first (the start page's list and the API's "my tasks")."""
    return (
        Task.objects.filter(
            Q(owner=user, status__in=permissions.OPEN_TASK_STATUSES)
            | Q(pk__in=queued_for(user).values("pk")),
            flow_task_type="HUMAN",
        )
        .select_related("process")
        .only("id", "flow_task", "created", "process__artifact_object_id")
        .order_by("created", "pk")
    )


def tasks_waiting_for(user: User, limit: int) -> list[tuple[Task, Assignment]]:
    """The open human tasks a person holds or may take, oldest first, each with its
    assignment (two queries whatever the number)."""
    return with_assignments(open_tasks_of(user)[:limit])


def with_assignments(tasks) -> list[tuple[Task, Assignment]]:
    """Each task of assignment processes with its assignment (one query for all of them)."""
    tasks = list(tasks)
    assignments = Assignment.objects.only("id", "registration_number", "title").in_bulk(
        {int(t.process.artifact_object_id) for t in tasks if t.process.artifact_object_id}
    )
    return [
        (task, assignments[int(task.process.artifact_object_id)])
        for task in tasks
        if int(task.process.artifact_object_id or 0) in assignments
    ]


# -- the start page ----------------------------------------------------------------------------


def _waiting(user: User, limit: int) -> list[dict]:
    return waiting(tasks_waiting_for(user, limit))


def waiting(tasks: list[tuple[Task, Assignment]]) -> list[dict]:
    """What waits for the person (tasks with their assignments), each with the page to act on:
    a decision on the decision page, anything else on the assignment page."""
    result = []
    for task, assignment in tasks:
        is_decision = task.flow_task.name == permissions.APPROVE
        page = "workflow:decision" if is_decision else "workflow:assignment"
        result.append(
            {
                "task": task,
                "title": task.flow_task.task_title,
                "is_decision": is_decision,
                "assignment": assignment,
                "url": reverse(page, args=[assignment.pk]),
                "waiting_since": timezone.localdate(task.created),
            }
        )
    return result


def start_page(user: User, today: dt.date) -> dict:
    """ "Mina uppdrag": what waits for the person, their milestones due within
    UPCOMING_WORKING_DAYS, the assignments they work on, those they commissioned and those
    they follow from a distribution list (each list's first START_LIST rows, `more_…` when
    there are more), their unread notifications and their own watch dates to come."""
    horizon = calendar.add_working_days(today, UPCOMING_WORKING_DAYS)
    tasks = _waiting(user, START_LIST + 1)
    milestones = registry.upcoming_milestones(
        user, due_by=horizon, today=today, limit=START_LIST * 2 + 1
    )
    mine = registry.first_by_delivery(registry.worked_on_by(user), START_LIST + 1)
    commissioned = registry.first_by_delivery(registry.commissioned_by(user), START_LIST + 1)
    followed = registry.first_followed(user, START_LIST + 1, today)
    Assignment.mark_overdue(mine + commissioned + followed, today)
    return {
        "today": today,
        "horizon": horizon,
        "tasks": tasks[:START_LIST],
        "more_tasks": len(tasks) > START_LIST,
        "milestones": milestones[: START_LIST * 2],
        "more_milestones": len(milestones) > START_LIST * 2,
        "mine": mine[:START_LIST],
        "more_mine": len(mine) > START_LIST,
        "commissioned": commissioned[:START_LIST],
        "more_commissioned": len(commissioned) > START_LIST,
        "followed": followed[:START_LIST],
        "more_followed": len(followed) > START_LIST,
        "unread": notices.readable(user.notifications.unread()[:5]),
        "watches": list(watch_dates.open_watch_dates(user, today)),
    }


# -- the assignment page and the decision page --------------------------------------------------


def visible_assignment(user: User, pk: int, *related: str) -> Assignment:
    """The assignment, with `related` loaded, if the user may read it (can_view_assignment);
    Assignment.DoesNotExist if not. The rule asks what the row tells first (the assignee, a
    public assignment), so the assignee's own page costs no query more than the row."""
    assignment = Assignment.objects.select_related(*related).get(pk=pk)
    if not permissions.can_view_assignment(user, assignment):
        raise Assignment.DoesNotExist
    return assignment


def _involved(user: User, assignment: Assignment) -> list[tuple[User, permissions.Standing]]:
    """Everyone involved in the assignment and the person looking, each with their Standing,
    by name, in one query."""
    return permissions.standings(
        assignment,
        permissions.involved(assignment, also=[user.pk]).order_by("last_name", "first_name", "pk"),
    )


def _process_and_decision(user: User, assignment: Assignment) -> dict:
    """What the assignment page and the decision page both show."""
    tasks = list(open_tasks(assignment).order_by("pk"))
    deliveries = list(
        assignment.deliveries.select_related("submitted_by")
        .prefetch_related(
            Prefetch(
                "approvals",
                queryset=Approval.objects.select_related("decision_maker", "acted_by").order_by(
                    "pk"
                ),
            )
        )
        .order_by("-number")
    )
    involved = _involved(user, assignment)
    me = next((s for person, s in involved if person.pk == user.pk), permissions.NOBODY)
    return {
        "me": me,
        "involved": involved,
        "commissioners": [person for person, s in involved if s.commissions],
        "user_is_commissioner": me.commissions,
        "assignment": assignment,
        "tasks": tasks,
        "deliveries": deliveries,
        "latest_delivery": deliveries[0] if deliveries else None,
        "decision_makers": [person for person, s in involved if s.decides],
        "may_decide": any(permissions.may_answer(t, me) for t in tasks),
    }


def return_to_answer(deliveries: list[Delivery]) -> Approval | None:
    """The return (återremiss) the next delivery answers: the latest delivery's, if it was
    returned, with who returned it (`deliveries` newest first, their approvals loaded)."""
    latest = deliveries[0] if deliveries else None
    if latest is None or latest.status != Delivery.Status.RETURNED:
        return None
    return next((a for a in latest.approvals.all() if a.verdict == Approval.Verdict.RETURNED), None)


def latest_return(assignment: Assignment) -> Approval | None:
    """return_to_answer for a page that has not loaded the deliveries (two queries)."""
    latest = (
        assignment.deliveries.prefetch_related(
            Prefetch(
                "approvals", queryset=Approval.objects.select_related("decision_maker", "acted_by")
            )
        )
        .order_by("-number")
        .first()
    )
    return return_to_answer([latest] if latest else [])


def decision_page(user: User, assignment: Assignment) -> dict:
    """The decision page: the deliveries, the decision-makers' answers, whether the person
    may answer now."""
    return _process_and_decision(user, assignment)


def _offer_stand_ins(tasks, me: permissions.Standing, assignment: Assignment, involved) -> None:
    """Mark each task the person may hand on with whom they may hand it to: the adoption and
    the work go to people involved in the assignment (`involved`, with their standings), an
    approval to anyone active off the working side (one more query, for everyone)."""
    for task in tasks:
        task.may_hand_on = permissions.may_hand_on(task, me)
        task.stand_ins = []
    offered = [task for task in tasks if task.may_hand_on]
    if not offered:
        return
    people = involved
    if any(task.flow_task.name == permissions.APPROVE for task in offered):
        people = permissions.standings(
            assignment,
            User.objects.filter(is_active=True).order_by("last_name", "first_name", "pk"),
        )
    for task in tasks:
        if task.may_hand_on:
            task.stand_ins = [
                person
                for person, standing in people
                if person.pk != task.owner_id and permissions.may_hand_to(task, me, standing)
            ]


def assignment_page(user: User, assignment: Assignment, today: dt.date) -> dict:
    """The assignment page: the whole uppdragshandling in the document's order, its timeline,
    its process (open tasks, with whom the person may hand each on), the deliveries and the
    latest history; what the person may do on it."""
    context = _process_and_decision(user, assignment)
    milestones = list(
        assignment.milestones.select_related("responsible", "assignment__assignee").order_by(
            "position", "start"
        )
    )
    working_group = list(
        assignment.working_group.filter(is_active=True)
        .select_related("person")
        .order_by("position", "pk")
    )
    distribution = list(assignment.distribution.select_related("person").order_by("position", "pk"))
    is_assignee = permissions.is_assignee(user, assignment)

    def in_group() -> bool:
        return permissions.is_working_group_member_in(user, working_group, distribution)

    last_updates = {}
    for update in (
        MilestoneUpdate.objects.filter(milestone__assignment=assignment)
        .select_related("author")
        .order_by("created_at", "pk")
    ):
        last_updates[update.milestone_id] = update
    for milestone in milestones:
        # What the person may do to it now, by the rules the services enforce: who
        # (may_update_milestone) and when (Milestone.statuses_now, Milestone.may_move_due).
        may_update = permissions.may_update_milestone(user, assignment, milestone, in_group)
        milestone.offered_statuses = milestone.statuses_now() if may_update else []
        milestone.offers_due_move = may_update and milestone.may_move_due
        milestone.overdue = milestone.is_overdue(today)
        milestone.last_update = last_updates.get(milestone.pk)
    items = list(assignment.items.order_by("kind", "position", "pk"))
    tasks = context["tasks"]
    _offer_stand_ins(tasks, context["me"], assignment, context["involved"])
    context.update(
        {
            "today": today,
            "milestones": milestones,
            "timeline": timeline.build(milestones, assignment.delivery_due, today),
            "delivery_overdue": assignment.is_delivery_overdue(today),
            "scope": [i for i in items if i.kind == AssignmentItem.Kind.SCOPE],
            "requirements": [i for i in items if i.kind == AssignmentItem.Kind.REQUIREMENT],
            "working_group": working_group,
            "relations": list(
                assignment.relations.select_related("target_assignment", "target_group").order_by(
                    "position", "pk"
                )
            ),
            "for_execution": [
                d for d in distribution if d.purpose == Distribution.Purpose.EXECUTION
            ],
            "for_information": [
                d for d in distribution if d.purpose == Distribution.Purpose.INFORMATION
            ],
            "audit_entries": list(
                AuditEntry.objects.filter(assignment=assignment)
                .select_related("actor")
                .order_by("-occurred_at", "-pk")[:15]
            ),
            "milestone_actions": any(m.offered_statuses or m.offers_due_move for m in milestones),
            # a new version's copy is adopted once it is saved and sent (workflow/imports.py)
            "may_adopt": any(t.flow_task.name == permissions.ADOPT for t in tasks)
            and permissions.can_adopt_assignment(user, assignment),
            "may_submit": is_assignee and any(t.flow_task.name == permissions.WORK for t in tasks),
            "return_to_answer": return_to_answer(context["deliveries"]),
            "may_cancel": assignment.is_open and context["user_is_commissioner"],
            "may_edit": permissions.is_registrar(user),
        }
    )
    context.update(_versions(user, assignment))
    return context


def _versions(user: User, assignment: Assignment) -> dict:
    """The version that replaces the assignment (or its draft), and whether the person may
    start one ("Ny version")."""
    following = versions.next_version(assignment)
    return {
        "next_version": following,
        "has_versions": bool(following or assignment.supersedes_id),
        "may_make_new_version": following is None
        and assignment.state in versions.REPLACEABLE_STATES
        and permissions.can_supersede_assignment(user, assignment),
    }


def visible_versions(user: User, assignment: Assignment) -> list[Assignment]:
    """The versions of the assignment's document the person may read, the first one first."""
    chain = versions.chain(assignment)
    visible = set(
        permissions.visible_assignments(user)
        .filter(pk__in=[v.pk for v in chain])
        .values_list("pk", flat=True)
    )
    return [v for v in chain if v.pk in visible]


# -- the audit trail -----------------------------------------------------------------------------


def audit_trail(assignment: Assignment) -> QuerySet[AuditEntry]:
    """Every audit entry of the assignment, oldest first, with who acted."""
    return (
        AuditEntry.objects.filter(assignment=assignment)
        .select_related("actor")
        .order_by("occurred_at", "pk")
    )
