"""Document out, document in (#18): the uppdragshandling exported as .docx and as PDF, read
again by the importer, gives the fields the assignment holds: for seed 004 and for a generated
assignment of another shape."""

import datetime as dt

import pytest

from assignments.models import Assignment, Distribution
from documents import export_document, export_docx, export_pdf
from documents.importer import read_document
from tests.seeding import load_demo

pytestmark = pytest.mark.django_db

RENDERERS = {"docx": export_docx.render, "pdf": export_pdf.render}


def _name(person) -> str:
    return person.get_full_name()


def expected(assignment: Assignment) -> dict:
    """The contract's fields, from the live assignment."""
    people = export_document.listed_people
    distribution = {"execution": [], "information": []}
    for row in assignment.distribution.select_related("person").order_by("position", "pk"):
        distribution[row.purpose].append({"name": _name(row.person), "note": row.note})
    return {
        "registration_number": assignment.registration_number,
        "date": assignment.document_date.isoformat(),
        "title": assignment.title,
        "commissioners": [_name(p) for p in people(assignment, "commissioners")],
        "decision_makers": [_name(p) for p in people(assignment, "decision_makers")],
        "assignee": _name(assignment.assignee) if assignment.assignee else None,
        "working_group": [
            {"name": _name(m.person), "role": m.role}
            for m in assignment.working_group.filter(is_active=True)
            .select_related("person")
            .order_by("position", "pk")
        ],
        "milestones": [
            (m.title, m.start.isoformat(), m.due.isoformat())
            for m in assignment.milestones.exclude(status="cancelled").order_by("position", "pk")
        ],
        "delivery_due": assignment.delivery_due.isoformat() if assignment.delivery_due else None,
        "distribution": distribution,
    }


def read_back(assignment: Assignment, kind: str) -> dict:
    data = RENDERERS[kind](export_document.build(assignment))
    contract = read_document(data, f"export.{kind}", today=dt.date(2025, 8, 12)).as_contract()
    contract["milestones"] = [(m["title"], m["start"], m["due"]) for m in contract["milestones"]]
    return {key: contract[key] for key in expected(assignment)}


@pytest.fixture
def demo(db):
    load_demo()


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_seed_004_round_trips(demo, kind):
    seed = Assignment.objects.get(registration_number="RS 2024-05699", state="adopted")
    assert read_back(seed, kind) == expected(seed)


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_a_generated_assignment_round_trips(demo, kind):
    """Another shape: one commissioner, a reader "för kännedom", an in-progress timeline whose
    dates are not whole months."""
    generated = Assignment.objects.filter(
        state="in_progress", distribution__purpose=Distribution.Purpose.INFORMATION
    ).exclude(registration_number="RS 2024-05699")[0]
    assert read_back(generated, kind) == expected(generated)
