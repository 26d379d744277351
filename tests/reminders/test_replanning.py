"""Every path that changes a deadline, its people or the process replans the reminders, in the
same transaction: the workflow services, the registrar's admin, contact linking (each writes an
audit entry, and reminders/receivers.py replans what the entry names)."""

import datetime as dt

import pytest
from django.urls import reverse

from assignments.contacts import new_contact
from assignments.models import Assignment, User
from reminders.models import Reminder
from reminders.services import replan_assignment
from tests.admin_forms import admin_form_data
from tests.seeding import load_demo
from workflow import services as workflow

from .test_services import local, planned

pytestmark = pytest.mark.django_db

DEADLINE_KINDS = {"before_due", "due_day", "overdue", "escalation"}


@pytest.fixture
def registrar_client(client, seed004):
    client.force_login(User.objects.get(username="registrator"))
    return client


def deadline_rows(assignment):
    return planned(assignment, kind__in=DEADLINE_KINDS)


def escalated(assignment) -> set[str]:
    return {r.recipient.username for r in planned(assignment, kind="escalation")}


def inline_index(page, prefix: str, obj) -> int:
    """The position of obj's row in the admin page's inline formset `prefix`."""
    for inline in page.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            pks = [form.instance.pk for form in inline.formset.forms]
            return pks.index(obj.pk)
    raise AssertionError(f"no inline {prefix}")


# --- the process ------------------------------------------------------------------------------


def test_a_submitted_delivery_stops_the_deadline_reminders_and_a_return_brings_them_back(
    seed004, people_
):
    before = set(deadline_rows(seed004).values_list("pk", flat=True))
    assert before
    delivery = workflow.submit_delivery(
        assignment=seed004, actor=people_("jan.strang"), summary="Förslag"
    )
    assert not deadline_rows(seed004).exists()  # delivered: nothing left to remind of
    waiting = Reminder.objects.filter(kind="decision_waiting", delivery=delivery)
    assert {r.recipient.username for r in waiting.filter(state="planned")} == {
        "anders.kullbratt",
        "per.albertsson",
    }
    workflow.return_delivery(
        delivery=delivery, decided_by=people_("per.albertsson"), comment="Komplettera"
    )
    assert not waiting.filter(state="planned").exists()
    # back at work: the same deadlines, planned again
    assert set(deadline_rows(seed004).values_list("pk", flat=True)) == before


def test_a_recorded_decision_leaves_nothing_planned(seed004, people_):
    delivery = workflow.submit_delivery(
        assignment=seed004, actor=people_("jan.strang"), summary="Förslag"
    )
    workflow.approve_delivery(delivery=delivery, decided_by=people_("anders.kullbratt"))
    assert planned(seed004, kind="decision_waiting").count() == 1
    workflow.approve_delivery(delivery=delivery, decided_by=people_("per.albertsson"))
    seed004.refresh_from_db()
    assert seed004.state == Assignment.State.DECIDED
    assert not planned(seed004).exists()


def test_cancelling_an_assignment_cancels_its_planned_reminders(seed004, people_):
    assert planned(seed004).exists()
    workflow.cancel_assignment(
        assignment=seed004, actor=people_("anders.kullbratt"), reason="Prioriterades bort"
    )
    assert not planned(seed004).exists()


def test_a_superseded_assignment_keeps_no_reminders_and_its_draft_successor_has_none_yet(
    seed004, people_
):
    new = Assignment(
        registration_number="RS 2025-09999",
        document_date=dt.date(2025, 10, 1),
        title="Ny uppdragshandling",
        issuing_unit=seed004.issuing_unit,
        assignee=seed004.assignee,
        delivery_due=dt.date(2026, 3, 1),
    )
    workflow.supersede_assignment(old=seed004, new=new, actor=people_("anders.kullbratt"))
    assert not planned(seed004).exists()
    assert not planned(new).exists()  # a draft: planned when it is adopted
    workflow.adopt_assignment(assignment=new, actor=people_("anders.kullbratt"))
    assert {r.due_version for r in planned(new)} == {"2026-03-01"}


# --- the admin --------------------------------------------------------------------------------


def test_moving_the_final_delivery_in_the_admin_moves_its_reminders(registrar_client, seed004):
    url = reverse("admin:assignments_assignment_change", args=[seed004.pk])
    page = registrar_client.get(url)
    response = registrar_client.post(
        url,
        admin_form_data(page, delivery_due="2026-01-30", change_reason="Beslut 2025-10-01"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    rows = planned(seed004, subject_key=f"assignment:{seed004.pk}")
    assert {r.due_version for r in rows} == {"2026-01-30"}
    assert local(rows.get(kind="due_day")) == "2026-01-30 08:00"
    assert Reminder.objects.filter(
        subject_key=f"assignment:{seed004.pk}", due_version="2025-12-01", state="cancelled"
    ).exists()


def test_a_new_assignee_set_in_the_admin_gets_the_reminders(registrar_client, seed004):
    erica = User.objects.get(username="erica.sandberg")
    url = reverse("admin:assignments_assignment_change", args=[seed004.pk])
    page = registrar_client.get(url)
    response = registrar_client.post(url, admin_form_data(page, assignee=erica.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    owners = {r.recipient.username for r in planned(seed004, kind__in=["before_due", "overdue"])}
    assert "erica.sandberg" in owners and "jan.strang" not in owners


@pytest.mark.parametrize(
    "fields", [["commissioners"], ["decision_makers"], ["commissioners", "decision_makers"]]
)
def test_commissioners_or_decision_makers_changed_in_the_admin_replan_the_escalations(
    registrar_client, seed004, fields
):
    anders, director = (
        User.objects.get(username=name) for name in ("anders.kullbratt", "regiondirektor")
    )
    assert escalated(seed004) == {"anders.kullbratt", "per.albertsson"}
    url = reverse("admin:assignments_assignment_change", args=[seed004.pk])
    page = registrar_client.get(url)
    changes = {field: [str(anders.pk), str(director.pk)] for field in fields}
    # who decides changes with a reason (workflow.services.change_decision_makers)
    changes["change_reason"] = "Per har bytt tjänst"
    response = registrar_client.post(url, admin_form_data(page, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    expected = {"anders.kullbratt", "regiondirektor"}
    if len(fields) == 1:
        expected.add("per.albertsson")  # still a party through the other field
    assert escalated(seed004) == expected
    # every open deadline escalates to the same people: the milestones and the final delivery
    director_rows = planned(seed004, kind="escalation", recipient=director)
    assert director_rows.count() == planned(seed004, kind="escalation", recipient=anders).count()


def test_a_responsible_person_set_in_the_milestone_admin_gets_its_reminders(
    registrar_client, seed004
):
    compilation = seed004.milestones.get(kind="compilation")
    erica = User.objects.get(username="erica.sandberg")
    url = reverse("admin:assignments_milestone_change", args=[compilation.pk])
    page = registrar_client.get(url)
    response = registrar_client.post(url, admin_form_data(page, responsible=erica.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    rows = planned(seed004, milestone=compilation, recipient=erica)
    assert {r.kind for r in rows} == {"before_due", "due_day", "overdue"}


def test_a_responsible_person_set_in_the_tidplan_inline_gets_its_reminders(
    registrar_client, seed004
):
    compilation = seed004.milestones.get(kind="compilation")
    erica = User.objects.get(username="erica.sandberg")
    url = reverse("admin:assignments_assignment_change", args=[seed004.pk])
    page = registrar_client.get(url)
    row = inline_index(page, "milestones", compilation)
    response = registrar_client.post(
        url, admin_form_data(page, **{f"milestones-{row}-responsible": erica.pk})
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    rows = planned(seed004, milestone=compilation, recipient=erica)
    assert {r.kind for r in rows} == {"before_due", "due_day", "overdue"}


def test_a_drafts_milestone_date_set_in_the_admin_is_the_one_reminded_once_adopted(client, clock):
    load_demo("--draft", "--seed-only")
    draft = Assignment.objects.get(registration_number="RS 2024-05699", state="draft")
    compilation = draft.milestones.get(kind="compilation")
    client.force_login(User.objects.get(username="registrator"))
    url = reverse("admin:assignments_milestone_change", args=[compilation.pk])
    page = client.get(url)
    response = client.post(url, admin_form_data(page, due="2025-12-12"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not planned(draft).exists()  # a draft is not reminded of anything
    workflow.adopt_assignment(assignment=draft, actor=User.objects.get(username="anders.kullbratt"))
    rows = planned(draft, milestone=compilation)
    assert {r.due_version for r in rows} == {"2025-12-12"}


# --- whom a decision waits for is the workflow's to say; a replan keeps it ----------------------


@pytest.fixture
def delegated(seed004, people_):
    """The delivery submitted and Per's approval task handed to a stand-in."""
    delivery = workflow.submit_delivery(
        assignment=seed004, actor=people_("jan.strang"), summary="Förslag"
    )
    per = people_("per.albertsson")
    task = next(t for t in workflow.open_tasks(seed004) if t.data.get("decision_maker") == per.pk)
    workflow.reassign_task(
        task=task, actor=per, new_owner=people_("regiondirektor"), reason="Semester"
    )
    return delivery


def waited_for(delivery) -> dict[str, str]:
    rows = Reminder.objects.filter(kind="decision_waiting", delivery=delivery, state="planned")
    return {r.recipient.username: local(r) for r in rows}


def test_a_policy_edit_retimes_the_decision_reminders_and_keeps_the_stand_in(client, delegated):
    from reminders.models import ReminderPolicy

    from .test_rules import policy_form

    assert waited_for(delegated) == {
        "anders.kullbratt": "2025-10-06 08:00",
        "regiondirektor": "2025-10-06 08:00",
    }
    client.force_login(User.objects.create(username="root", is_staff=True, is_superuser=True))
    policy = ReminderPolicy.objects.get(subject="delivery")
    response = client.post(
        reverse("admin:reminders_reminderpolicy_change", args=[policy.pk]),
        policy_form(subject="delivery", decision_wait_working_days="5"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert waited_for(delegated) == {
        "anders.kullbratt": "2025-10-08 08:00",
        "regiondirektor": "2025-10-08 08:00",
    }


def test_a_registry_edit_of_a_delivered_assignment_keeps_the_stand_in_reminded(
    registrar_client, delegated
):
    before = waited_for(delegated)
    assert set(before) == {"anders.kullbratt", "regiondirektor"}
    url = reverse("admin:assignments_assignment_change", args=[delegated.assignment.pk])
    page = registrar_client.get(url)
    response = registrar_client.post(url, admin_form_data(page, title="Ny rubrik"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert waited_for(delegated) == before


# --- linking a contact ------------------------------------------------------------------------


def test_linking_a_contact_in_the_admin_hands_its_reminders_to_the_account(
    registrar_client, seed004
):
    """#25 reproduction 6: the admin action that links a contact to an account moved the
    contact's places (assignee, responsible, commissioner) without replanning: the account got
    no reminders and the deactivated contact kept its own."""
    contact = new_contact("Lena Lind")
    compilation = seed004.milestones.get(kind="compilation")
    compilation.responsible = contact
    compilation.save(update_fields=["responsible"])
    seed004.commissioners.add(contact)
    replan_assignment(seed004)
    assert planned(seed004, recipient=contact).exists()  # the contact was reminded, as a person
    account = User.objects.create_user("llind", "lena.lind@example.se", "x", first_name="Lena")
    response = registrar_client.post(
        reverse("admin:assignments_user_changelist"),
        {"action": "link_contact_to_account", "_selected_action": [contact.pk, account.pk]},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert not contact.is_active  # the link was made
    assert not planned(seed004, recipient=contact).exists()
    compilation_rows = planned(seed004, milestone=compilation, recipient=account)
    assert {r.kind for r in compilation_rows} == {"before_due", "due_day", "overdue", "escalation"}
    # a commissioner now: every open deadline escalates to the account as to the others
    per = User.objects.get(username="per.albertsson")
    assert (
        planned(seed004, kind="escalation", recipient=account).count()
        == planned(seed004, kind="escalation", recipient=per).count()
        > 0
    )


def test_a_contact_who_decides_a_waiting_delivery_is_not_linked(registrar_client, seed004):
    """Its approval task names the contact: the link would move the record and leave a task
    nobody can answer (nor remind of). Who decides is changed through the process first."""
    contact = new_contact("Lena Lind")
    seed004.decision_makers.add(contact)
    workflow.submit_delivery(
        assignment=seed004, actor=User.objects.get(username="jan.strang"), summary="Förslag"
    )
    account = User.objects.create_user("llind", "lena.lind@example.se", "x", first_name="Lena")
    response = registrar_client.post(
        reverse("admin:assignments_user_changelist"),
        {"action": "link_contact_to_account", "_selected_action": [contact.pk, account.pk]},
        follow=True,
    )
    assert "väntar på beslut" in response.content.decode()
    contact.refresh_from_db()
    assert contact.is_active
    assert set(seed004.decision_makers.all()) >= {contact}
