import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assignments.models import (
    Assignment,
    AssignmentRelation,
    AuditEntry,
    Milestone,
    OrgUnit,
    RecordDeletionError,
    User,
)
from tests.factories import AssignmentFactory, MilestoneFactory, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _assignment(**overrides) -> Assignment:
    unit = OrgUnitFactory(name="Koncernkontoret")
    fields = {
        "registration_number": "RS 2024-05699",
        "document_date": dt.date(2025, 8, 12),
        "issuing_unit": unit,
        "title": "Organisering",
        "assignee": UserFactory(),
    }
    fields.update(overrides)
    return Assignment(**fields)


@pytest.mark.parametrize("number", ["RS 2024-05699", "LJ 2013/746", "LJ2013 /746", "RS 2025-1-3"])
def test_registration_numbers_as_registered_are_accepted(number):
    assignment = _assignment(registration_number=number)
    assignment.full_clean()
    assignment.save()
    assert Assignment.objects.get(pk=assignment.pk).registration_number == number


@pytest.mark.parametrize("number", ["", "2024-05699", "rs 2024-05699", " RS 2024-05699", "RS-X"])
def test_malformed_registration_number_is_rejected_in_swedish(number):
    with pytest.raises(ValidationError) as error:
        _assignment(registration_number=number).full_clean()
    assert "registration_number" in error.value.message_dict
    assert Assignment.objects.count() == 0


def test_registration_number_is_not_rewritten():
    assignment = _assignment(registration_number="LJ2013 /746")
    assignment.full_clean()
    assignment.save()
    assignment.refresh_from_db()
    assert assignment.registration_number == "LJ2013 /746"


def test_duplicate_live_registration_number_is_a_clear_error():
    _assignment().save()
    duplicate = _assignment(document_date=dt.date(2025, 9, 1))
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "gällande uppdrag med det diarienumret" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    assert Assignment.objects.count() == 1


def test_superseded_document_may_share_its_registration_number():
    old = _assignment(document_date=dt.date(2025, 6, 18), state=Assignment.State.SUPERSEDED)
    old.save()
    new = _assignment(supersedes=old)
    new.full_clean()
    new.save()
    assert new.supersedes == old


@pytest.mark.parametrize("title", ["", "   "])
def test_empty_title_is_rejected(title):
    with pytest.raises(ValidationError) as error:
        _assignment(title=title).full_clean()
    assert "title" in error.value.message_dict
    assert Assignment.objects.count() == 0


def test_delivery_due_before_document_date_is_rejected():
    with pytest.raises(ValidationError) as error:
        _assignment(delivery_due=dt.date(2025, 1, 1)).full_clean()
    assert error.value.message_dict["delivery_due"] == [
        "Slutleveransen kan inte ligga före uppdragets datum."
    ]


def test_assignment_without_assignee_is_rejected():
    with pytest.raises(ValidationError) as error:
        _assignment(assignee=None).full_clean()
    assert "assignee" in error.value.message_dict


def test_milestone_due_before_start_is_rejected_by_clean_and_database():
    milestone = MilestoneFactory.build(
        assignment=AssignmentFactory(), start=dt.date(2025, 9, 1), due=dt.date(2025, 8, 1)
    )
    with pytest.raises(ValidationError) as error:
        milestone.full_clean()
    assert "due" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        milestone.save()
    assert Milestone.objects.count() == 0


def test_milestone_without_responsible_falls_back_to_assignee():
    milestone = MilestoneFactory()
    assert milestone.responsible_person == milestone.assignment.assignee


def test_milestone_is_overdue_only_while_open():
    milestone = MilestoneFactory(due=dt.date(2025, 10, 31))
    assert milestone.is_overdue(dt.date(2025, 11, 1))
    assert not milestone.is_overdue(dt.date(2025, 10, 31))
    milestone.status = Milestone.Status.DONE
    assert not milestone.is_overdue(dt.date(2025, 11, 1))


def test_relation_needs_a_target_or_text():
    relation = AssignmentRelation(assignment=AssignmentFactory(), kind="within", text=" ")
    with pytest.raises(ValidationError) as error:
        relation.full_clean()
    assert "Ange ett uppdrag, en grupp eller en text." in error.value.messages


def test_org_unit_cannot_be_its_own_ancestor():
    top = OrgUnitFactory(name="Region")
    child = OrgUnitFactory(name="Kontor", parent=top)
    top.parent = child
    with pytest.raises(ValidationError):
        top.full_clean()


def test_org_unit_names_are_unique_per_parent_also_at_top_level():
    OrgUnit.objects.create(name="Västra Götalandsregionen")
    with pytest.raises(ValidationError):
        OrgUnit(name="Västra Götalandsregionen").full_clean()


@pytest.mark.parametrize("factory", [AssignmentFactory, MilestoneFactory, OrgUnitFactory])
def test_public_records_refuse_hard_delete(factory):
    record = factory()
    with pytest.raises(RecordDeletionError):
        record.delete()
    with pytest.raises(RecordDeletionError):
        type(record).objects.filter(pk=record.pk).delete()
    assert type(record).objects.filter(pk=record.pk).exists()


def test_people_are_deactivated_not_deleted():
    person = UserFactory()
    with pytest.raises(RecordDeletionError):
        person.delete()
    assert User.objects.filter(pk=person.pk).exists()


def test_audit_entries_are_immutable():
    from assignments import audit

    entry = audit.record(actor=None, action="test", obj=AssignmentFactory())
    entry.reason = "ändrat"
    with pytest.raises(RecordDeletionError):
        entry.save()
    with pytest.raises(RecordDeletionError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


def test_overdue_filter_and_loaded_rows_agree():
    from tests.factories import AssignmentFactory, MilestoneFactory

    today = dt.date(2025, 11, 14)
    late_delivery = AssignmentFactory(delivery_due=dt.date(2025, 11, 1))
    delivered = AssignmentFactory(
        delivery_due=dt.date(2025, 11, 1), state=Assignment.State.DELIVERED
    )
    late_milestone = AssignmentFactory(delivery_due=dt.date(2026, 1, 1))
    MilestoneFactory(assignment=late_milestone, due=dt.date(2025, 11, 13))
    done_milestone = AssignmentFactory(delivery_due=dt.date(2026, 1, 1))
    MilestoneFactory(assignment=done_milestone, due=dt.date(2025, 11, 13), status="done")
    decided = AssignmentFactory(delivery_due=dt.date(2025, 11, 1), state=Assignment.State.DECIDED)
    MilestoneFactory(assignment=decided, due=dt.date(2025, 11, 13))

    by_filter = set(Assignment.objects.filter(Assignment.overdue_q(today)))
    by_rows = {a for a in Assignment.mark_overdue(Assignment.objects.all(), today) if a.is_overdue}
    assert by_filter == by_rows == {late_delivery, late_milestone}
    assert delivered not in by_rows and done_milestone not in by_rows


def test_a_drafts_milestones_are_never_late_until_it_is_adopted():
    """Issue 17, 11: a draft's tidplan is not in force, so nothing in it is late."""
    today = dt.date(2025, 11, 14)
    draft = AssignmentFactory(state=Assignment.State.DRAFT, delivery_due=dt.date(2025, 11, 1))
    milestone = MilestoneFactory(assignment=draft, due=dt.date(2025, 11, 13))
    assert not milestone.is_overdue(today)
    assert not Assignment.objects.filter(Assignment.overdue_q(today)).exists()
    assert not Assignment.mark_overdue([draft], today)[0].is_overdue

    draft.state = Assignment.State.ADOPTED
    draft.save()
    assert milestone.is_overdue(today)
    assert set(Assignment.objects.filter(Assignment.overdue_q(today))) == {draft}
    assert Assignment.mark_overdue([draft], today)[0].is_overdue
