"""The process's tasks and the decision: a person's Standing on one assignment and the task
rules that read it (who may hold, take, answer and hand on a task)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from viewflow.workflow import STATUS

from ..models import Assignment, Distribution, User, WorkingGroupMember
from .roles import OPEN_TASK_STATUSES, REGIONAL_DIRECTOR_GROUP, REGISTRAR_GROUP

# -- the process's tasks: who may hold, answer and hand on one ----------------------------
# docs/security.md "The rules": nobody decides their own delivery, and each decision-maker answers
# for themselves. Every path asks these rules: the assignment and decision pages, the services
# (again, inside their transaction, at answer time as well as at hand-on time), viewflow's task
# views (workflow/flows.py's TaskView) and its chart and bulk pages (workflow/viewsets.py).
# They read a person's `Standing` on one assignment: the role facts (permissions.roles),
# gathered in one query, so that a page can ask them for everyone it offers as a stand-in
# (ställföreträdare) without a query per person.

ADOPT, WORK, APPROVE = "adopt", "work", "approve"
# The adoption waits in a queue, not in one person's inbox: the permission viewflow records on
# the task (assignments.permissions' rule), which names the queue in the task lists' queries.
ADOPT_PERMISSION = "assignments.adopt_assignment"


@dataclass(frozen=True)
class Standing:
    """Where one person stands on one assignment: the facts the task rules read."""

    pk: int | None
    is_active: bool = False
    is_assignee: bool = False
    is_project_lead: bool = False
    works: bool = False  # in the working group (active) or on the "för genomförande" list
    decides: bool = False  # a decision-maker of record
    commissions: bool = False
    is_regional_director: bool = False
    is_registrar: bool = False
    # the assignment these facts are about, so a rule that needs another person's standing on
    # it (a stand-in's decision-maker) does not read it again
    assignment: Assignment | None = field(default=None, compare=False, repr=False)

    @property
    def delivers(self) -> bool:
        """The assignee or the project lead: the delivery is theirs."""
        return self.is_assignee or self.is_project_lead

    @property
    def is_working_side(self) -> bool:
        """Carries the assignment out, so never decides on its delivery."""
        return self.delivers or self.works

    @property
    def adopts(self) -> bool:
        return self.commissions or self.is_regional_director


NOBODY = Standing(pk=None)


def involved(assignment: Assignment, *, also=()) -> QuerySet[User]:
    """Everyone with a role on the assignment, the regional director, and the people `also`
    names (pks): everyone who may hold its adoption or its work (may_hold), read through
    indexes rather than by asking the rules about each of a region's thousands of people."""
    people = (
        Assignment.commissioners.through.objects.filter(assignment=assignment)
        .values("user_id")
        .union(
            Assignment.decision_makers.through.objects.filter(assignment=assignment).values(
                "user_id"
            ),
            WorkingGroupMember.objects.filter(assignment=assignment, is_active=True)
            .order_by()
            .values("person_id"),
            Distribution.objects.filter(
                assignment=assignment, purpose=Distribution.Purpose.EXECUTION
            )
            .order_by()
            .values("person_id"),
            User.groups.through.objects.filter(group__name=REGIONAL_DIRECTOR_GROUP).values(
                "user_id"
            ),
            User.objects.filter(pk__in=[assignment.assignee_id, assignment.project_lead_id, *also])
            .order_by()
            .values("pk"),
        )
    )
    return User.objects.filter(pk__in=people)


def standings(assignment: Assignment, people: QuerySet[User]) -> list[tuple[User, Standing]]:
    """Each person of `people` with their Standing on `assignment`, in one query."""
    person = OuterRef("pk")
    in_group = User.groups.through.objects.filter(user=person)
    people = people.annotate(
        in_working_group=Exists(
            WorkingGroupMember.objects.filter(assignment=assignment, person=person, is_active=True)
        ),
        for_execution=Exists(
            Distribution.objects.filter(
                assignment=assignment, person=person, purpose=Distribution.Purpose.EXECUTION
            )
        ),
        decides=Exists(
            Assignment.decision_makers.through.objects.filter(assignment=assignment, user=person)
        ),
        commissions=Exists(
            Assignment.commissioners.through.objects.filter(assignment=assignment, user=person)
        ),
        in_director_group=Exists(in_group.filter(group__name=REGIONAL_DIRECTOR_GROUP)),
        in_registrar_group=Exists(in_group.filter(group__name=REGISTRAR_GROUP)),
    )
    return [
        (
            p,
            Standing(
                pk=p.pk,
                is_active=p.is_active,
                is_assignee=p.pk == assignment.assignee_id,
                is_project_lead=p.pk == assignment.project_lead_id,
                works=p.in_working_group or p.for_execution,
                decides=p.decides,
                commissions=p.commissions,
                is_regional_director=p.in_director_group,
                is_registrar=p.is_superuser or p.in_registrar_group,
                assignment=assignment,
            ),
        )
        for p in people
    ]


def standing(user, assignment: Assignment) -> Standing:
    """The Standing of one person (NOBODY for an anonymous visitor)."""
    if not getattr(user, "is_authenticated", False):
        return NOBODY
    found = standings(assignment, User.objects.filter(pk=user.pk))
    return found[0][1] if found else NOBODY


# -- the task rules ------------------------------------------------------------------------


def decision_maker_of(task) -> int | None:
    """The decision-maker whose approval the task asks for."""
    return task.data.get("decision_maker")


def stand_in_of(task) -> int | None:
    """The stand-in (ersättare) the task's decision-maker chose, if any."""
    return task.data.get("stand_in")


def may_decide_in_person(person: Standing) -> bool:
    """May this decision-maker answer (or choose a stand-in) at all: one of record, active, and
    not delivering the assignment themselves (nobody decides their own delivery). A
    decision-maker the document also lists in its working group still decides (seed 004 names
    Anders Kullbratt there, as "beslutsfattare")."""
    return person.is_active and person.decides and not person.delivers


def may_stand_in(person: Standing) -> bool:
    """May this person be chosen as a stand-in on the assignment: active, never another
    decision-maker of the same delivery (N-of-M means N different people), never on the
    delivering side (assignee, project lead, working group, "för genomförande")."""
    return person.is_active and not person.decides and not person.is_working_side


def may_hold_approval(
    person: Standing, *, decision_maker_id, stand_in_id=None, decision_maker: Standing | None = None
) -> bool:
    """The rule, once (docs/security.md "The rules"): who may hold or
    answer the approval of decision-maker `decision_maker_id`.

    The decision-maker in person (may_decide_in_person), or the stand-in recorded on the task,
    which only that decision-maker records (may_hand_to), while the person may be one
    (may_stand_in) and the decision-maker could still answer themselves (`decision_maker`,
    their Standing, asked at answer time as well as at hand-on time).
    """
    if person.pk is None:
        return False
    if person.pk == decision_maker_id:
        return may_decide_in_person(person)
    if person.pk != stand_in_id or decision_maker is None:
        return False
    return (
        decision_maker.pk == decision_maker_id
        and may_decide_in_person(decision_maker)
        and may_stand_in(person)
    )


def _decision_maker_standing(task, person: Standing) -> Standing:
    """The Standing of the task's decision-maker on the assignment (one query)."""
    assignment = person.assignment or task.process.artifact
    found = standings(assignment, User.objects.filter(pk=decision_maker_of(task)))
    return found[0][1] if found else NOBODY


def may_hold(task, person: Standing) -> bool:
    """May the person hold this task: an approval by may_hold_approval, the adoption only if
    they may adopt, the work only if they are on the working side."""
    name = task.flow_task.name
    if name == APPROVE:
        decision_maker_id, stand_in_id = decision_maker_of(task), stand_in_of(task)
        is_stand_in = person.pk is not None and person.pk == stand_in_id != decision_maker_id
        return may_hold_approval(
            person,
            decision_maker_id=decision_maker_id,
            stand_in_id=stand_in_id,
            decision_maker=_decision_maker_standing(task, person) if is_stand_in else None,
        )
    if not person.is_active:
        return False
    if name == ADOPT:
        return person.adopts
    if name == WORK:
        return person.is_working_side
    return False


def may_take(task, person: Standing) -> bool:
    """May the person take this task from the queue (viewflow's assign): a task nobody holds
    yet, if they may hold it. The adoption waits there for any commissioner or the regional
    director."""
    return (
        task.owner_id is None
        and task.status == STATUS.NEW
        and person.pk is not None
        and may_hold(task, person)
    )


def may_run(task, person: Standing) -> bool:
    """viewflow's execute view: the task's owner, if they may hold it."""
    return person.pk is not None and task.owner_id == person.pk and may_hold(task, person)


def may_answer(task, person: Standing) -> bool:
    """May the person answer this open approval task now: its decision-maker (also while a
    stand-in holds it), or the stand-in who holds it."""
    if task.flow_task.name != APPROVE or task.status not in OPEN_TASK_STATUSES:
        return False
    if person.pk != decision_maker_of(task) and task.owner_id != person.pk:
        return False
    return may_hold(task, person)


def may_hand_on(task, actor: Standing) -> bool:
    """May the actor reassign this task at all? An approval task: only its own decision-maker,
    while they may decide in person (never a registrar, never for another decision-maker); the
    adoption and the work: the assignee or a commissioner."""
    if not actor.is_active:
        return False
    if task.flow_task.name == APPROVE:
        return actor.pk == decision_maker_of(task) and may_decide_in_person(actor)
    return actor.is_assignee or actor.commissions


def may_hand_to(task, actor: Standing, person: Standing) -> bool:
    """May the actor hand this task to the person? An approval goes from its decision-maker to
    a stand-in (may_stand_in), or back to the decision-maker; other tasks go to someone who
    may hold them."""
    if not may_hand_on(task, actor):
        return False
    if task.flow_task.name != APPROVE:
        return may_hold(task, person)
    if person.pk == actor.pk:
        return True
    return may_stand_in(person)
