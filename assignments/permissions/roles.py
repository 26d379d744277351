"""Who a person is to an assignment: the role predicates (rules predicates) every other rule
of assignments.permissions reads, and the groups that give a role."""

from __future__ import annotations

import rules
from django.db.models import Q
from viewflow.workflow import STATUS

from ..models import Approval, Assignment, Distribution, User

REGISTRAR_GROUP = "Registrator"
REGIONAL_DIRECTOR_GROUP = "Regiondirektör"
# A viewflow task still waiting for someone; the task rules (permissions.tasks) and
# workflow's selectors too.
OPEN_TASK_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def _in_group(user, name: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cache = getattr(user, "_uppdrag_group_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._uppdrag_group_names = cache
    return name in cache


@rules.predicate
def is_registrar(user) -> bool:
    """Registrar or administrator: creates and edits assignments, manages people and units."""
    return bool(getattr(user, "is_superuser", False)) or _in_group(user, REGISTRAR_GROUP)


def registrars():
    """is_registrar as a query: the active registrars and administrators (who is warned when
    a step of an assignment has nobody who can take it)."""
    return User.objects.filter(
        Q(is_superuser=True) | Q(groups__name=REGISTRAR_GROUP), is_active=True
    ).distinct()


@rules.predicate
def is_regional_director(user) -> bool:
    return _in_group(user, REGIONAL_DIRECTOR_GROUP)


def _member(user, assignment: Assignment, relation: str) -> bool:
    if not getattr(user, "is_authenticated", False) or assignment is None:
        return False
    return getattr(assignment, relation).filter(pk=user.pk).exists()


@rules.predicate
def is_commissioner(user, assignment: Assignment) -> bool:
    return _member(user, assignment, "commissioners")


@rules.predicate
def is_decision_maker(user, assignment: Assignment) -> bool:
    return _member(user, assignment, "decision_makers")


@rules.predicate
def is_assignee(user, assignment: Assignment) -> bool:
    return bool(assignment) and user.is_authenticated and assignment.assignee_id == user.pk


@rules.predicate
def is_working_group_member(user, assignment: Assignment) -> bool:
    """In the arbetsgrupp or on the "för genomförande" list."""
    if not getattr(user, "is_authenticated", False) or assignment is None:
        return False
    return (
        assignment.working_group.filter(person=user, is_active=True).exists()
        or assignment.distribution.filter(
            person=user, purpose=Distribution.Purpose.EXECUTION
        ).exists()
    )


def is_working_group_member_in(user, working_group, distribution) -> bool:
    """is_working_group_member, answered from rows a page has loaded already."""
    return any(m.person_id == user.pk and m.is_active for m in working_group) or any(
        d.person_id == user.pk and d.purpose == Distribution.Purpose.EXECUTION for d in distribution
    )


@rules.predicate
def is_information_reader(user, assignment: Assignment) -> bool:
    """On the "för kännedom" list: read only."""
    if not getattr(user, "is_authenticated", False) or assignment is None:
        return False
    return assignment.distribution.filter(
        person=user, purpose=Distribution.Purpose.INFORMATION
    ).exists()


@rules.predicate
def is_public_within_organisation(user, assignment: Assignment) -> bool:
    return bool(assignment) and user.is_authenticated and assignment.is_public


def _open_tasks_held_by(user):
    """The open human tasks of assignment processes the user holds (viewflow's Task)."""
    from django.contrib.contenttypes.models import ContentType
    from viewflow.workflow.models import Task

    return Task.objects.filter(
        owner=user,
        status__in=OPEN_TASK_STATUSES,
        flow_task_type="HUMAN",
        process__artifact_content_type=ContentType.objects.get_for_model(Assignment),
    )


@rules.predicate
def is_stand_in(user, assignment: Assignment) -> bool:
    """Holds an open task of the assignment, or answered on its delivery for a decision-maker:
    a stand-in (ställföreträdare) reads what they are to act on, and what they did."""
    if not getattr(user, "is_authenticated", False) or assignment is None:
        return False
    return (
        _open_tasks_held_by(user).filter(process__artifact_object_id=assignment.pk).exists()
        or Approval.objects.filter(delivery__assignment=assignment, acted_by=user).exists()
    )
