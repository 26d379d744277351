"""The lifecycle of an uppdragshandling: its states and the transitions between them, each with
who may take it, declared once (viewflow.fsm).

Why viewflow.fsm beside viewflow's process: the process (flows.py) says whose task is next, the
lifecycle what the record *is* (draft, adopted, in progress, delivered, decided, cancelled,
superseded). The state is read everywhere (lists, reports, filters, the API) and must be a
column; viewflow's process is not one row per assignment (a new version has its own, a
cancelled one ends early). So the state is a column that only these transitions write: the
setter below is its one writer (tests/test_architecture.py walks the code for others), and the
services take a transition where the process moves (adopting runs the adoption task, a
submission the work task, the last approval the approval tasks' join), inside the same
transaction and row lock, so the state and the process move together.

A transition's permission is the rule of assignments.permissions that guards it; the services
ask it (`lifecycle(...).may("adopt", actor)`) before they move, with their own Swedish refusal.
"""

from __future__ import annotations

from viewflow import fsm

from assignments import audit, permissions
from assignments.models import Assignment

from .selectors import open_tasks

State = Assignment.State


def _may_answer(lifecycle: AssignmentLifecycle, user) -> bool:
    """A decision-maker of record, or the stand-in they chose, who may answer now."""
    me = permissions.standing(user, lifecycle.assignment)
    return any(permissions.may_answer(task, me) for task in open_tasks(lifecycle.assignment))


def _on_working_side(lifecycle: AssignmentLifecycle, user) -> bool:
    assignment = lifecycle.assignment
    return permissions.is_assignee(user, assignment) or permissions.is_working_group_member(
        user, assignment
    )


class AssignmentLifecycle:
    """An assignment's state machine, for one change by one actor (with an optional reason)."""

    state = fsm.State(State, default=State.DRAFT)

    def __init__(self, assignment: Assignment, *, actor, reason: str = ""):
        self.assignment = assignment
        self.actor = actor
        self.reason = reason

    def may(self, name: str, user) -> bool:
        """Whether user may take the transition `name` at all, in whichever state it starts
        (its declared permission): what the services ask before they say why not."""
        method = getattr(type(self), name)
        return any(t.has_perm(self, user) for t in method.get_transitions())

    @state.getter()
    def _read_state(self):
        return self.assignment.state

    @state.setter()
    def _write_state(self, value):
        # The one writer of Assignment.state.
        self.assignment.state = value

    @state.on_success()
    def _record(self, descriptor, source, target, **kwargs):
        """Every transition is saved and audited, in the caller's transaction; the audit entry
        replans the reminders (reminders/receivers.py), so it is written after the save."""
        # The model's rules in the new state (one document in force per registration number):
        # a Swedish ValidationError here, never the database's IntegrityError at the save.
        self.assignment.validate_constraints()
        self.assignment.save(update_fields=["state", "updated_at"])
        audit.record(
            actor=self.actor,
            action="assignment.state_changed",
            obj=self.assignment,
            before={"state": source},
            after={"state": target},
            reason=self.reason,
        )

    # -- the transitions, in the order of the tidplan -------------------------------------

    @state.transition(
        source=State.DRAFT,
        target=State.ADOPTED,
        permission=lambda self, user: bool(permissions.can_adopt_assignment(user, self.assignment)),
    )
    def adopt(self):
        """A commissioner (or the regional director) adopts (fastställer) the draft."""

    @state.transition(source=State.ADOPTED, target=State.IN_PROGRESS, permission=_on_working_side)
    def start_work(self):
        """The first milestone update starts the work."""

    @state.transition(
        source=list(Assignment.WORKING_STATES),
        target=State.DELIVERED,
        permission=lambda self, user: bool(permissions.can_submit_delivery(user, self.assignment)),
    )
    def deliver(self):
        """The assignee submits the final delivery: it waits for the decision-makers."""

    @state.transition(source=State.DELIVERED, target=State.IN_PROGRESS, permission=_may_answer)
    def return_for_revision(self):
        """One decision-maker returns the delivery (återremiss): the work goes on."""

    @state.transition(source=State.DELIVERED, target=State.DECIDED, permission=_may_answer)
    def decide(self):
        """The last decision-maker of record approves: the assignment is decided."""

    @state.transition(
        source=list(Assignment.OPEN_STATES),
        target=State.CANCELLED,
        permission=lambda self, user: bool(
            permissions.can_cancel_assignment(user, self.assignment)
        ),
    )
    def cancel(self):
        """A commissioner cancels an open assignment (with a reason)."""

    @state.transition(
        source=list(Assignment.OPEN_STATES),
        target=State.SUPERSEDED,
        permission=lambda self, user: bool(
            permissions.can_supersede_assignment(user, self.assignment)
        ),
    )
    def supersede(self):
        """A new version replaces the document (adopted, or registered as replacing it)."""


def lifecycle(assignment: Assignment, *, actor, reason: str = "") -> AssignmentLifecycle:
    """The lifecycle of the assignment (locked by the caller), for a change by actor."""
    return AssignmentLifecycle(assignment, actor=actor, reason=reason)
