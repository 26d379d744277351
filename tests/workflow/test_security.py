"""Who may answer an approval, on every path; viewflow's own pages (issue #15, reproductions 1
and 7). Each test takes the adversary's side: the assignee, a working-group member, a
commissioner who is not the task's decision-maker, a person with no role at all."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from viewflow.workflow.models import Task

from assignments.models import Approval, AuditEntry, Distribution
from tests.factories import DistributionFactory, UserFactory, WorkingGroupMemberFactory
from workflow import services

pytestmark = pytest.mark.django_db

DECIDED_ON = "2025-12-01"


@pytest.fixture
def delivered(seed004, people):
    """RS 2024-05699 adopted and delivered: one approval task per decision-maker."""
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    # submitted before the decision dates below: a decision is never dated before its delivery
    with time_machine.travel(dt.datetime(2025, 11, 28, 10, tzinfo=dt.UTC), tick=False):
        services.submit_delivery(assignment=seed004, actor=people.jan_strang, summary="Förslag")
    return seed004


@pytest.fixture
def kim(db):
    """A person with no role on the assignment: a stand-in (ställföreträdare), or an outsider."""
    return UserFactory(username="kim.berg", first_name="Kim", last_name="Berg")


def approval_task(assignment, decision_maker) -> Task:
    return next(
        t
        for t in services.open_tasks(assignment)
        if t.flow_task.name == "approve" and t.data["decision_maker"] == decision_maker.pk
    )


def force_owner(task: Task, user) -> None:
    """The state the old reassign path (or a hand in the database) leaves behind."""
    Task.objects.filter(pk=task.pk).update(owner=user)


def answers(assignment):
    """The decision-makers' answers on this assignment (the demo holds others)."""
    return Approval.objects.filter(delivery__assignment=assignment)


def url(name: str, assignment) -> str:
    return reverse(f"workflow:{name}", args=[assignment.pk])


# -- reproduction 1: nobody decides their own delivery --------------------------------------


def test_assignee_cannot_take_a_decision_makers_approval_task_and_approve_it(
    client, delivered, people
):
    jan, anders = people.jan_strang, people.anders_kullbratt
    task = approval_task(delivered, anders)
    client.force_login(jan)
    response = client.post(
        url("reassign", delivered), {"task": task.pk, "new_owner": jan.pk, "reason": "Semester"}
    )
    assert response.status_code == 403
    assert "Bara beslutsfattaren" in response.content.decode()
    task.refresh_from_db()
    assert task.owner == anders
    assert not AuditEntry.objects.filter(assignment=delivered, action="task.reassigned").exists()
    response = client.post(url("approve", delivered), {"decided_on": DECIDED_ON})
    assert response.status_code == 403
    assert not answers(delivered).exists()


def test_assignee_who_holds_an_approval_task_still_cannot_answer_it(client, delivered, people):
    jan = people.jan_strang
    force_owner(approval_task(delivered, people.anders_kullbratt), jan)
    client.force_login(jan)
    assert client.post(url("approve", delivered), {"decided_on": DECIDED_ON}).status_code == 403
    assert client.post(url("return", delivered), {"comment": "Nej"}).status_code == 403
    delivery = delivered.deliveries.get()
    with pytest.raises(PermissionDenied):
        services.approve_delivery(delivery=delivery, decided_by=jan)
    with pytest.raises(PermissionDenied):
        services.return_delivery(delivery=delivery, decided_by=jan, comment="Nej")
    assert not answers(delivered).exists()


def test_no_role_owner_of_an_approval_task_cannot_answer_through_viewflows_execute_view(
    client, delivered, people, kim
):
    task = approval_task(delivered, people.per_albertsson)
    force_owner(task, kim)
    client.force_login(kim)
    execute = reverse("uppdrag:assignment:approve:execute", args=[task.process_id, task.pk])
    assert client.post(execute, {"decided_on": DECIDED_ON}).status_code == 403
    assert client.post(execute, {"return": "1", "comment": "Nej"}).status_code == 403
    assert not answers(delivered).exists()
    task.refresh_from_db()
    assert task.status == "ASSIGNED"


def test_working_group_member_who_holds_an_approval_task_cannot_open_it_in_viewflow(
    client, delivered, people
):
    erica = people.erica_sandberg
    task = approval_task(delivered, people.per_albertsson)
    force_owner(task, erica)
    client.force_login(erica)
    execute = reverse("uppdrag:assignment:approve:execute", args=[task.process_id, task.pk])
    assert client.get(execute).status_code == 403
    assert client.post(execute, {"decided_on": DECIDED_ON}).status_code == 403
    assert not answers(delivered).exists()


# -- delegation is the decision-maker's own act ---------------------------------------------


def test_only_the_tasks_own_decision_maker_delegates_it(delivered, people, kim):
    task = approval_task(delivered, people.per_albertsson)
    for actor in (people.anders_kullbratt, people.jan_strang, people.erica_sandberg, kim):
        with pytest.raises(PermissionDenied):
            services.reassign_task(task=task, actor=actor, new_owner=kim, reason="Semester")
    task.refresh_from_db()
    assert task.owner == people.per_albertsson


def test_a_stand_in_is_never_on_the_working_side(delivered, people):
    per = people.per_albertsson
    executor = UserFactory()
    DistributionFactory(
        assignment=delivered, person=executor, purpose=Distribution.Purpose.EXECUTION
    )
    inactive = UserFactory(is_active=False)
    task = approval_task(delivered, per)
    for person in (people.jan_strang, people.erica_sandberg, executor, inactive):
        with pytest.raises(ValidationError):
            services.reassign_task(task=task, actor=per, new_owner=person, reason="Semester")
    task.refresh_from_db()
    assert task.owner == per


def test_decision_maker_delegates_to_a_stand_in_who_answers_in_their_name(
    client, delivered, people, kim
):
    per = people.per_albertsson
    client.force_login(per)
    task = approval_task(delivered, per)
    response = client.post(
        url("reassign", delivered), {"task": task.pk, "new_owner": kim.pk, "reason": "Semester"}
    )
    assert response.status_code == 302
    client.force_login(kim)
    assert client.get(url("process", delivered)).status_code == 200
    assert 'id="approve"' in client.get(url("decision", delivered)).content.decode()
    assert client.post(url("approve", delivered), {"decided_on": DECIDED_ON}).status_code == 302
    approval = answers(delivered).get()
    assert (approval.decision_maker, approval.acted_by) == (per, kim)
    entry = AuditEntry.objects.get(assignment=delivered, action="delivery.approved")
    assert entry.actor == kim
    assert (entry.after["decision_maker"], entry.after["acted_by"]) == (per.pk, kim.pk)
    by_line = "Per Albertsson, genom ersättare Kim Berg"
    for name in ("decision", "process", "audit"):
        assert by_line in client.get(url(name, delivered)).content.decode(), name


def test_approval_names_the_stand_in_in_english_too(delivered, people, kim):
    per = people.per_albertsson
    services.reassign_task(
        task=approval_task(delivered, per), actor=per, new_owner=kim, reason="Semester"
    )
    approval = services.approve_delivery(delivery=delivered.deliveries.get(), decided_by=kim)
    with translation.override("en"):
        assert approval.answered_by == "Per Albertsson, through deputy Kim Berg"
    own = services.approve_delivery(
        delivery=delivered.deliveries.get(), decided_by=people.anders_kullbratt
    )
    assert own.acted_by == people.anders_kullbratt
    assert own.answered_by == "Anders Kullbratt"


def test_stand_in_who_joins_the_working_group_can_no_longer_answer(delivered, people, kim):
    per = people.per_albertsson
    services.reassign_task(
        task=approval_task(delivered, per), actor=per, new_owner=kim, reason="Semester"
    )
    WorkingGroupMemberFactory(assignment=delivered, person=kim)
    with pytest.raises(PermissionDenied):
        services.approve_delivery(delivery=delivered.deliveries.get(), decided_by=kim)
    assert not answers(delivered).exists()


def test_decision_maker_takes_the_task_back_and_the_stand_in_loses_it(delivered, people, kim):
    per = people.per_albertsson
    task = approval_task(delivered, per)
    services.reassign_task(task=task, actor=per, new_owner=kim, reason="Semester")
    services.reassign_task(task=task, actor=per, new_owner=per, reason="Tillbaka")
    with pytest.raises(PermissionDenied):
        services.approve_delivery(delivery=delivered.deliveries.get(), decided_by=kim)
    approval = services.approve_delivery(delivery=delivered.deliveries.get(), decided_by=per)
    assert approval.acted_by == per


def test_registrar_never_hands_an_approval_task_on(delivered, people, kim):
    """The rule since issue #25: a registrar changes who decides, never hands one
    decision-maker's approval to another (which let Per answer for Anders)."""
    registrar, anders, per = people.registrator, people.anders_kullbratt, people.per_albertsson
    task = approval_task(delivered, per)
    for person in (anders, kim):
        with pytest.raises(PermissionDenied):
            services.reassign_task(task=task, actor=registrar, new_owner=person, reason="Slutat")
    task.refresh_from_db()
    assert task.owner == per
    assert not AuditEntry.objects.filter(assignment=delivered, action="task.reassigned").exists()


def test_a_stand_in_answers_for_one_decision_maker_only(delivered, people, kim):
    per, anders = people.per_albertsson, people.anders_kullbratt
    services.reassign_task(
        task=approval_task(delivered, per), actor=per, new_owner=kim, reason="Semester"
    )
    with pytest.raises(ValidationError):
        services.reassign_task(
            task=approval_task(delivered, anders), actor=anders, new_owner=kim, reason="Resa"
        )
    assert approval_task(delivered, anders).owner == anders


def test_adopt_task_goes_only_to_someone_who_may_adopt(seed004, people, kim):
    anders = people.anders_kullbratt
    task = services.open_tasks(seed004).get()
    for person in (people.erica_sandberg, kim):
        with pytest.raises(ValidationError):
            services.reassign_task(task=task, actor=anders, new_owner=person, reason="Semester")
    services.reassign_task(
        task=task, actor=anders, new_owner=people.regiondirektor, reason="Semester"
    )
    services.adopt_assignment(assignment=seed004, actor=people.regiondirektor)


# -- the adoption waits in the queue of every commissioner (issue #17, 7) -------------------


def adoption_task(assignment) -> Task:
    (task,) = [t for t in services.open_tasks(assignment) if t.flow_task.name == "adopt"]
    return task


def task_url(task: Task, action: str) -> str:
    return reverse(f"uppdrag:assignment:adopt:{action}", args=[task.process_id, task.pk])


@pytest.mark.parametrize("commissioner", ["anders.kullbratt", "per.albertsson"])
def test_every_commissioner_takes_the_adoption_in_viewflow_and_adopts(
    client, seed004, people, commissioner
):
    task = adoption_task(seed004)
    assert task.owner is None and task.status == "NEW"
    client.force_login(people[commissioner])
    # the task's page leads a commissioner to take it, and taking it leads on to adopting
    index = client.get(reverse("uppdrag:assignment:adopt:index", args=[task.process_id, task.pk]))
    assert index["Location"] == task_url(task, "assign")
    assert client.post(task_url(task, "assign")).status_code == 302
    assert Task.objects.get(pk=task.pk).owner == people[commissioner]
    assert client.get(task_url(task, "execute")).status_code == 200
    response = client.post(task_url(task, "execute"), {"reason": "Enligt beslut."})
    assert response.status_code == 302
    seed004.refresh_from_db()
    assert seed004.state == "adopted"
    entry = AuditEntry.objects.filter(action="assignment.adopted", assignment=seed004).get()
    assert entry.actor == people[commissioner]


@pytest.mark.parametrize("outsider", ["jan.strang", "erica.sandberg", "registrator", "kim.berg"])
def test_nobody_but_a_commissioner_takes_or_runs_the_adoption(
    client, seed004, people, kim, outsider
):
    task = adoption_task(seed004)
    client.force_login(people[outsider])
    assert client.post(task_url(task, "assign")).status_code in (403, 404)
    assert Task.objects.get(pk=task.pk).owner is None
    force_owner(task, people[outsider])  # however it got there, holding it is not enough
    assert client.get(task_url(task, "execute")).status_code == 403
    response = client.post(task_url(task, "execute"), {"reason": "Enligt beslut."})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.adopt_assignment(assignment=seed004, actor=people[outsider])
    seed004.refresh_from_db()
    assert seed004.state == "draft"


def test_adopting_on_the_page_names_the_adopter_whoever_took_the_task(seed004, people):
    task = adoption_task(seed004)
    task.flow_task.activation_class(task).assign(people.anders_kullbratt)  # Anders took it
    services.adopt_assignment(assignment=seed004, actor=people.per_albertsson)  # Per adopts
    done = Task.objects.get(pk=task.pk)
    assert done.status == "DONE" and done.owner == people.per_albertsson


def test_work_task_goes_only_to_the_working_side(seed004, people, kim):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    task = services.open_tasks(seed004).get()
    for person in (kim, people.per_albertsson):
        with pytest.raises(ValidationError):
            services.reassign_task(
                task=task, actor=people.jan_strang, new_owner=person, reason="Semester"
            )


# -- reproduction 7: viewflow's own pages -------------------------------------------------


def test_process_chart_is_for_participants_of_that_process_only(client, delivered, people, kim):
    process = services.current_process(delivered)
    chart = reverse("uppdrag:assignment:process_chart", args=[process.pk])
    client.force_login(kim)
    assert client.get(chart).status_code == 403
    client.force_login(people.jan_strang)
    response = client.get(chart)
    assert response.status_code == 200
    assert "<svg" in response.content.decode()


@pytest.mark.parametrize("name", ["tasks_assign", "tasks_unassign"])
def test_bulk_pages_list_only_tasks_the_user_may_act_on(client, delivered, people, kim, name):
    process = services.current_process(delivered)
    for person in (kim, people.per_albertsson):
        client.force_login(person)
        response = client.post(reverse(f"uppdrag:assignment:{name}"), {"select_all": "1"})
        assert response.status_code == 200
        assert list(response.context["view"].get_queryset()) == []
        assert f"#{process.pk}/" not in response.content.decode()
    response = client.post(
        reverse(f"uppdrag:assignment:{name}"), {"select_all": "1", "_confirm": "1"}
    )
    assert response.status_code in (302, 403)
    tasks = services.open_tasks(delivered)
    assert len(tasks) == 2
    assert all(t.owner_id == t.data["decision_maker"] for t in tasks)


def viewflow_pages(assignment) -> list[str]:
    process = services.current_process(assignment)
    task = approval_task(assignment, assignment.decision_makers.order_by("pk").first())
    return [
        reverse("uppdrag:assignment:index"),
        reverse("uppdrag:assignment:inbox"),
        reverse("uppdrag:assignment:queue"),
        reverse("uppdrag:assignment:chart"),
        reverse("uppdrag:assignment:process_chart", args=[process.pk]),
        reverse("uppdrag:assignment:process_detail", args=[process.pk]),
        reverse("uppdrag:assignment:approve:execute", args=[process.pk, task.pk]),
        reverse("uppdrag:assignment:approve:detail", args=[process.pk, task.pk]),
    ]


def test_anonymous_users_are_sent_to_login_on_viewflows_pages(client, delivered):
    for page in viewflow_pages(delivered):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(f"{settings.LOGIN_URL}?next="), page
    response = client.post(reverse("uppdrag:assignment:tasks_assign"), {"select_all": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"{settings.LOGIN_URL}?next=")


def test_the_delegation_form_offers_only_tasks_and_people_the_rules_allow(
    client, delivered, people, kim
):
    per, anders = people.per_albertsson, people.anders_kullbratt
    own, others = approval_task(delivered, per), approval_task(delivered, anders)
    client.force_login(per)
    page = client.get(url("process", delivered))
    offered = {t.pk: {p.pk for p in t.stand_ins} for t in page.context["tasks"] if t.may_hand_on}
    assert set(offered) == {own.pk}
    assert kim.pk in offered[own.pk]
    assert not offered[own.pk] & {
        people.jan_strang.pk,
        people.erica_sandberg.pk,
        per.pk,
        anders.pk,
    }
    assert others.pk not in offered
    for outsider in (people.jan_strang, people.registrator):
        client.force_login(outsider)
        page = client.get(url("process", delivered))
        assert 'name="new_owner"' not in page.content.decode()


def test_nobody_cancels_undoes_or_revives_a_task_by_hand_in_viewflow(client, delivered, people):
    process = services.current_process(delivered)
    open_task = approval_task(delivered, people.per_albertsson)
    done_task = next(t for t in process.task_set.all() if t.flow_task.name == "work")
    client.force_login(people.registrator)
    for name, task in (("cancel", open_task), ("undo", done_task), ("revive", done_task)):
        page = reverse(
            f"uppdrag:assignment:{task.flow_task.name}:{name}", args=[process.pk, task.pk]
        )
        assert client.get(page).status_code == 403, name
        assert client.post(page, {}).status_code == 403, name
    page = reverse("uppdrag:assignment:process_cancel", args=[process.pk])
    assert client.post(page, {"_cancel_process": "1"}).status_code == 403
    open_task.refresh_from_db()
    done_task.refresh_from_db()
    process.refresh_from_db()
    assert (open_task.status, done_task.status, process.status) == ("ASSIGNED", "DONE", "NEW")
