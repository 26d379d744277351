"""The audit trail records changes (assignments/audit.py): field, old -> new; a save that
changes nothing writes nothing; older entries, whole snapshots on both sides, read as the
changes they hold (they are public records and are never rewritten)."""

import datetime as dt

import pytest

from assignments import audit, history
from assignments.models import AuditEntry
from reports import report
from tests.factories import AssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_save_is_recorded_as_the_fields_it_changed_old_to_new():
    assignment = AssignmentFactory(title="Gammal rubrik", delivery_due=dt.date(2026, 6, 15))
    before = audit.full_snapshot(assignment)
    assignment.title = "Ny rubrik"
    assignment.save()

    entry = audit.record_change(
        actor=None,
        action="assignment.edited",
        obj=assignment,
        before=before,
        after=audit.full_snapshot(assignment),
    )

    assert (entry.before, entry.after) == ({"title": "Gammal rubrik"}, {"title": "Ny rubrik"})
    assert audit.changes(entry) == {"title": ("Gammal rubrik", "Ny rubrik")}


def test_a_save_that_changes_nothing_writes_no_entry():
    assignment = AssignmentFactory()
    count = AuditEntry.objects.count()
    snapshot = audit.full_snapshot(assignment)
    assignment.save()

    written = audit.record_change(
        actor=None,
        action="assignment.edited",
        obj=assignment,
        before=snapshot,
        after=audit.full_snapshot(assignment),
    )
    same = audit.record(actor=None, action="x", obj=assignment, before={"a": 1}, after={"a": 1})

    assert (written, same, AuditEntry.objects.count()) == (None, None, count)


def _old_style_entry(assignment, *, due_before, due_after, title_after):
    """An entry as the trail was written before 2026-12: whole snapshots on both sides."""
    snapshot = audit.full_snapshot(assignment)
    # Through the one writer, so the entry is chained like every other.
    return audit.record(
        actor=UserFactory(first_name="Rut", last_name="Registrator"),
        assignment=assignment,
        obj=assignment,
        action="assignment.edited",
        before={**snapshot, "delivery_due": due_before},
        after={**snapshot, "delivery_due": due_after, "title": title_after},
    )


def test_an_older_whole_snapshot_entry_reads_as_the_changes_it_holds():
    assignment = AssignmentFactory(title="Rubrik", delivery_due=dt.date(2026, 6, 15))
    entry = _old_style_entry(
        assignment, due_before="2026-06-15", due_after="2026-06-15", title_after="Ny rubrik"
    )

    assert audit.changes(entry) == {"title": ("Rubrik", "Ny rubrik")}
    [line] = history.describe([entry])
    assert [(c.label.lower(), c.before, c.after) for c in line.changes] == [
        ("uppdrag", "Rubrik", "Ny rubrik")
    ]


def test_the_report_reads_moves_from_changes_in_either_shape():
    assignment = AssignmentFactory(
        delivery_due=dt.date(2026, 6, 30), document_date=dt.date(2026, 1, 2), state="adopted"
    )
    kept = _old_style_entry(
        assignment, due_before="2026-06-15", due_after="2026-06-15", title_after="Rubrik"
    )
    moved = _old_style_entry(
        assignment, due_before="2026-06-15", due_after="2026-06-30", title_after="Rubrik"
    )

    moves = report._moves([assignment.pk])[("assignment", assignment.pk)]

    assert [(m.from_due, m.to_due) for m in moves] == [(dt.date(2026, 6, 15), dt.date(2026, 6, 30))]
    assert kept.pk < moved.pk
