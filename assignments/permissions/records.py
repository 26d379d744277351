"""Who may read and change the record: an assignment, its milestones, the portfolio and the
registering of a new one; the object permissions Django's has_perm answers (registered here,
so importing assignments.permissions registers them)."""

from __future__ import annotations

import rules
from django.db.models import Q

from ..models import Assignment, Milestone
from .roles import (
    _open_tasks_held_by,
    is_assignee,
    is_commissioner,
    is_decision_maker,
    is_information_reader,
    is_public_within_organisation,
    is_regional_director,
    is_registrar,
    is_stand_in,
    is_working_group_member,
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


@rules.predicate
def can_comment_on_milestone(user, milestone: Milestone) -> bool:
    """A comment in a milestone's log: whoever may update it, and the assignment's
    commissioners, decision-makers and working group ("för kännedom" readers only read)."""
    if milestone is None:
        return False
    if can_update_milestone(user, milestone):
        return True
    assignment = milestone.assignment
    return bool(
        is_commissioner(user, assignment)
        or is_decision_maker(user, assignment)
        or is_working_group_member(user, assignment)
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
    """Who may open "Nytt uppdrag": a registrar, or a commissioner (one who commissions an
    assignment already) registering one of their own. The same rule guards the page and the
    admin's add form; importing a document asks may_import_documents."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_registrar(user):
        return True
    cache = getattr(user, "_uppdrag_is_commissioner", None)
    if cache is None:
        cache = user.commissioned_assignments.exists()
        user._uppdrag_is_commissioner = cache
    return cache


def may_import_documents(user) -> bool:
    """Who may upload an uppdragshandling to be read ("Nytt uppdrag"'s import, its progress and
    review pages): registrars only. Reading a file costs a worker's time and memory, so it is
    not open to every commissioner; the command line is the server operator's and asks nobody."""
    return bool(getattr(user, "is_authenticated", False)) and is_registrar(user)


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
