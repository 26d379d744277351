"""The audit trail's hash chain (assignments/audit.py): every entry is chained to the one
before it, a changed stored entry is named by `manage.py verify_audit`, and writers on
parallel connections never chain onto the same entry."""

import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from assignments import audit
from assignments.models import AuditEntry
from tests.factories import AssignmentFactory, UserFactory


def _write(count: int, assignment) -> list[AuditEntry]:
    actor = UserFactory()
    return [
        audit.record(
            actor=actor,
            action="assignment.edited",
            obj=assignment,
            before={"title": f"Rubrik {n}"},
            after={"title": f"Rubrik {n + 1}"},
            reason=f"ändring {n}",
        )
        for n in range(count)
    ]


@pytest.mark.django_db
def test_each_entry_is_chained_to_the_one_before_it():
    entries = _write(3, AssignmentFactory())
    stored = list(AuditEntry.objects.order_by("id"))

    assert [e.previous_hash for e in stored[1:]] == [e.entry_hash for e in stored[:-1]]
    assert stored[0].previous_hash == audit.GENESIS
    assert [e.pk for e in entries] == [e.pk for e in stored[-3:]]
    assert all(len(e.entry_hash) == 64 for e in stored)
    assert audit.verify_chain() == (len(stored), None)


@pytest.mark.django_db
def test_verify_audit_reports_a_whole_trail():
    _write(2, AssignmentFactory())
    out = io.StringIO()

    call_command("verify_audit", stdout=out)

    assert f"{AuditEntry.objects.count()} poster kontrollerade" in out.getvalue()


@pytest.mark.django_db
def test_verify_audit_names_the_one_stored_entry_edited_in_the_database():
    first, edited, last = _write(3, AssignmentFactory())
    # What an insider with database access would do: bypass the model, rewrite the reason.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE assignments_auditentry SET reason = %s WHERE id = %s",
            ["ingen ändring alls", edited.pk],
        )

    with pytest.raises(CommandError) as broken:
        call_command("verify_audit")

    assert f"#{edited.pk} " in str(broken.value)
    assert "innehållet stämmer inte" in str(broken.value)
    checked, link = audit.verify_chain()
    assert (link.entry_id, checked) == (
        edited.pk,
        AuditEntry.objects.filter(id__lte=edited.pk).count(),
    )


@pytest.mark.django_db
def test_verify_audit_names_the_entry_after_one_removed():
    first, removed, last = _write(3, AssignmentFactory())
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM assignments_auditentry WHERE id = %s", [removed.pk])

    _, link = audit.verify_chain()

    assert link.entry_id == last.pk
    assert "länken till föregående post" in link.problem


@pytest.mark.django_db
def test_rehashing_an_edited_entry_still_breaks_the_next_link():
    first, edited, last = _write(3, AssignmentFactory())
    edited.reason = "omskriven"
    forged = audit.chain_hash(edited, edited.previous_hash)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE assignments_auditentry SET reason = %s, entry_hash = %s WHERE id = %s",
            ["omskriven", forged, edited.pk],
        )

    _, link = audit.verify_chain()

    assert link.entry_id == last.pk


@pytest.mark.postgres
def test_writers_on_parallel_connections_form_one_unbroken_chain(transactional_db):
    assignment = AssignmentFactory()
    actors = [UserFactory() for _ in range(4)]
    barrier = threading.Barrier(len(actors))
    errors: list[BaseException] = []

    def writer(actor):
        try:
            barrier.wait(timeout=10)
            for n in range(5):
                audit.record(
                    actor=actor,
                    action="assignment.edited",
                    obj=assignment,
                    before={"n": n},
                    after={"n": n + 1},
                )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert AuditEntry.objects.filter(action="assignment.edited").count() == 20
    assert audit.verify_chain() == (AuditEntry.objects.count(), None)
    hashes = list(AuditEntry.objects.values_list("previous_hash", flat=True))
    assert len(hashes) == len(set(hashes))  # no two entries chained onto the same one
