"""An imported uppdragshandling saved as a draft (documents/importer/drafts.py)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from assignments.models import Assignment, AuditEntry, OrgUnit, User
from documents.importer import read_document
from documents.importer.drafts import create_draft, match_people
from tests import uppdragshandlingar as documents
from tests.documents.importer import expected
from tests.factories import AssignmentFactory, UserFactory

D = dt.date


def seed_004():
    return read_document(documents.SEED_004.read_bytes(), "004.txt", today=D(2025, 1, 1))


def draft_of_seed_004() -> Assignment:
    return create_draft(
        seed_004(), data=documents.SEED_004.read_bytes(), filename="004.txt", trusted=True
    )


def test_seed_004_becomes_a_draft_with_every_part_of_the_document(accounts, central_office):
    assignment = draft_of_seed_004()
    seed = expected.SEED
    assert (assignment.state, assignment.registration_number, assignment.document_date) == (
        "draft",
        seed["registration_number"],
        seed["document_date"],
    )
    assert (assignment.title, assignment.issuing_unit) == (seed["title"], central_office)
    assert (assignment.assignee, assignment.project_lead) == (
        accounts["jan.strang"],
        accounts["jan.strang"],
    )
    decision_makers = {accounts[u] for u in seed["decision_makers"]}
    assert set(assignment.commissioners.all()) == decision_makers
    # "Ander Kullbratt" in the signature is Anders Kullbratt, as elsewhere in the document
    assert set(assignment.decision_makers.all()) == decision_makers
    assert assignment.delivery_due == seed["delivery_due"]
    for name, text in expected.SEED_004_TEXTS.items():
        assert getattr(assignment, name) == text, name
    assert [
        (m.kind, m.title, m.period_label, m.start, m.due) for m in assignment.milestones.all()
    ] == seed["milestones"]
    assert [i.text for i in assignment.items.filter(kind="scope")] == seed["scope"]
    assert [i.text for i in assignment.items.filter(kind="requirement")] == seed["requirements"]
    assert [(m.person.username, m.role) for m in assignment.working_group.all()] == seed[
        "working_group"
    ]
    assert [(r.kind, r.text, r.target_reference) for r in assignment.relations.all()] == [
        (kind, text, reference) for kind, text, _group, reference in seed["relations"]
    ]
    assert sorted(
        (d.purpose, d.person.username, d.note) for d in assignment.distribution.all()
    ) == sorted(seed["distribution"])


def test_the_source_file_is_kept_on_the_draft_under_a_random_name(accounts, central_office):
    assignment = draft_of_seed_004()
    assert assignment.source_document_name == "004.txt"
    assert assignment.source_document.name.startswith("sources/")
    assert "004" not in assignment.source_document.name
    with assignment.source_document.open("rb") as stored:
        assert stored.read() == documents.SEED_004.read_bytes()


def test_the_import_is_in_the_audit_trail_with_its_file(accounts, central_office):
    assignment = draft_of_seed_004()
    entry = AuditEntry.objects.get(action="assignment.imported")
    assert (entry.assignment, entry.reason) == (assignment, "004.txt")
    assert entry.after["registration_number"] == "RS 2024-05699"
    rows = AuditEntry.objects.filter(action="row.registered", assignment=assignment)
    # 6 items, 8 members, 4 relations, 4 milestones, 13 on the distribution lists
    assert rows.count() == 35


def test_a_name_like_an_account_is_matched_and_the_match_warned(db, central_office):
    account = UserFactory(username="mats.oberg", first_name="Mats", last_name="Oberg")
    document = read_document(documents.SYNTHETIC.read_bytes(), "s.txt", today=D(2025, 1, 1))
    matches = match_people(document)
    assert (matches.matches["Mats Öberg"].kind, matches.matches["Mats Öberg"].candidate.pk) == (
        "fuzzy",
        account.pk,
    )
    assert "”Mats Öberg” matchades osäkert mot kontot Mats Oberg: kontrollera." in (
        matches.warnings()
    )


def test_a_name_of_no_account_becomes_a_person_without_a_login(db):
    document = read_document(documents.SYNTHETIC.read_bytes(), "s.txt", today=D(2025, 1, 1))
    assignment = create_draft(
        document, data=documents.SYNTHETIC.read_bytes(), filename="s.txt", trusted=True
    )
    reader = assignment.distribution.get(purpose="information", position=1).person
    assert (str(reader), reader.has_usable_password(), reader.email) == (
        "Läkemedelskommitténs ordförande",
        False,
        "",
    )
    sofia = User.objects.get(username="sofia.bergstrom")
    assert (assignment.assignee, assignment.project_lead) == (sofia, sofia)
    assert assignment.working_group.get(person=sofia).role == "projektledare primärvården"
    warnings = [w.message for w in document.warnings]
    assert any(m.startswith("Inget konto heter ”Karin Lindqvist”") for m in warnings)
    assert "Enheten ”Koncernstab digitalisering” fanns inte och har lagts upp." in warnings
    assert OrgUnit.objects.get(name="Koncernstab digitalisering") == assignment.issuing_unit


def test_a_deadline_alone_starts_and_ends_on_its_day(db):
    document = read_document(documents.SYNTHETIC.read_bytes(), "s.txt", today=D(2025, 1, 1))
    assignment = create_draft(
        document, data=documents.SYNTHETIC.read_bytes(), filename="s.txt", trusted=True
    )
    report = assignment.milestones.get(period_label="Senast 15 mars 2027")
    assert (report.start, report.due) == (D(2027, 3, 15), D(2027, 3, 15))
    autumn = assignment.milestones.get(period_label="Hösten 2026")
    assert (autumn.start, autumn.due) == (D(2026, 8, 1), D(2026, 12, 31))


def test_the_superseded_document_in_the_registry_is_linked(accounts, central_office):
    old = AssignmentFactory(
        registration_number="RS 2024-05699",
        document_date=D(2025, 6, 18),
        issuing_unit=central_office,
        state=Assignment.State.SUPERSEDED,
    )
    assert draft_of_seed_004().supersedes == old


def test_a_document_replacing_a_live_one_is_refused(accounts, central_office):
    AssignmentFactory(
        registration_number="RS 2024-05699",
        document_date=D(2025, 6, 18),
        issuing_unit=central_office,
        state=Assignment.State.IN_PROGRESS,
    )
    with pytest.raises(ValidationError, match="som fortfarande gäller"):
        draft_of_seed_004()


def test_a_second_live_document_with_the_same_number_is_refused(accounts, central_office):
    draft_of_seed_004()
    with pytest.raises(ValidationError, match="redan ett gällande uppdrag med det diarienumret"):
        draft_of_seed_004()


def test_a_document_without_its_parties_cannot_become_a_draft(db):
    text = documents.synthetic_text().replace("Uppdragstagare: Sofia Bergström\n", "")
    document = read_document(text.encode(), "s.txt")
    with pytest.raises(ValidationError, match="det saknas: uppdragstagare"):
        create_draft(document, data=text.encode(), filename="s.txt", trusted=True)
    assert not Assignment.objects.exists()
