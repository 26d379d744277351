"""Issue #25, reproductions 1 and 2: a decision needs every decision-maker of record, each
answering in person or through a stand-in *that decision-maker* chose; nobody hands one
decision-maker's approval to another, and the delivering side never picks who decides.

Each test takes the adversary's path through the pages (POST .../reassign/, .../approve/) and
checks the record, not just the status code."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from viewflow.workflow.models import Task

from assignments.models import Approval, Assignment, AuditEntry
from tests.admin_forms import admin_form_data
from tests.factories import UserFactory
from workflow import selectors, services

pytestmark = pytest.mark.django_db

DECIDED_ON = "2025-12-01"


def url(name: str, assignment) -> str:
    return reverse(f"workflow:{name}", args=[assignment.pk])


def approval_task(assignment, decision_maker) -> Task:
    return next(
        t
        for t in services.open_tasks(assignment)
        if t.flow_task.name == "approve" and t.data["decision_maker"] == decision_maker.pk
    )


def answers(assignment):
    return Approval.objects.filter(delivery__assignment=assignment)


def deliver(assignment, people):
    services.adopt_assignment(assignment=assignment, actor=people.anders_kullbratt)
    # submitted before the decision dates below: a decision is never dated before its delivery
    with time_machine.travel(dt.datetime(2025, 11, 28, 10, tzinfo=dt.UTC), tick=False):
        services.submit_delivery(assignment=assignment, actor=people.jan_strang, summary="Förslag")
    return assignment


@pytest.fixture
def kim(db):
    """A person with no role on the assignment."""
    return UserFactory(username="kim.berg", first_name="Kim", last_name="Berg")


# -- reproduction 1: N-of-M collapses to one person ----------------------------------------


def test_registrar_cannot_hand_one_decision_makers_approval_to_another(client, seed004, people):
    delivered = deliver(seed004, people)
    anders, per = people.anders_kullbratt, people.per_albertsson
    task = approval_task(delivered, anders)
    client.force_login(people.registrator)
    response = client.post(
        url("reassign", delivered),
        {"task": task.pk, "new_owner": per.pk, "reason": "Anders är sjukskriven"},
    )
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.owner == anders
    client.force_login(per)
    client.post(url("approve", delivered), {"decided_on": DECIDED_ON})
    client.post(url("approve", delivered), {"decided_on": DECIDED_ON})
    delivered.refresh_from_db()
    assert delivered.state == Assignment.State.DELIVERED
    assert [(a.decision_maker, a.acted_by) for a in answers(delivered)] == [(per, per)]


def test_an_approval_handed_to_another_decision_maker_by_the_old_path_cannot_be_answered(
    seed004, people
):
    """What the old registrar path left behind (Anders' task held by Per as his stand-in) is
    refused at answer time: Per answers once, for himself."""
    delivered = deliver(seed004, people)
    anders, per = people.anders_kullbratt, people.per_albertsson
    task = approval_task(delivered, anders)
    Task.objects.filter(pk=task.pk).update(owner=per, data={**task.data, "stand_in": per.pk})
    delivery = delivered.deliveries.get()
    services.approve_delivery(delivery=delivery, decided_by=per, decided_on=dt.date(2025, 12, 1))
    with pytest.raises((PermissionDenied, ValidationError)):
        services.approve_delivery(delivery=delivery, decided_by=per)
    delivered.refresh_from_db()
    assert delivered.state == Assignment.State.DELIVERED
    assert [(a.decision_maker, a.acted_by) for a in answers(delivered)] == [(per, per)]


def test_a_decision_maker_is_never_offered_another_as_stand_in(client, seed004, people):
    delivered = deliver(seed004, people)
    anders, per = people.anders_kullbratt, people.per_albertsson
    context = selectors.assignment_page(anders, delivered, dt.date(2025, 12, 1))
    task = next(t for t in context["tasks"] if t.data.get("decision_maker") == anders.pk)
    assert task.may_hand_on
    assert per not in task.stand_ins
    client.force_login(anders)
    response = client.post(
        url("reassign", delivered),
        {"task": task.pk, "new_owner": per.pk, "reason": "Semester"},
    )
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.owner == anders
    client.force_login(per)
    client.post(url("approve", delivered), {"decided_on": DECIDED_ON})
    client.post(url("approve", delivered), {"decided_on": DECIDED_ON})
    delivered.refresh_from_db()
    assert delivered.state == Assignment.State.DELIVERED
    assert answers(delivered).count() == 1


# -- reproduction 2: the delivering side picks who decides ---------------------------------


@pytest.fixture
def led_by_per(seed004, people):
    """RS 2024-05699 with Per, one of its decision-makers, as its project lead, delivered."""
    Assignment.objects.filter(pk=seed004.pk).update(project_lead=people.per_albertsson)
    seed004.refresh_from_db()
    return deliver(seed004, people)


def test_a_decision_maker_who_leads_the_project_cannot_choose_a_stand_in(
    client, led_by_per, people, kim
):
    per = people.per_albertsson
    client.force_login(per)
    assert client.post(url("approve", led_by_per), {"decided_on": DECIDED_ON}).status_code == 403
    task = approval_task(led_by_per, per)
    response = client.post(
        url("reassign", led_by_per), {"task": task.pk, "new_owner": kim.pk, "reason": "Jäv"}
    )
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.owner == per and "stand_in" not in task.data
    client.force_login(kim)  # holds nothing, sees nothing
    assert client.post(url("approve", led_by_per), {"decided_on": DECIDED_ON}).status_code == 404
    services.approve_delivery(
        delivery=led_by_per.deliveries.get(), decided_by=people.anders_kullbratt
    )
    led_by_per.refresh_from_db()
    assert led_by_per.state == Assignment.State.DELIVERED
    assert [a.decision_maker for a in answers(led_by_per)] == [people.anders_kullbratt]


def test_a_stand_in_chosen_before_the_decision_maker_joined_the_delivering_side_cannot_answer(
    client, seed004, people, kim
):
    """Re-checked at answer time: the stand-in answers for Per only while Per himself could."""
    delivered = deliver(seed004, people)
    per = people.per_albertsson
    services.reassign_task(
        task=approval_task(delivered, per), actor=per, new_owner=kim, reason="Semester"
    )
    Assignment.objects.filter(pk=delivered.pk).update(project_lead=per)
    client.force_login(kim)
    assert client.post(url("approve", delivered), {"decided_on": DECIDED_ON}).status_code == 403
    assert not answers(delivered).exists()


# -- when a decision-maker cannot act, the registrar changes who decides ---------------------


def test_the_registrar_changes_who_decides_with_a_reason_audited(seed004, people, kim):
    registrar, per, anders = people.registrator, people.per_albertsson, people.anders_kullbratt
    with pytest.raises(PermissionDenied):
        services.change_decision_makers(
            assignment=seed004, actor=per, decision_makers=[anders], reason="Slutat"
        )
    with pytest.raises(ValidationError):
        services.change_decision_makers(
            assignment=seed004, actor=registrar, decision_makers=[anders, kim], reason=" "
        )
    services.change_decision_makers(
        assignment=seed004, actor=registrar, decision_makers=[anders, kim], reason="Per har slutat"
    )
    assert set(seed004.decision_makers.all()) == {anders, kim}
    entry = AuditEntry.objects.get(assignment=seed004, action="assignment.decision_makers_changed")
    assert (entry.actor, entry.reason) == (registrar, "Per har slutat")
    assert entry.before == {"decision_makers": sorted([anders.pk, per.pk])}
    assert entry.after == {"decision_makers": sorted([anders.pk, kim.pk])}
    deliver(seed004, people)
    assert {t.data["decision_maker"] for t in services.open_tasks(seed004)} == {anders.pk, kim.pk}


def test_who_decides_is_fixed_while_a_delivery_waits_for_a_decision(seed004, people, kim):
    delivered = deliver(seed004, people)
    with pytest.raises(ValidationError):
        services.change_decision_makers(
            assignment=delivered,
            actor=people.registrator,
            decision_makers=[kim],
            reason="Per har slutat",
        )
    assert kim not in delivered.decision_makers.all()


def test_the_admin_changes_who_decides_through_the_service_with_a_reason(client, seed004, people):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    anders = people.anders_kullbratt
    client.force_login(people.registrator)
    page_url = reverse("admin:assignments_assignment_change", args=[seed004.pk])
    page = client.get(page_url)
    refused = client.post(page_url, admin_form_data(page, decision_makers=[str(anders.pk)]))
    assert refused.status_code == 200
    assert "Ange varför beslutsfattarna ändras." in refused.content.decode()
    assert seed004.decision_makers.count() == 2
    changed = client.post(
        page_url,
        admin_form_data(page, decision_makers=[str(anders.pk)], change_reason="Per har slutat"),
    )
    assert changed.status_code == 302
    assert list(seed004.decision_makers.all()) == [anders]
    entry = AuditEntry.objects.get(assignment=seed004, action="assignment.decision_makers_changed")
    assert entry.reason == "Per har slutat"


def test_a_chosen_stand_in_holds_authority_while_they_hold_the_approval(seed004, people, kim):
    """Identity is not the registrar's (people.identity): nor is a stand-in's, while the
    approval they were handed waits."""
    from assignments.permissions import holds_authority

    delivered = deliver(seed004, people)
    assert not holds_authority(kim)
    services.reassign_task(
        task=approval_task(delivered, people.per_albertsson),
        actor=people.per_albertsson,
        new_owner=kim,
        reason="Semester",
    )
    assert holds_authority(UserFactory._meta.model.objects.get(pk=kim.pk))
