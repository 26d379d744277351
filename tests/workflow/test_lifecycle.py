"""Issue #25, reproduction 8: one declared lifecycle (workflow/lifecycle.py), and the decision
recorded where the last approval is answered (services.approve_delivery), not by a flow
callback. tests/test_architecture.py checks that nothing else writes the state."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from viewflow import fsm
from viewflow.workflow import flow

from assignments.models import Assignment, AuditEntry, Decision
from workflow import services
from workflow.flows import AssignmentFlow
from workflow.lifecycle import AssignmentLifecycle, lifecycle

pytestmark = pytest.mark.django_db

State = Assignment.State


def test_the_transitions_are_declared_once_each_with_its_permission():
    declared = {
        (name.slug, str(t.source), str(t.target))
        for name, transitions in AssignmentLifecycle.state.get_transitions().items()
        for t in transitions
        if t.permission is not None
    }
    assert ("adopt", "draft", "adopted") in declared
    assert ("start_work", "adopted", "in_progress") in declared
    assert {("deliver", s, "delivered") for s in ("adopted", "in_progress")} <= declared
    assert ("return_for_revision", "delivered", "in_progress") in declared
    assert ("decide", "delivered", "decided") in declared
    for source in ("draft", "adopted", "in_progress", "delivered"):
        assert ("cancel", source, "cancelled") in declared
        assert ("supersede", source, "superseded") in declared
    # nothing leaves a closed state
    assert not {t for t in declared if t[1] in ("decided", "cancelled", "superseded")}


def test_a_transition_from_the_wrong_state_is_refused_and_changes_nothing(seed004, people):
    with pytest.raises(fsm.TransitionNotAllowed):
        lifecycle(seed004, actor=people.registrator).decide()
    seed004.refresh_from_db()
    assert seed004.state == State.DRAFT
    assert not AuditEntry.objects.filter(
        assignment=seed004, action="assignment.state_changed"
    ).exists()


def test_the_flow_has_no_callback_that_records_the_decision():
    nodes = {node.name: node for node in AssignmentFlow.instance.nodes()}
    assert "record_decision" not in nodes
    assert not [node for node in nodes.values() if isinstance(node, flow.Function)]


def test_the_last_approval_records_the_decision_and_ends_the_process(seed004, people):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    delivery = services.submit_delivery(
        assignment=seed004, actor=people.jan_strang, summary="Förslag"
    )
    services.approve_delivery(delivery=delivery, decided_by=people.per_albertsson)
    seed004.refresh_from_db()
    assert seed004.state == State.DELIVERED
    assert not Decision.objects.filter(assignment=seed004).exists()
    services.approve_delivery(delivery=delivery, decided_by=people.anders_kullbratt)
    seed004.refresh_from_db()
    decision = Decision.objects.get(assignment=seed004)
    assert (seed004.state, decision.delivery) == (State.DECIDED, delivery)
    assert services.current_process(seed004).status == "DONE"
    entry = AuditEntry.objects.filter(assignment=seed004, action="assignment.state_changed").last()
    assert (entry.before, entry.after, entry.actor) == (
        {"state": "delivered"},
        {"state": "decided"},
        people.anders_kullbratt,
    )


def test_the_services_ask_the_transitions_permission_whatever_the_state(seed004, people):
    """The permission is declared on the transition; a refusal for who you are comes before
    one for the state the assignment is in."""
    jan, anders = people.jan_strang, people.anders_kullbratt
    draft = lifecycle(seed004, actor=jan)
    assert draft.may("adopt", anders) and not draft.may("adopt", jan)
    assert draft.may("deliver", jan) and not draft.may("deliver", anders)
    assert draft.may("cancel", anders) and not draft.may("cancel", jan)
    with pytest.raises(PermissionDenied):
        services.submit_delivery(assignment=seed004, actor=anders, summary="Förslag")
    with pytest.raises(ValidationError):
        services.submit_delivery(assignment=seed004, actor=jan, summary="Förslag")
