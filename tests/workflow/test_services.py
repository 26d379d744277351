import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from assignments.models import Approval, Assignment, AuditEntry, Decision, Milestone
from workflow import services
from workflow.services import change_milestone_status, move_milestone_due

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 12, 3)


def actions(assignment) -> list[str]:
    return list(
        AuditEntry.objects.filter(assignment=assignment)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def open_task_names(assignment) -> list[str]:
    return sorted(t.flow_task.name for t in services.open_tasks(assignment))


@time_machine.travel(dt.datetime(2025, 12, 3, 10, tzinfo=dt.UTC))
def test_seed_004_whole_lifecycle_through_the_flow(seed004, people):
    jan, kullbratt, albertsson = people.jan_strang, people.anders_kullbratt, people.per_albertsson
    assert open_task_names(seed004) == ["adopt"]

    services.adopt_assignment(assignment=seed004, actor=kullbratt, reason="Fastställd")
    seed004.refresh_from_db()
    assert seed004.state == Assignment.State.ADOPTED
    assert open_task_names(seed004) == ["work"]

    compilation = seed004.milestones.get(kind="compilation")
    change_milestone_status(milestone=compilation, actor=jan, to_status="in_progress")
    change_milestone_status(
        milestone=compilation, actor=jan, to_status="done", comment="Förslag klart"
    )
    seed004.refresh_from_db()
    assert seed004.state == Assignment.State.IN_PROGRESS
    assert [(u.from_status, u.to_status) for u in compilation.updates.order_by("pk")] == [
        ("planned", "in_progress"),
        ("in_progress", "done"),
    ]

    first = services.submit_delivery(
        assignment=seed004, actor=jan, summary="Förslag till organisering"
    )
    assert open_task_names(seed004) == ["approve", "approve"]
    services.approve_delivery(delivery=first, decided_by=kullbratt, decided_on=TODAY)
    assert open_task_names(seed004) == ["approve"]
    services.return_delivery(
        delivery=first, decided_by=albertsson, comment="Förtydliga beslutsvägarna"
    )
    seed004.refresh_from_db()
    first.refresh_from_db()
    assert seed004.state == Assignment.State.IN_PROGRESS
    assert first.status == "returned"
    assert open_task_names(seed004) == ["work"]

    second = services.submit_delivery(assignment=seed004, actor=jan, summary="Reviderat förslag")
    assert second.number == 2
    services.approve_delivery(
        delivery=second,
        decided_by=albertsson,
        decided_on=TODAY,  # the day the second delivery is in
        paragraph_reference="§ 14",
    )
    services.approve_delivery(delivery=second, decided_by=kullbratt, decided_on=TODAY)

    seed004.refresh_from_db()
    assert seed004.state == Assignment.State.DECIDED
    decision = Decision.objects.get(assignment=seed004)
    assert decision.delivery == second
    assert decision.decided_on == TODAY
    assert decision.paragraph_reference == "§ 14"
    assert open_task_names(seed004) == []
    assert services.current_process(seed004).status == "DONE"

    trail = actions(seed004)
    assert trail[trail.index("assignment.adopted") :] == [
        "assignment.adopted",
        "milestone.status_changed",
        "assignment.state_changed",  # adopted -> in_progress
        "milestone.status_changed",
        "assignment.state_changed",  # -> delivered
        "delivery.submitted",
        "delivery.approved",
        "delivery.returned",
        "assignment.state_changed",  # -> in_progress
        "assignment.state_changed",  # -> delivered
        "delivery.submitted",
        "delivery.approved",
        "delivery.approved",
        "assignment.state_changed",  # -> decided
        "decision.recorded",
    ]
    returned = AuditEntry.objects.get(action="delivery.returned")
    assert returned.actor == albertsson
    assert returned.reason == "Förtydliga beslutsvägarna"


def test_return_requires_a_comment_and_saves_nothing(seed004, people):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    delivery = services.submit_delivery(assignment=seed004, actor=people.jan_strang, summary="X")
    with pytest.raises(ValidationError) as error:
        services.return_delivery(delivery=delivery, decided_by=people.per_albertsson, comment="  ")
    assert "Skriv varför leveransen återremitteras." in error.value.messages
    assert not Approval.objects.filter(delivery__assignment=seed004).exists()
    assert open_task_names(seed004) == ["approve", "approve"]


def test_working_group_member_cannot_approve(seed004, people):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    delivery = services.submit_delivery(assignment=seed004, actor=people.jan_strang, summary="X")
    with pytest.raises(PermissionDenied):
        services.approve_delivery(delivery=delivery, decided_by=people.erica_sandberg)
    assert not Approval.objects.filter(delivery__assignment=seed004).exists()


def test_decision_maker_cannot_answer_twice(seed004, people):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    delivery = services.submit_delivery(assignment=seed004, actor=people.jan_strang, summary="X")
    services.approve_delivery(delivery=delivery, decided_by=people.anders_kullbratt)
    with pytest.raises(ValidationError):
        services.approve_delivery(delivery=delivery, decided_by=people.anders_kullbratt)
    assert Approval.objects.filter(delivery__assignment=seed004).count() == 1


def test_only_commissioners_or_regional_director_adopt(seed004, people):
    with pytest.raises(PermissionDenied):
        services.adopt_assignment(assignment=seed004, actor=people.jan_strang)
    services.adopt_assignment(assignment=seed004, actor=people.regiondirektor)
    seed004.refresh_from_db()
    assert seed004.state == "adopted"


def test_only_the_assignee_submits(seed004, people):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    with pytest.raises(PermissionDenied):
        services.submit_delivery(assignment=seed004, actor=people.erica_sandberg, summary="X")
    assert not seed004.deliveries.exists()


def test_illegal_milestone_transition_is_rejected_in_swedish(seed004, people):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    milestone = seed004.milestones.get(kind="seminars")
    change_milestone_status(
        milestone=milestone, actor=people.jan_strang, to_status="cancelled", comment="Inte nu"
    )
    with pytest.raises(ValidationError) as error:
        change_milestone_status(milestone=milestone, actor=people.jan_strang, to_status="done")
    assert error.value.messages == ["En milstolpe som är ”Avbruten” kan inte bli ”Klar”."]
    milestone.refresh_from_db()
    assert milestone.status == "cancelled"
    assert milestone.updates.count() == 1


def test_information_reader_cannot_update_a_milestone(seed004, people):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    milestone = seed004.milestones.first()
    with pytest.raises(PermissionDenied):
        change_milestone_status(
            milestone=milestone, actor=people["ann-charlotte.jarnstrom"], to_status="in_progress"
        )
    assert not milestone.updates.exists()


def test_moving_a_due_date_needs_a_reason_and_is_logged(seed004, people):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    milestone = seed004.milestones.get(kind="compilation")
    with pytest.raises(ValidationError):
        move_milestone_due(
            milestone=milestone, actor=people.jan_strang, new_due=dt.date(2025, 12, 12), reason=""
        )
    move_milestone_due(
        milestone=milestone,
        actor=people.jan_strang,
        new_due=dt.date(2025, 12, 12),
        reason="Seminarier flyttade",
    )
    milestone.refresh_from_db()
    assert milestone.due == dt.date(2025, 12, 12)
    entry = AuditEntry.objects.get(action="milestone.due_moved")
    assert entry.before == {"due": "2025-11-30"}
    assert entry.after == {"due": "2025-12-12"}
    assert entry.reason == "Seminarier flyttade"


def test_after_the_final_delivery_no_milestone_changes_until_a_return(seed004, people):
    """The rule the assignment page asks (Milestone.statuses_now, Milestone.may_move_due) is
    the rule the services enforce: nothing after the delivery, everything again after a
    return."""
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    milestone = Milestone.objects.select_related("assignment").get(
        assignment=seed004, kind="compilation"
    )
    assert milestone.statuses_now() and milestone.may_move_due
    delivery = services.submit_delivery(
        assignment=seed004, actor=people.jan_strang, summary="Förslag"
    )
    milestone = Milestone.objects.select_related("assignment").get(pk=milestone.pk)
    audited = AuditEntry.objects.count()
    assert (milestone.statuses_now(), milestone.may_move_due) == ([], False)
    with pytest.raises(ValidationError, match="bara uppdateras medan uppdraget pågår"):
        change_milestone_status(milestone=milestone, actor=people.jan_strang, to_status="done")
    with pytest.raises(ValidationError, match="bara uppdateras medan uppdraget pågår"):
        move_milestone_due(
            milestone=milestone,
            actor=people.jan_strang,
            new_due=dt.date(2025, 12, 12),
            reason="Sent",
        )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.due) == ("planned", dt.date(2025, 11, 30))
    assert AuditEntry.objects.count() == audited

    services.return_delivery(delivery=delivery, decided_by=people.per_albertsson, comment="Mer")
    milestone = Milestone.objects.select_related("assignment").get(pk=milestone.pk)
    assert "done" in milestone.statuses_now() and milestone.may_move_due
    move_milestone_due(
        milestone=milestone, actor=people.jan_strang, new_due=dt.date(2025, 12, 12), reason="Sent"
    )


def test_a_drafts_milestones_change_only_once_it_is_adopted(seed004, people):
    milestone = seed004.milestones.get(kind="compilation")
    assert (milestone.statuses_now(), milestone.may_move_due) == ([], False)
    with pytest.raises(ValidationError):
        move_milestone_due(
            milestone=milestone, actor=people.jan_strang, new_due=dt.date(2025, 12, 12), reason="x"
        )


def test_cancel_needs_a_commissioner_and_a_reason_and_closes_everything(seed004, people):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    with pytest.raises(PermissionDenied):
        services.cancel_assignment(assignment=seed004, actor=people.jan_strang, reason="x")
    with pytest.raises(ValidationError):
        services.cancel_assignment(assignment=seed004, actor=people.per_albertsson, reason="")
    services.cancel_assignment(
        assignment=seed004, actor=people.per_albertsson, reason="Omprioriterat"
    )
    seed004.refresh_from_db()
    assert seed004.state == Assignment.State.CANCELLED
    assert open_task_names(seed004) == []
    assert services.current_process(seed004).status == "CANCELED"
    assert set(seed004.milestones.values_list("status", flat=True)) == {Milestone.Status.CANCELLED}
    entry = AuditEntry.objects.filter(action="assignment.state_changed").last()
    assert entry.after == {"state": "cancelled"} and entry.reason == "Omprioriterat"


def test_supersede_closes_the_old_process_and_links_both(seed004, people):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    new = Assignment(
        registration_number="RS 2024-05699",
        document_date=dt.date(2025, 10, 1),
        issuing_unit=seed004.issuing_unit,
        title="Reviderad uppdragshandling",
        assignee=people.jan_strang,
        state=Assignment.State.DRAFT,
    )
    with pytest.raises(PermissionDenied):
        services.supersede_assignment(old=seed004, new=new, actor=people.jan_strang)
    services.supersede_assignment(old=seed004, new=new, actor=people.anders_kullbratt)
    seed004.refresh_from_db()
    new.refresh_from_db()
    assert seed004.state == Assignment.State.SUPERSEDED
    assert new.supersedes == seed004
    assert services.current_process(seed004).status == "CANCELED"
    assert open_task_names(new) == ["adopt"]
    assert set(new.commissioners.all()) == set(seed004.commissioners.all())
    assert AuditEntry.objects.filter(action="assignment.superseded", assignment=seed004).exists()


def test_reassign_to_a_stand_in_lets_them_answer_for_the_decision_maker(seed004, people):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    delivery = services.submit_delivery(assignment=seed004, actor=people.jan_strang, summary="X")
    task = next(
        t
        for t in services.open_tasks(seed004)
        if t.data["decision_maker"] == people.per_albertsson.pk
    )
    for actor in (people.erica_sandberg, people.anders_kullbratt):  # only Per delegates Per's
        with pytest.raises(PermissionDenied):
            services.reassign_task(
                task=task, actor=actor, new_owner=people.regiondirektor, reason="x"
            )
    services.reassign_task(
        task=task, actor=people.per_albertsson, new_owner=people.regiondirektor, reason="Semester"
    )
    approval = services.approve_delivery(delivery=delivery, decided_by=people.regiondirektor)
    assert approval.decision_maker == people.per_albertsson
    assert approval.acted_by == people.regiondirektor
    assert AuditEntry.objects.get(action="task.reassigned").reason == "Semester"
