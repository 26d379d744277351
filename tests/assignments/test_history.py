"""The history as people read it (issue 17, items 9 and 12): every action the code writes is
told as a sentence in the reader's language, with names, labels and dates, never a code, a
dict or an internal id. The entries are written by the real services and admin."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from assignments import audit, history
from assignments.models import Assignment, AuditEntry, Milestone, User
from reminders.models import Reminder
from tests import sample_files as documents
from tests.factories import UserFactory
from tests.seeding import load_demo
from workflow import services
from workflow import services as registry

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
WRITTEN_ACTION = r'action=\s*"([^"]+)"(?:\s+if\s[^\n]*?\selse\s+"([^"]+)")?'


@pytest.fixture
def draft(db):
    load_demo("--draft", "--seed-only")
    return Assignment.objects.get(registration_number="RS 2024-05699", state="draft")


def person(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def adopted(draft):
    services.adopt_assignment(
        assignment=draft, actor=person("anders.kullbratt"), reason="Enligt beslut i RS."
    )
    return draft


@pytest.fixture
def delivered(adopted):
    # submitted before the decision dates below: a decision is never dated before its delivery
    with time_machine.travel(dt.datetime(2025, 12, 1, 10, tzinfo=dt.UTC), tick=False):
        services.submit_delivery(
            assignment=adopted, actor=person("jan.strang"), summary="Förslag till organisering"
        )
    return adopted


def latest(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("pk")


def told(entry: AuditEntry, language: str) -> history.Line:
    with translation.override(language):
        line = history.describe([AuditEntry.objects.select_related("actor").get(pk=entry.pk)])[0]
        # worded now, in this language: nothing lazy left for later
        line.changes = [(c.label, c.before, c.after) for c in line.changes]
        return line


def compilation(assignment) -> Milestone:
    return assignment.milestones.get(kind="compilation")


COMPILATION = "Sammanställning av material, framtagande av förslag till organisering"


def test_every_action_the_code_writes_has_a_sentence():
    written = set()
    for app in ("assignments", "workflow", "reminders", "api"):
        for path in (ROOT / app).glob("**/*.py"):
            # action="…", and action="…" if … else "…"
            for found in re.findall(WRITTEN_ACTION, path.read_text()):
                written |= {action for action in found if action}
    written.discard("store_true")  # argparse, not the audit trail
    assert {"milestone.status_changed", "admin.changed", "reminder.cancelled"} <= written
    assert written - set(history.SENTENCES) == set()


def test_adopting_is_told_with_the_reason(adopted):
    entry = latest("assignment.adopted")
    assert told(entry, "sv").text == (
        "Anders Kullbratt fastställde uppdraget: ”Enligt beslut i RS.”"
    )
    assert told(entry, "en").text == (
        "Anders Kullbratt adopted the assignment: “Enligt beslut i RS.”"
    )


def test_the_state_change_names_both_states(adopted):
    entry = latest("assignment.state_changed")
    assert told(entry, "sv").text == (
        "Uppdragets status ändrades från Utkast till Fastställd: ”Enligt beslut i RS.”"
    )
    assert told(entry, "en").text == (
        "The assignment's status changed from Draft to Adopted: “Enligt beslut i RS.”"
    )


def test_the_process_start_without_an_actor_is_the_systems(draft):
    entry = latest("process.started")
    assert entry.actor is None
    assert told(entry, "sv").text == "Systemet startade uppdragets process"
    assert told(entry, "en").text == "The system started the assignment's process"


def test_a_milestone_status_names_the_person_milestone_status_and_comment(adopted):
    registry.change_milestone_status(
        milestone=compilation(adopted),
        actor=person("jan.strang"),
        to_status="done",
        comment="Förslaget är klart",
    )
    entry = latest("milestone.status_changed")
    assert told(entry, "sv").text == (
        f"Jan Sträng satte {COMPILATION} till Klar: ”Förslaget är klart”"
    )
    assert told(entry, "en").text == f"Jan Sträng set {COMPILATION} to Done: “Förslaget är klart”"


def test_work_started_reads_in_the_readers_language_whoever_started_it(adopted):
    jan = person("jan.strang")
    with translation.override("en"):  # Jan uses the English pages
        registry.change_milestone_status(
            milestone=compilation(adopted), actor=jan, to_status="in_progress"
        )
    entry = latest("assignment.state_changed")
    assert entry.reason == "Work has started."  # stored as it was said
    assert told(entry, "sv").text == "Arbetet med uppdraget startade (Jan Sträng): status Pågår"
    assert told(entry, "en").text == (
        "Work on the assignment started (Jan Sträng): status In progress"
    )


def test_a_due_date_move_gives_the_year_once_when_both_dates_share_it(adopted):
    registry.move_milestone_due(
        milestone=compilation(adopted),
        actor=person("jan.strang"),
        new_due=dt.date(2025, 12, 15),
        reason="Seminarierna drog ut",
    )
    entry = latest("milestone.due_moved")
    assert told(entry, "sv").text == (
        f"Jan Sträng flyttade slutdatum för {COMPILATION} från 30 nov till 15 dec 2025: "
        "”Seminarierna drog ut”"
    )
    assert told(entry, "en").text == (
        f"Jan Sträng moved the due date of {COMPILATION} from 30 Nov to 15 Dec 2025: "
        "“Seminarierna drog ut”"
    )


def test_a_due_date_move_into_another_year_gives_both_years(adopted):
    registry.move_milestone_due(
        milestone=compilation(adopted),
        actor=person("jan.strang"),
        new_due=dt.date(2026, 3, 26),
        reason="skäl",
    )
    entry = latest("milestone.due_moved")
    assert "från 30 nov 2025 till 26 mar 2026" in told(entry, "sv").text
    assert "from 30 Nov 2025 to 26 Mar 2026" in told(entry, "en").text


def test_a_delivery_lists_its_summary_and_document_by_name(adopted, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.submit_delivery(
        assignment=adopted,
        actor=person("jan.strang"),
        summary="Förslag till organisering",
        document=SimpleUploadedFile("Slutrapport 2025.pdf", documents.pdf()),
    )
    line = told(latest("delivery.submitted"), "sv")
    assert line.text == "Jan Sträng lämnade slutleverans 1"
    assert line.changes == [
        ("Sammanfattning", None, "Förslag till organisering"),
        ("Dokument", None, "Slutrapport 2025.pdf"),
    ]
    assert told(latest("delivery.submitted"), "en").text == "Jan Sträng submitted final delivery 1"


def test_an_approval_and_the_decision_give_the_date_and_paragraph(delivered):
    delivery = delivered.deliveries.get()
    for username in ("anders.kullbratt", "per.albertsson"):
        services.approve_delivery(
            delivery=delivery,
            decided_by=person(username),
            decided_on=dt.date(2025, 12, 3),
            paragraph_reference="§ 12",
        )
    approved = latest("delivery.approved")
    assert told(approved, "sv").text == (
        "Per Albertsson godkände slutleverans 1, beslutsdatum 3 dec 2025 (§ 12)"
    )
    assert told(approved, "en").text == (
        "Per Albertsson approved final delivery 1, decision date 3 Dec 2025 (§ 12)"
    )
    decided = latest("decision.recorded")
    assert told(decided, "sv").text == "Uppdraget beslutades 3 dec 2025 (slutleverans 1)"
    assert told(decided, "en").text == "The assignment was decided on 3 Dec 2025 (final delivery 1)"


@pytest.fixture
def stand_in(delivered):
    """Per Albertsson hands his approval to Kim Berg during his holiday."""
    kim = UserFactory(username="kim.berg", first_name="Kim", last_name="Berg")
    per = person("per.albertsson")
    task = next(
        t
        for t in services.open_tasks(delivered)
        if t.flow_task.name == "approve" and t.owner_id == per.pk
    )
    services.reassign_task(task=task, actor=per, new_owner=kim, reason="Semester")
    return kim


def test_handing_a_decision_to_a_stand_in_names_task_people_and_reason(stand_in):
    entry = latest("task.reassigned")
    assert told(entry, "sv").text == (
        "Per Albertsson lämnade uppgiften ”Beslut om slutleverans” till Kim Berg, "
        "som ställföreträdare för Per Albertsson: ”Semester”"
    )
    assert told(entry, "en").text == (
        "Per Albertsson handed the task “Decision on final delivery” to Kim Berg, "
        "as deputy for Per Albertsson: “Semester”"
    )


def test_a_registrar_handing_a_task_on_names_the_previous_holder(stand_in, delivered):
    handed = latest("task.reassigned")
    audit.record(  # as reassign_task writes it when a registrar hands the task on
        actor=person("registrator"),
        action="task.reassigned",
        obj=delivered,
        before={"task": handed.after["task"], "owner": stand_in.pk},
        after={
            "task": handed.after["task"],
            "owner": person("anders.kullbratt").pk,
            "decision_maker": person("per.albertsson").pk,
        },
        reason="Kim är sjuk",
    )
    registrar = person("registrator")
    assert told(latest("task.reassigned"), "sv").text == (
        f"{registrar} lämnade uppgiften ”Beslut om slutleverans” från Kim Berg till "
        "Anders Kullbratt, som ställföreträdare för Per Albertsson: ”Kim är sjuk”"
    )


def test_a_task_no_longer_found_is_still_told(delivered):
    audit.record(
        actor=person("registrator"),
        action="task.reassigned",
        obj=delivered,
        before={"task": 999999, "owner": None},
        after={"task": 999999, "owner": person("anders.kullbratt").pk},
        reason="",
    )
    assert told(latest("task.reassigned"), "sv").text.endswith(
        "lämnade en uppgift till Anders Kullbratt"
    )


def test_an_answer_by_a_stand_in_names_the_decision_maker(stand_in, delivered):
    services.return_delivery(
        delivery=delivered.deliveries.get(), decided_by=stand_in, comment="Komplettera"
    )
    entry = latest("delivery.returned")
    assert told(entry, "sv").text == (
        "Per Albertsson, genom ersättare Kim Berg, återremitterade slutleverans 1: ”Komplettera”"
    )
    assert told(entry, "en").text == (
        "Per Albertsson, through deputy Kim Berg, returned final delivery 1: “Komplettera”"
    )


def test_an_approval_by_a_stand_in_names_the_decision_maker(stand_in, delivered):
    services.approve_delivery(
        delivery=delivered.deliveries.get(), decided_by=stand_in, decided_on=dt.date(2025, 12, 3)
    )
    assert told(latest("delivery.approved"), "sv").text == (
        "Per Albertsson, genom ersättare Kim Berg, godkände slutleverans 1, beslutsdatum 3 dec 2025"
    )


def test_a_return_by_the_decision_maker_has_the_comment(delivered):
    services.return_delivery(
        delivery=delivered.deliveries.get(),
        decided_by=person("anders.kullbratt"),
        comment="Komplettera med en konsekvensanalys.",
    )
    assert told(latest("delivery.returned"), "sv").text == (
        "Anders Kullbratt återremitterade slutleverans 1: ”Komplettera med en konsekvensanalys.”"
    )


def test_superseding_names_both_documents_and_leaves_out_the_services_own_note(adopted):
    new = Assignment(
        registration_number="RS 2024-05699",
        document_date=dt.date(2026, 1, 10),
        issuing_unit=adopted.issuing_unit,
        title="Ny version",
        assignee=adopted.assignee,
    )
    with translation.override("en"):
        services.supersede_assignment(old=adopted, new=new, actor=person("anders.kullbratt"))
    superseded = latest("assignment.superseded")
    assert superseded.reason == f"Superseded by {new}"
    closed = AuditEntry.objects.filter(action="assignment.state_changed", assignment=adopted)
    assert told(closed.latest("pk"), "sv").text == (
        "Uppdragets status ändrades från Fastställd till Ersatt"  # not the English note
    )
    assert told(superseded, "sv").text == f"Anders Kullbratt ersatte uppdraget med {new}"
    assert told(superseded, "en").text == f"Anders Kullbratt replaced the assignment with {new}"
    supersedes = latest("assignment.supersedes")
    assert told(supersedes, "sv").text == (
        f"Anders Kullbratt registrerade uppdraget som ersättning för {adopted}"
    )
    assert told(supersedes, "en").text == (
        f"Anders Kullbratt registered the assignment to replace {adopted}"
    )


def test_an_admin_change_lists_each_field_with_its_label_and_names(adopted, admin_client):
    admin = User.objects.get(username="admin")
    admin_client.force_login(admin)
    url = reverse("admin:assignments_assignment_change", args=[adopted.pk])
    from tests.admin_forms import admin_form_data

    erica = person("erica.sandberg")
    data = admin_form_data(
        admin_client.get(url),
        commissioners=[str(person("anders.kullbratt").pk), str(erica.pk)],
        is_public="on",
        delivery_due="2026-01-15",
        change_reason="Ny tidplan",
    )
    assert admin_client.post(url, data).status_code == 302
    entry = latest("admin.changed")
    line = told(entry, "sv")
    assert line.text == f"{admin} ändrade uppdragshandling ”{adopted}”: ”Ny tidplan”"
    assert sorted(line.changes) == [
        ("Slutleverans senast", "1 dec 2025", "15 jan 2026"),
        ("Uppdragsgivare", "Anders Kullbratt, Per Albertsson", "Anders Kullbratt, Erica Sandberg"),
        ("Öppen inom organisationen", "nej", "ja"),
    ]
    english = told(entry, "en")
    assert english.text == f"{admin} changed assignment document “{adopted}”: “Ny tidplan”"
    assert ("Final delivery by", "1 Dec 2025", "15 Jan 2026") in english.changes


def test_an_admin_registration_lists_the_values_given_not_ids(draft, admin_client):
    admin_client.force_login(person("admin"))
    response = admin_client.post(
        reverse("admin:assignments_milestone_add"),
        {
            "assignment": draft.pk,
            "position": "9",
            "kind": "seminars",
            "title": "Extra seminarium",
            "period_label": "",
            "start": "2025-10-01",
            "due": "2025-10-15",
            "responsible": person("erica.sandberg").pk,
        },
    )
    assert response.status_code == 302
    line = told(latest("admin.created"), "sv")
    assert line.text == f"{person('admin')} registrerade milstolpe ”Extra seminarium”"
    assert line.changes == [
        ("Typ", None, "Seminarier"),
        ("Aktivitet", None, "Extra seminarium"),
        ("Start", None, "1 okt 2025"),
        ("Klar senast", None, "15 okt 2025"),
        ("Ansvarig", None, "Erica Sandberg"),
        ("Status", None, "Planerad"),
        ("Ordning", None, "9"),
    ]
    assert told(latest("admin.created"), "en").text == (
        f"{person('admin')} registered milestone “Extra seminarium”"
    )


def test_a_password_change_and_settings_are_told_without_values(demo):
    jan = person("jan.strang")
    audit.record(actor=person("admin"), action="admin.password_changed", obj=jan)
    assert told(latest("admin.password_changed"), "sv").text.endswith(
        "bytte lösenord för Jan Sträng"
    )
    audit.record(
        actor=jan,
        action="settings_changed",
        obj=jan,
        before={"language": "sv", "wants_digest": True},
        after={"language": "en", "wants_digest": False},
    )
    line = told(latest("settings_changed"), "sv")
    assert line.text == "Jan Sträng ändrade sina inställningar"
    assert line.changes == [
        ("Språk", "Svenska", "Engelska"),
        ("Daglig sammanfattning", "ja", "nej"),
    ]
    english = told(latest("settings_changed"), "en")
    assert english.text == "Jan Sträng changed their settings"
    assert ("Language", "Svenska", "English") in english.changes


def test_a_cancelled_reminder_names_its_kind_and_recipient(adopted, admin_client):
    reminder = Reminder.objects.filter(state=Reminder.State.PLANNED).first()
    assert reminder is not None
    admin_client.force_login(User.objects.get(username="admin"))
    response = admin_client.post(
        reverse("admin:reminders_reminder_changelist"),
        {"action": "cancel_unsent", "_selected_action": [reminder.pk]},
    )
    assert response.status_code == 302
    line = told(latest("reminder.cancelled"), "sv")
    kind = reminder.get_kind_display()
    assert line.text == f"{person('admin')} avbröt påminnelsen ”{kind}” till {reminder.recipient}"
    assert line.changes == [("Läge", "Planerad", "Avbruten")]
    assert "cancelled the reminder" in told(latest("reminder.cancelled"), "en").text


def test_a_retried_reminder_is_told_too(adopted, admin_client):
    reminder = Reminder.objects.filter(state=Reminder.State.PLANNED).first()
    Reminder.objects.filter(pk=reminder.pk).update(state=Reminder.State.FAILED, attempts=5)
    admin_client.force_login(User.objects.get(username="admin"))
    admin_client.post(
        reverse("admin:reminders_reminder_changelist"),
        {"action": "retry_failed", "_selected_action": [reminder.pk]},
    )
    line = told(latest("reminder.retried"), "sv")
    kind = reminder.get_kind_display()
    assert line.text == (
        f"{person('admin')} lät påminnelsen ”{kind}” till {reminder.recipient} skickas igen"
    )
    assert ("Läge", "Misslyckades", "Planerad") in line.changes
    assert ("Försök", "5", "0") in line.changes


def test_an_unknown_action_is_still_told_in_words_with_its_fields(adopted):
    milestone = compilation(adopted)
    audit.record(
        actor=person("jan.strang"),
        action="milestone.something_new",
        obj=milestone,
        before={"status": "planned", "responsible_id": None},
        after={"status": "at_risk", "responsible_id": person("erica.sandberg").pk},
    )
    line = told(latest("milestone.something_new"), "sv")
    assert line.text == f"Jan Sträng gjorde en ändring i milstolpe ”{COMPILATION}”"
    # in the model's field order (the form's), whatever order the database keeps JSON keys in
    assert line.changes == [
        ("Ansvarig", "–", "Erica Sandberg"),
        ("Status", "Planerad", "I riskzonen"),
    ]
    assert "milestone.something_new" not in line.text
    assert told(latest("milestone.something_new"), "en").text == (
        f"Jan Sträng made a change to milestone “{COMPILATION}”"
    )


def test_a_page_of_entries_costs_the_same_queries_however_many(
    adopted, django_assert_max_num_queries
):
    for i in range(30):
        registry.move_milestone_due(
            milestone=compilation(adopted),
            actor=person("jan.strang"),
            new_due=dt.date(2025, 12, 1) + dt.timedelta(days=i),
            reason=f"skäl {i}",
        )
    entries = list(AuditEntry.objects.select_related("actor"))
    assert len(entries) > 30
    with django_assert_max_num_queries(5):
        lines = history.describe(entries)
    assert all("{" not in line.text for line in lines)


def test_sign_in_and_api_token_entries_are_told(db):
    from api import tokens
    from tests.factories import UserFactory

    person = UserFactory(first_name="Nina", last_name="Nyberg")
    token, _secret = tokens.issue_token(user=person, name="Diariet")
    tokens.revoke_token(token=token, actor=person)
    created, revoked = AuditEntry.objects.filter(action__startswith="api_token.").order_by("pk")
    assert told(created, "sv").text == f"Nina Nyberg skapade API-nyckeln ”{token}”"
    assert told(revoked, "en").text == f"Nina Nyberg revoked the API token “{token}”"
