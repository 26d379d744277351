"""Two decision-makers answering at the same moment, on real parallel connections."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from assignments.models import Approval, Assignment, Decision, Milestone, User
from workflow import services
from workflow.services import change_milestone_status


@pytest.fixture
def delivered(transactional_db):
    call_command("load_demo", verbosity=0)
    assignment = Assignment.objects.get(registration_number="RS 2024-05699", state="adopted")
    services.submit_delivery(
        assignment=assignment, actor=User.objects.get(username="jan.strang"), summary="Förslag"
    )
    return assignment


def run_at_once(*calls):
    """Start every call on its own thread and connection, released together by a barrier."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def runner(call):
        try:
            barrier.wait(timeout=10)
            call()
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_two_decision_makers_approving_at_once_record_exactly_one_decision(delivered):
    delivery = delivered.deliveries.get()
    kullbratt = User.objects.get(username="anders.kullbratt")
    albertsson = User.objects.get(username="per.albertsson")
    errors = run_at_once(
        lambda: services.approve_delivery(delivery=delivery, decided_by=kullbratt),
        lambda: services.approve_delivery(delivery=delivery, decided_by=albertsson),
    )
    assert errors == []
    assert Decision.objects.filter(assignment=delivered).count() == 1
    assert Approval.objects.filter(delivery=delivery, verdict="approved").count() == 2
    delivered.refresh_from_db()
    assert delivered.state == Assignment.State.DECIDED
    assert services.open_tasks(delivered).count() == 0


def test_approve_and_return_at_once_leave_a_consistent_process(delivered):
    delivery = delivered.deliveries.get()
    kullbratt = User.objects.get(username="anders.kullbratt")
    albertsson = User.objects.get(username="per.albertsson")
    errors = run_at_once(
        lambda: services.approve_delivery(delivery=delivery, decided_by=kullbratt),
        lambda: services.return_delivery(delivery=delivery, decided_by=albertsson, comment="Nej"),
    )
    delivered.refresh_from_db()
    assert not Decision.objects.filter(assignment=delivered).exists()
    assert delivered.state == Assignment.State.IN_PROGRESS
    assert [t.flow_task.name for t in services.open_tasks(delivered)] == ["work"]
    # Whoever came second met a returned delivery: a clear refusal, never a crash.
    assert all(type(e).__name__ == "ValidationError" for e in errors)


def test_two_people_updating_one_milestone_lose_no_update(transactional_db):
    call_command("load_demo", verbosity=0)
    assignment = Assignment.objects.get(registration_number="RS 2024-05699", state="adopted")
    milestone = assignment.milestones.get(kind="seminars")
    milestone.responsible = User.objects.get(username="erica.sandberg")
    milestone.save()
    jan = User.objects.get(username="jan.strang")
    erica = User.objects.get(username="erica.sandberg")
    errors = run_at_once(
        lambda: change_milestone_status(milestone=milestone, actor=jan, to_status="in_progress"),
        lambda: change_milestone_status(milestone=milestone, actor=erica, to_status="at_risk"),
    )
    updates = list(milestone.updates.order_by("pk"))
    milestone.refresh_from_db()
    # Both changes are legal from "planned", so both land, one after the other, and the log
    # chains: the second update starts from the first one's result.
    assert errors == []
    assert len(updates) == 2
    assert updates[1].from_status == updates[0].to_status
    assert milestone.status == updates[1].to_status
    assert Milestone.objects.filter(pk=milestone.pk).count() == 1
