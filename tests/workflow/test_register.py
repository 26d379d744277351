""" "Nytt uppdrag" (workflow/views/register.py, assignments/registration*.py): the page, its
formsets, the save that starts the process, Swedish errors with nothing saved, and the rule
of who may register (assignments/permissions/)."""

import datetime as dt

import pytest

from assignments import permissions
from assignments.contacts import is_contact
from assignments.models import Assignment, AuditEntry, Milestone, User
from tests.registration_helpers import upload_and_read
from workflow.selectors import open_tasks

NEW = "/uppdrag/nytt/"


def management(prefix, total, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


def page_data(**changes):
    """What a registrar types for a small assignment: two milestones, a contact."""
    data = {
        "registration_number": "RS 2026-00042",
        "document_date": "2026-03-02",
        "issuing_unit": "Koncernkontoret",
        "title": "Översyn av samordningsgrupperna",
        "assignee": "Jan Strang (jan.strang)",
        "project_lead": "",
        "description": "Beskrivning",
        **management("commissioners", 1),
        "commissioners-0-name": "Per Albertsson (per.albertsson)",
        **management("decision_makers", 0),
        **management("scope", 1),
        "scope-0-text": "Kartläggning",
        **management("requirements", 0),
        **management("working_group", 1),
        "working_group-0-name": "Erica Sandberg (erica.sandberg)",
        "working_group-0-role": "Utredare",
        **management("relations", 0),
        **management("milestones", 2),
        "milestones-0-title": "Seminarier",
        "milestones-0-kind": "seminars",
        "milestones-0-period_label": "Sep – okt 2027",
        "milestones-1-title": "Sammanställning",
        "milestones-1-kind": "compilation",
        "milestones-1-period_label": "",
        "milestones-1-start": "2027-11-01",
        "milestones-1-due": "2027-11-30",
        **management("execution", 0),
        **management("information", 1),
        "information-0-name": "Läkemedelskommitténs ordförande",
        "information-0-note": "för kännedom",
    }
    data.update(changes)
    return data


@pytest.fixture
def registrar(seed004, client):
    user = User.objects.get(username="registrator")
    client.force_login(user)
    return user


def test_a_registrar_saves_a_draft_whose_process_starts(registrar, client):
    response = client.post(NEW, page_data())
    assignment = Assignment.objects.get(registration_number="RS 2026-00042")
    assert response.status_code == 302
    assert response["Location"] == assignment.get_absolute_url()
    assert assignment.state == Assignment.State.DRAFT
    assert [task.flow_task.name for task in open_tasks(assignment)] == ["adopt"]
    assert list(assignment.decision_makers.all()) == list(assignment.commissioners.all())
    assert AuditEntry.objects.filter(assignment=assignment, action="assignment.registered")


def test_the_written_period_fills_start_and_due_on_submit(registrar, client):
    client.post(NEW, page_data())
    seminars = Milestone.objects.get(
        title="Seminarier", assignment__registration_number="RS 2026-00042"
    )
    assert (seminars.period_label, seminars.start, seminars.due) == (
        "Sep – okt 2027",
        dt.date(2027, 9, 1),
        dt.date(2027, 10, 31),
    )


def test_a_name_that_matches_no_account_becomes_a_contact(registrar, client):
    client.post(NEW, page_data())
    listed = Assignment.objects.get(registration_number="RS 2026-00042").distribution.get()
    assert str(listed.person) == "Läkemedelskommitténs ordförande"
    assert is_contact(listed.person)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"registration_number": ""}, "registration_number", "Ange diarienummer."),
        (
            {"milestones-1-due": "2027-10-01"},
            "milestones-1-due",
            "Slutdatum kan inte ligga före startdatum.",
        ),
    ],
)
def test_bad_input_gives_a_swedish_field_error_keeps_the_text_and_saves_nothing(
    registrar, client, changes, field, message
):
    before = (Assignment.objects.count(), User.objects.count(), AuditEntry.objects.count())
    response = client.post(NEW, page_data(**changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'value="Översyn av samordningsgrupperna"' in html
    assert "Läkemedelskommitténs ordförande" in html
    assert f'id="id_{field}-error"' in html
    assert before == (Assignment.objects.count(), User.objects.count(), AuditEntry.objects.count())


def test_a_number_in_force_is_refused_on_its_field_by_the_models_rule(registrar, client, seed004):
    from workflow.services import adopt_assignment

    adopt_assignment(assignment=seed004, actor=User.objects.get(username="anders.kullbratt"))
    before = (Assignment.objects.count(), AuditEntry.objects.count())
    response = client.post(NEW, page_data(registration_number="RS 2024-05699"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Det finns redan ett gällande uppdrag med det diarienumret." in html
    assert 'id="id_registration_number-error"' in html
    assert before == (Assignment.objects.count(), AuditEntry.objects.count())


def test_a_past_milestone_must_be_answered_done_or_open(registrar, client):
    response = client.post(
        NEW, page_data(**{"milestones-1-start": "2020-01-01", "milestones-1-due": "2020-02-01"})
    )
    assert response.status_code == 400
    assert "klar eller fortfarande öppen" in response.content.decode()
    client.post(
        NEW,
        page_data(
            **{
                "milestones-1-start": "2020-01-01",
                "milestones-1-due": "2020-02-01",
                "milestones-1-status": "done",
            }
        ),
    )
    assert (
        Milestone.objects.get(
            title="Sammanställning", assignment__registration_number="RS 2026-00042"
        ).status
        == "done"
    )


def test_add_row_shows_one_more_row_and_saves_nothing(registrar, client):
    response = client.post(NEW, page_data(add_row="scope"))
    assert response.status_code == 200
    assert 'name="scope-1-text"' in response.content.decode()
    assert not Assignment.objects.filter(registration_number="RS 2026-00042").exists()


def test_a_commissioner_registers_only_assignments_they_commission(seed004, client):
    per = User.objects.get(username="per.albertsson")
    client.force_login(per)
    data = page_data(**{"commissioners-0-name": "Anders Kullbratt (anders.kullbratt)"})
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert "där du själv är uppdragsgivare" in response.content.decode()
    assert client.post(NEW, page_data()).status_code == 302


@pytest.mark.parametrize("username", ["jan.strang", "ann-charlotte.jarnstrom", "erica.sandberg"])
def test_an_assignee_a_reader_and_a_member_may_not_register(seed004, client, username):
    user = User.objects.get(username=username)
    assert not permissions.may_register_assignments(user)
    client.force_login(user)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, page_data()).status_code == 403


def test_a_draft_is_edited_on_the_same_page(registrar, client):
    client.post(NEW, page_data())
    assignment = Assignment.objects.get(registration_number="RS 2026-00042")
    page = client.get(f"/uppdrag/{assignment.pk}/redigera/")
    assert page.status_code == 200
    assert "Översyn av samordningsgrupperna" in page.content.decode()
    form = page.context["forms"]
    data = {**form.main.initial}
    data = {k: ("" if v is None else str(v)) for k, v in data.items()}
    for prefix, formset in form.formsets.items():
        data.update(management(prefix, len(formset.initial or []), len(formset.initial or [])))
        for i, row in enumerate(formset.initial or []):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = "" if value is None else str(value)
    data["title"] = "Ny rubrik"
    response = client.post(f"/uppdrag/{assignment.pk}/redigera/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assignment.refresh_from_db()
    assert assignment.title == "Ny rubrik"
    assert assignment.milestones.count() == 2


def test_a_file_that_is_no_uppdragshandling_gets_a_message_not_a_500(registrar, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests import uppdragshandlingar as documents

    upload = SimpleUploadedFile("protokoll.txt", documents.NOT_ASSIGNMENTS[1].read_bytes())
    response = upload_and_read(client, upload)
    assert response.status_code == 400
    assert 'id="import-error"' in response.content.decode()


def test_an_upload_is_saved_only_on_confirmation_with_its_file_kept(registrar, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests import uppdragshandlingar as documents

    text = documents.seed_004_text().replace("RS 2024-05699", "RS 2026-05555")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("Observera:"))
    upload = SimpleUploadedFile("handling.txt", text.encode())
    count = Assignment.objects.count()
    response = upload_and_read(client, upload)
    assert response.status_code == 302
    review = client.get(response["Location"])
    assert review.status_code == 200
    assert "Ander Kullbratt" in review.content.decode()
    assert Assignment.objects.count() == count


def test_a_contact_linked_to_an_account_hands_over_its_places(registrar, client):
    from assignments.contacts import link_contact

    client.post(NEW, page_data())
    listed = Assignment.objects.get(registration_number="RS 2026-00042").distribution.get()
    contact, account = listed.person, User.objects.get(username="erica.sandberg")
    assert link_contact(contact=contact, account=account, actor=registrar) == 1
    listed.refresh_from_db()
    contact.refresh_from_db()
    assert listed.person == account
    assert not contact.is_active
    assert AuditEntry.objects.filter(action="contact.linked", object_id=str(contact.pk))


def test_a_draft_saved_unchanged_writes_no_audit_entry(registrar, client):
    from tests.registration_helpers import as_shown

    client.post(NEW, page_data())
    draft = Assignment.objects.get(registration_number="RS 2026-00042")
    url = f"/uppdrag/{draft.pk}/redigera/"
    entries = AuditEntry.objects.count()
    response = client.post(url, as_shown(client.get(url).context["forms"]))
    assert response.status_code == 302
    assert AuditEntry.objects.count() == entries

    client.post(url, as_shown(client.get(url).context["forms"], title="Ny rubrik"))
    edited = AuditEntry.objects.get(action="assignment.edited")
    assert (edited.before, edited.after) == ({"title": draft.title}, {"title": "Ny rubrik"})


def test_a_relations_links_stay_when_its_text_does_and_follow_a_new_text(
    registrar, client, seed004
):
    from tests.registration_helpers import as_shown

    within = seed004.relations.get(kind="within")  # the demo links a group its text misspells
    group = within.target_group
    assert group is not None and group.name not in within.text
    url = f"/uppdrag/{seed004.pk}/redigera/"
    assert client.post(url, as_shown(client.get(url).context["forms"])).status_code == 302
    within.refresh_from_db()
    assert within.target_group == group

    shown = client.get(url).context["forms"]
    index = next(
        i for i, row in enumerate(shown.formsets["relations"].initial) if row["row_id"] == within.pk
    )
    text = f"Uppdraget sker inom ramen för {group.name} (dnr RS 2023-00100)."
    assert client.post(url, as_shown(shown, **{f"relations-{index}-text": text})).status_code == 302
    within.refresh_from_db()
    assert (within.target_group, within.target_reference) == (group, "RS 2023-00100")
