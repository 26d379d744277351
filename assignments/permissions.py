"""Who may do what on an assignment (DOMAIN.md "Who may do what"), written once.

Every view and task checks these predicates server-side. They are `rules` predicates, so they
also answer `user.has_perm("assignments.view_assignment", assignment)` and friends.
"""

from __future__ import annotations

import operator
from functools import reduce

import rules
from django.db.models import Q
from viewflow.workflow import STATUS

from .models import Approval, Assignment, Distribution, Milestone, User

REGISTRAR_GROUP = "Registrator"
REGIONAL_DIRECTOR_GROUP = "Regiondirektör"
# A viewflow task still waiting for someone; workflow's rules and selectors use the same.
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
can_decide = is_decision_maker
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
rules.add_perm("assignments.decide_assignment", can_decide)
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


# -- the admin: people and the Registrator group ------------------------------------------------


def may_manage_person(user, person) -> bool:
    """A registrar corrects people's registry data; an account with admin access (staff or
    superuser) is a superuser's to manage, since its e-mail address is the way into it."""
    if getattr(user, "is_superuser", False) or person is None:
        return True
    return person.pk == user.pk or not (person.is_staff or person.is_superuser)


# An account that holds authority over the record (it decides, commissions, stands in or
# administers): its e-mail address, user name, employee id and password are a superuser's to
# change (may_change_identity). One relation a line; a chosen stand-in (D4's StandIn) is one
# more: its active rows.
AUTHORITY = (
    Q(is_superuser=True),
    Q(is_staff=True),
    Q(groups__name__in=(REGISTRAR_GROUP, REGIONAL_DIRECTOR_GROUP)),
    Q(commissioned_assignments__isnull=False),
    Q(deciding_assignments__isnull=False),
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
