"""Who may do what on an assignment (DOMAIN.md "Who may do what"), written once: the one
vocabulary of can_/is_/may_ predicates, the process's task rules included.

Every view and task checks these predicates server-side. The role predicates are `rules`
predicates, so they also answer `user.has_perm("assignments.view_assignment", assignment)` and
friends; the task rules read a person's Standing on one assignment.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from functools import reduce

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet
from viewflow.workflow import STATUS

from .models import Approval, Assignment, Distribution, Milestone, User, WorkingGroupMember

REGISTRAR_GROUP = "Registrator"
REGIONAL_DIRECTOR_GROUP = "Regiondirektör"
# A viewflow task still waiting for someone; the task rules below and workflow's selectors too.
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


# The facts the assignment row holds first: they need no query.
can_view_assignment = (
    is_assignee
    | is_public_within_organisation
    | is_registrar
    | is_commissioner
    | is_decision_maker
    | is_working_group_member
    | is_information_reader
    | is_stand_in
)
can_edit_assignment = is_registrar
can_adopt_assignment = is_commissioner | is_regional_director
can_cancel_assignment = is_commissioner
# A new version that replaces the document ("Ny version"): registrars and its commissioners.
can_supersede_assignment = is_registrar | is_commissioner
can_submit_delivery = is_assignee


def may_update_milestone(user, assignment: Assignment, milestone: Milestone, is_member) -> bool:
    """The rule, once: the assignee updates every milestone; a working-group member (or one on
    the "för genomförande" list) those they answer for. `is_member()` is asked only if needed,
    so a page that has the working group loaded already answers without a query."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_assignee(user, assignment):
        return True
    return milestone.responsible_id == user.pk and is_member()


@rules.predicate
def can_update_milestone(user, milestone: Milestone) -> bool:
    if milestone is None:
        return False
    assignment = milestone.assignment
    return may_update_milestone(
        user, assignment, milestone, lambda: is_working_group_member(user, assignment)
    )


def visible_assignments_q(user) -> Q:
    """A filter for Assignment querysets matching exactly what can_view_assignment allows."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if is_registrar(user):
        return Q()
    return (
        Q(commissioners=user)
        | Q(decision_makers=user)
        | Q(assignee=user)
        | Q(working_group__person=user, working_group__is_active=True)
        | Q(distribution__person=user)
        | Q(is_public=True)
        | Q(pk__in=_open_tasks_held_by(user).values("process__artifact_object_id"))
        | Q(deliveries__approvals__acted_by=user)
    )


def visible_assignments(user):
    """Assignments the user may read, without duplicates."""
    q = visible_assignments_q(user)
    if not q:
        return Assignment.objects.all()
    return Assignment.objects.filter(pk__in=Assignment.objects.filter(q).values("pk"))


rules.add_perm("assignments.view_assignment", can_view_assignment)
rules.add_perm("assignments.change_assignment", can_edit_assignment)
rules.add_perm("assignments.adopt_assignment", can_adopt_assignment)
rules.add_perm("assignments.cancel_assignment", can_cancel_assignment)
rules.add_perm("assignments.supersede_assignment", can_supersede_assignment)
rules.add_perm("assignments.submit_delivery", can_submit_delivery)
rules.add_perm("assignments.change_milestone", can_update_milestone)


def may_see_portfolio(user) -> bool:
    """The portfolio is for registrars, the regional director and commissioners."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_registrar(user) or is_regional_director(user):
        return True
    cache = getattr(user, "_uppdrag_is_commissioner", None)
    if cache is None:
        cache = user.commissioned_assignments.exists()
        user._uppdrag_is_commissioner = cache
    return cache


def may_report_on_commissioner(user, commissioner) -> bool:
    """The återrapportering of a commissioner: a commissioner reports on themselves, a
    registrar or the regional director on anyone. Whoever asks, the report holds only the
    assignments they may read (visible_assignments)."""
    if not may_see_portfolio(user):
        return False
    return is_registrar(user) or is_regional_director(user) or commissioner.pk == user.pk


# -- registering an assignment ("Nytt uppdrag", its import, the admin) ----------------------


def may_register_assignments(user) -> bool:
    """Who may open "Nytt uppdrag" and import a document: a registrar, or a commissioner (one
    who commissions an assignment already) registering one of their own. The same rule guards
    the page, the import and the admin's add form."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_registrar(user):
        return True
    cache = getattr(user, "_uppdrag_is_commissioner", None)
    if cache is None:
        cache = user.commissioned_assignments.exists()
        user._uppdrag_is_commissioner = cache
    return cache


def may_register_for(user, commissioners) -> bool:
    """Whether the user may register an assignment with these commissioners: a registrar any,
    a commissioner only one they commission themselves ("for their own")."""
    if is_registrar(user):
        return True
    return may_register_assignments(user) and any(p.pk == user.pk for p in commissioners)


def may_edit_draft(user, assignment: Assignment) -> bool:
    """Editing on "Nytt uppdrag": a draft only (after adoption the record changes through the
    process or the admin's audited corrections), by a registrar or one of its commissioners."""
    if assignment is None or assignment.state != Assignment.State.DRAFT:
        return False
    return is_registrar(user) or is_commissioner(user, assignment)


# -- the process's tasks: who may hold, answer and hand on one ----------------------------
# DOMAIN.md "Who may do what": nobody decides their own delivery, and each decision-maker answers
# for themselves. Every path asks these rules: the assignment and decision pages, the services
# (again, inside their transaction, at answer time as well as at hand-on time), viewflow's task
# views (workflow/flows.py's TaskView) and its chart and bulk pages (workflow/viewsets.py).
# They read a person's `Standing` on one assignment: the role facts above, gathered in one
# query, so that a page can ask them for everyone it offers as a stand-in (ställföreträdare)
# without a query per person.

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
    """The rule, once (DOMAIN.md "Each decision-maker answers for themselves"): who may hold or
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


# -- the admin: people and the Registrator group ------------------------------------------------


def may_manage_person(user, person) -> bool:
    """A registrar corrects people's registry data; an account with admin access (staff or
    superuser) is a superuser's to manage, since its e-mail address is the way into it."""
    if getattr(user, "is_superuser", False) or person is None:
        return True
    return person.pk == user.pk or not (person.is_staff or person.is_superuser)


# An account that holds authority over the record (it decides, commissions, stands in or
# administers): its e-mail address, user name, employee id and password are a superuser's to
# change (may_change_identity). One relation a line; a stand-in holds an open approval task that
# records them as the stand-in its decision-maker chose (may_hand_to).
AUTHORITY = (
    Q(is_superuser=True),
    Q(is_staff=True),
    Q(groups__name__in=(REGISTRAR_GROUP, REGIONAL_DIRECTOR_GROUP)),
    Q(commissioned_assignments__isnull=False),
    Q(deciding_assignments__isnull=False),
    Q(task__status__in=OPEN_TASK_STATUSES, task__data__has_key="stand_in"),
)


def holds_authority(person) -> bool:
    """Whether the account decides, commissions, stands in or administers (AUTHORITY), as
    stored: one query, remembered on the instance."""
    if person is None or person.pk is None:
        return False
    cache = getattr(person, "_uppdrag_holds_authority", None)
    if cache is None:
        cache = User.objects.filter(pk=person.pk).filter(reduce(operator.or_, AUTHORITY)).exists()
        person._uppdrag_holds_authority = cache
    return cache


def may_change_identity(user, person) -> bool:
    """Identity belongs to its person (DOMAIN.md): e-mail address, user name, employee id and
    password are the ways into an account, and "Glömt lösenordet?" sends a new password to
    whatever address the account has. So a superuser changes anyone's, a person their own
    (their password, single sign-on linking their employee id), a registrar only those of a
    person who holds no authority (holds_authority). The one rule for every path that saves
    them (people.identity)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or person is None or person.pk == user.pk:
        return True
    return is_registrar(user) and may_manage_person(user, person) and not holds_authority(person)


def may_set_password(user, person) -> bool:
    """A password is identity (may_change_identity), and more: nobody but its person and a
    superuser sets one, so that nobody else ever knows it."""
    if not may_change_identity(user, person):
        return False
    return bool(getattr(user, "is_superuser", False)) or person.pk == user.pk


def may_change_identity_fields(user, person, names) -> bool:
    """Whether the user may change these of the person's identity fields (identity.
    IDENTITY_FIELDS): the password by may_set_password, the others by may_change_identity."""
    names = set(names)
    if "password" in names and not may_set_password(user, person):
        return False
    return not names - {"password"} or may_change_identity(user, person)


# What the Registrator group holds in Django's permission tables, which the admin reads: the
# registry to read, add and change; the process's records to read only (they change through
# the services). Nothing is deleted. The admin classes enforce the same on their own.
REGISTRAR_PERMISSIONS = {
    "assignments": {
        **dict.fromkeys(
            (
                "assignment",
                "assignmentitem",
                "workinggroupmember",
                "assignmentrelation",
                "distribution",
                "milestone",
                "orgunit",
                "user",
                "group",
            ),
            ("view", "add", "change"),
        ),
        "decision": ("view", "change"),  # the minutes-extract fields, filled in once
        **dict.fromkeys(("delivery", "approval", "milestoneupdate", "auditentry"), ("view",)),
    },
    "reminders": {"reminder": ("view",), "reminderpolicy": ("view",)},
}


def registrar_permissions():
    """The Permission rows of REGISTRAR_PERMISSIONS."""
    from django.contrib.auth.models import Permission

    wanted = Q(pk__in=[])
    for app_label, models in REGISTRAR_PERMISSIONS.items():
        for model, actions in models.items():
            wanted |= Q(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=[f"{action}_{model}" for action in actions],
            )
    return Permission.objects.filter(wanted)
