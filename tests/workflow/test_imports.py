"""An imported uppdragshandling registered as a draft whose process starts
(workflow/imports.py)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from assignments.models import Assignment, OrgUnit, User
from documents.importer import read_document
from reminders.models import Reminder
from tests import uppdragshandlingar as documents
from tests.seeding import load_demo
from workflow.imports import register_imported_draft
from workflow.selectors import open_tasks
from workflow.services import adopt_assignment


def seed_004():
    return read_document(documents.SEED_004.read_bytes(), "004.txt", today=dt.date(2026, 11, 26))


def register(actor=None):
    return register_imported_draft(
        document=seed_004(),
        data=documents.SEED_004.read_bytes(),
        filename="004.txt",
        actor=actor,
        trusted=True,  # as the command
    )


def test_the_draft_s_process_starts_as_when_the_admin_registers_it(db):
    assignment = register()
    assert assignment.state == Assignment.State.DRAFT
    assert [task.flow_task.name for task in open_tasks(assignment)] == ["adopt"]


def test_a_draft_registered_mid_flight_plans_no_reminders(db):
    register()
    assert not Reminder.objects.exists()


def test_the_imported_commissioner_adopts_it(db):
    assignment = register()
    adopt_assignment(
        assignment=assignment, actor=User.objects.get(username="anders.kullbratt"), reason="OK"
    )
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.ADOPTED


def test_a_refused_import_leaves_nothing_behind(db):
    register()
    people, units = User.objects.count(), OrgUnit.objects.count()
    # new people and a new unit, under a number that is already live
    text = documents.synthetic_text().replace("RJL 2026/0412", "RS 2024-05699")
    document = read_document(text.encode(), "s.txt")
    with pytest.raises(ValidationError, match="redan ett gällande uppdrag"):
        register_imported_draft(
            document=document, data=text.encode(), filename="s.txt", trusted=True
        )
    assert (User.objects.count(), OrgUnit.objects.count()) == (people, units)
    assert Assignment.objects.count() == 1


# -- the page and the command give the same record (issue 25, reproduction 4) ---------------------


def _the_record(assignment) -> dict:
    """What an import writes that the page and the command must agree on."""
    assignment = Assignment.objects.get(pk=assignment.pk)
    return {
        "fields": {
            name: getattr(assignment, name)
            for name in ("registration_number", "document_date", "title", "delivery_due")
        },
        "issuing_unit": assignment.issuing_unit.name,
        "people": [
            str(assignment.assignee),
            str(assignment.project_lead),
            sorted(map(str, assignment.commissioners.all())),
            sorted(map(str, assignment.decision_makers.all())),
            list(assignment.working_group.order_by("position").values_list("person__username")),
            list(
                assignment.distribution.order_by("purpose", "position").values_list(
                    "purpose", "person__username", "note"
                )
            ),
        ],
        "supersedes": assignment.supersedes_id,
        "relations": list(
            assignment.relations.order_by("position").values_list(
                "kind", "text", "target_group__name", "target_reference"
            )
        ),
        "items": list(assignment.items.order_by("kind", "position").values_list("kind", "text")),
        "milestones": list(
            assignment.milestones.order_by("position").values_list(
                "kind", "title", "period_label", "start", "due"
            )
        ),
    }


def test_the_same_docx_imported_on_the_page_and_by_the_command_gives_the_same_record(
    db, client, tmp_path
):
    import time_machine
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from documents.models import ImportJob
    from tests.registration_helpers import as_shown, upload_and_read
    from workflow.services import cancel_assignment

    docx = documents.docx_bytes(documents.seed_004_text())
    (tmp_path / "004.docx").write_bytes(docx)
    with time_machine.travel(dt.datetime(2025, 8, 20, 9, tzinfo=dt.UTC), tick=False):
        # the demo's people and groups, and the version of 2025-06-18 that seed 004 replaces
        load_demo("--draft", "--seed-only")
        anders = User.objects.get(username="anders.kullbratt")
        demo = Assignment.objects.get(registration_number="RS 2024-05699", state="draft")
        cancel_assignment(assignment=demo, actor=anders, reason="Importeras på nytt")
        earlier = demo.supersedes

        client.force_login(User.objects.get(username="registrator"))
        upload = SimpleUploadedFile("004.docx", docx)
        review = client.get(upload_and_read(client, upload).url)
        confirmed = client.post(review.request["PATH_INFO"], as_shown(review.context["forms"]))
        assert confirmed.status_code == 302, confirmed.context["forms"].main.errors
        assert not ImportJob.objects.exists()  # the job and its waiting file are gone
        on_the_page = Assignment.objects.exclude(pk__in=[demo.pk, earlier.pk]).get()
        page_record = _the_record(on_the_page)
        cancel_assignment(assignment=on_the_page, actor=anders, reason="Importeras på nytt")

        call_command("import_uppdragshandling", tmp_path / "004.docx", verbosity=0)
        by_command = Assignment.objects.exclude(pk__in=[demo.pk, earlier.pk, on_the_page.pk]).get()

    assert page_record == _the_record(by_command)
    assert page_record["supersedes"] == earlier.pk
    groups = [group for *_rest, group, _reference in page_record["relations"] if group]
    assert "Koncernledning hälso- och sjukvård" in groups
