"""An imported uppdragshandling registered as a draft whose process starts
(workflow/imports.py)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from assignments.models import Assignment, OrgUnit, User
from documents.importer import read_document
from reminders.models import Reminder
from tests import uppdragshandlingar as documents
from workflow.imports import register_imported_draft
from workflow.selectors import open_tasks
from workflow.services import adopt_assignment


def seed_004():
    return read_document(documents.SEED_004.read_bytes(), "004.txt", today=dt.date(2026, 11, 26))


def register(actor=None):
    return register_imported_draft(
        document=seed_004(), data=documents.SEED_004.read_bytes(), filename="004.txt", actor=actor
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
        register_imported_draft(document=document, data=text.encode(), filename="s.txt")
    assert (User.objects.count(), OrgUnit.objects.count()) == (people, units)
    assert Assignment.objects.count() == 1
