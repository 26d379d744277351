"""Gallring (records/gallring.py): the dry run lists exactly what the rules name, disposal
removes that and logs it, a legal hold keeps an assignment's records, and nothing a rule does
not name is touched. The clock moves past each retention period with time-machine."""

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from notifications.models import Notification
from notifications.signals import notify

from assignments import contacts
from assignments.models import Assignment, AuditEntry, Delivery, RecordDeletionError, User
from records import gallring
from records.models import GallringLogEntry, GallringRule, LegalHold
from reminders.models import Reminder
from tests.factories import AssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.UTC)


def _rule(kind, months):
    return GallringRule.objects.create(
        kind=kind,
        retention_months=months,
        decision_reference="RS 2025-01234",
        decision_paragraph="§ 42",
        decision_body="Regionstyrelsen",
        decided_on=dt.date(2025, 11, 4),
    )


def _delivery(assignment, number, status):
    delivery = Delivery.objects.create(
        assignment=assignment,
        number=number,
        summary=f"Version {number}",
        submitted_by=assignment.assignee,
        status=status,
        document_name=f"rapport-v{number}.txt",
    )
    delivery.document.save(f"rapport-v{number}.txt", ContentFile(b"Rapport"), save=True)
    return delivery


def _reminder(assignment, recipient, state, n):
    return Reminder.objects.create(
        subject_key=f"delivery:{assignment.pk if assignment else 0}",
        kind=Reminder.Kind.OVERDUE,
        recipient=recipient,
        due_version=f"2026-01-{n:02d}",
        assignment=assignment,
        planned_at=timezone.now(),
        state=state,
    )


@pytest.fixture
def world():
    """At START: two closed assignments (one will be held) and an open one, each with a
    returned and a withdrawn and an approved delivery with documents, reminders and
    notifications; a contact linked to an account, and one not linked."""
    with time_machine.travel(START, tick=False):
        person = UserFactory()
        closed = AssignmentFactory(state=Assignment.State.DECIDED)
        held = AssignmentFactory(state=Assignment.State.CANCELLED)
        open_ = AssignmentFactory(state=Assignment.State.IN_PROGRESS)
        made = {}
        for a in (closed, held, open_):
            made[a.pk] = {
                "returned": _delivery(a, 1, Delivery.Status.RETURNED),
                "withdrawn": _delivery(a, 2, Delivery.Status.WITHDRAWN),
                "approved": _delivery(a, 3, Delivery.Status.APPROVED),
                "sent": _reminder(a, person, Reminder.State.SENT, 1),
                "planned": _reminder(a, person, Reminder.State.PLANNED, 2),
            }
            notify.send(a, recipient=person, verb=f"Om {a.registration_number}", target=a)
        digest = _reminder(None, person, Reminder.State.SENT, 3)
        linked = contacts.new_contact("Läkemedelskommitténs ordförande")
        contacts.link_contact(contact=linked, account=person, actor=None)
        unlinked = contacts.new_contact("Referensgruppens sekreterare")
        LegalHold.objects.create(assignment=held, reason="Begäran om allmän handling")
    return {
        "closed": closed,
        "held": held,
        "open": open_,
        "made": made,
        "digest": digest,
        "linked": linked,
        "unlinked": unlinked,
        "person": person,
    }


def _names(found):
    return sorted((c.rule.kind, c.object_type, c.object_id) for c in found)


def test_nothing_goes_without_a_rule(world):
    with time_machine.travel(START + dt.timedelta(days=3650)):
        assert gallring.find() == []
        assert gallring.dispose() == []
    assert Reminder.objects.count() == 7
    assert Notification.objects.count() == 3


def test_a_rule_needs_the_decision_it_rests_on():
    rule = GallringRule(
        kind=GallringRule.Kind.REMINDERS,
        retention_months=12,
        decision_reference="",
        decision_paragraph="",
        decision_body="",
        decided_on=dt.date(2025, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert {"decision_reference", "decision_paragraph", "decision_body"} <= set(
        error.value.message_dict
    )


def test_nothing_is_named_before_the_retention_period_has_passed(world):
    _rule(GallringRule.Kind.RETURNED_DELIVERY_DOCUMENTS, 24)
    with time_machine.travel(START + dt.timedelta(days=365 * 2 - 2)):
        assert gallring.find() == []


def test_the_dry_run_lists_exactly_what_the_rules_name_and_removes_nothing(world):
    for kind, months in [
        (GallringRule.Kind.RETURNED_DELIVERY_DOCUMENTS, 24),
        (GallringRule.Kind.WITHDRAWN_DELIVERY_DOCUMENTS, 6),
        (GallringRule.Kind.REMINDERS, 12),
        (GallringRule.Kind.NOTIFICATIONS, 3),
        (GallringRule.Kind.LINKED_CONTACTS, 36),
    ]:
        _rule(kind, months)
    closed, open_, made = world["closed"], world["open"], world["made"]
    reminders_before = Reminder.objects.count()

    # Past 3 months: the notifications, but not of the held assignment.
    with time_machine.travel(START + dt.timedelta(days=95)):
        assert _names(gallring.find()) == sorted(
            ("notifications", "notifications.Notification", str(n.pk))
            for n in Notification.objects.exclude(target_object_id=str(world["held"].pk))
        )
    # Past 6 and 12 months: withdrawn documents of closed and open assignments (a document's
    # file is no reminder), and sent reminders of closed assignments and the digest.
    with time_machine.travel(START + dt.timedelta(days=370)):
        named = {(k, i) for k, _, i in _names(gallring.find())}
    assert {i for k, i in named if k == "withdrawn_delivery_documents"} == {
        str(made[closed.pk]["withdrawn"].pk),
        str(made[open_.pk]["withdrawn"].pk),
    }
    assert {i for k, i in named if k == "reminders"} == {
        str(made[closed.pk]["sent"].pk),
        str(world["digest"].pk),
    }
    assert "returned_delivery_documents" not in {k for k, _ in named}
    # Past 36 months: the returned documents and the linked contact too, never the unlinked.
    out = io.StringIO()
    with time_machine.travel(START + dt.timedelta(days=365 * 3 + 2)):
        call_command("gallra", "--dry-run", stdout=out)
        named = {(k, i) for k, _, i in _names(gallring.find())}
    assert {i for k, i in named if k == "returned_delivery_documents"} == {
        str(made[closed.pk]["returned"].pk),
        str(made[open_.pk]["returned"].pk),
    }
    assert {i for k, i in named if k == "linked_contacts"} == {str(world["linked"].pk)}
    assert f"{len(named)} handlingar skulle gallras (inget har tagits bort)" in out.getvalue()
    assert Reminder.objects.count() == reminders_before
    assert all(d.document for d in Delivery.objects.all())
    assert GallringLogEntry.objects.count() == 0


def test_disposal_removes_what_the_dry_run_listed_logs_it_and_nothing_else(
    world, django_capture_on_commit_callbacks
):
    for kind, months in [
        (GallringRule.Kind.RETURNED_DELIVERY_DOCUMENTS, 24),
        (GallringRule.Kind.REMINDERS, 12),
        (GallringRule.Kind.NOTIFICATIONS, 3),
        (GallringRule.Kind.LINKED_CONTACTS, 36),
    ]:
        _rule(kind, months)
    closed, held, open_, made = world["closed"], world["held"], world["open"], world["made"]
    counts = {model: model.objects.count() for model in (Assignment, Delivery, User)}
    returned = made[closed.pk]["returned"]
    stored_file = returned.document.name
    storage = returned.document.storage

    with time_machine.travel(START + dt.timedelta(days=365 * 3 + 2)):
        listed = _names(gallring.find())
        out = io.StringIO()
        # the files go once the disposal's transaction has committed
        with django_capture_on_commit_callbacks(execute=True):
            call_command("gallra", stdout=out)

    logged = sorted((e.kind, e.object_type, e.object_id) for e in GallringLogEntry.objects.all())
    assert logged == listed
    assert f"{len(listed)} handlingar gallrade" in out.getvalue()
    # removed: the returned files (not of the held one), sent reminders of closed
    # assignments, notifications (not of the held one), the linked contact's name
    returned.refresh_from_db()
    assert (returned.document.name, storage.exists(stored_file)) == ("", False)
    assert made[held.pk]["returned"].document.storage.exists(
        made[held.pk]["returned"].document.name
    )
    assert Delivery.objects.get(pk=made[open_.pk]["returned"].pk).document.name == ""
    assert not Reminder.objects.filter(pk=made[closed.pk]["sent"].pk).exists()
    assert set(Reminder.objects.values_list("pk", flat=True)) == {
        made[a.pk][k].pk for a in (closed, held, open_) for k in ("planned",)
    } | {made[held.pk]["sent"].pk, made[open_.pk]["sent"].pk}
    assert list(Notification.objects.values_list("target_object_id", flat=True)) == [str(held.pk)]
    linked = User.objects.get(pk=world["linked"].pk)
    assert (linked.first_name, linked.last_name, linked.username) == (
        "",
        "",
        f"gallrad-kontakt-{linked.pk}",
    )
    assert User.objects.get(pk=world["unlinked"].pk).last_name != ""
    # kept: every assignment, delivery row and person; the withdrawn and approved files
    assert Assignment.objects.count() == counts[Assignment]
    assert Delivery.objects.count() == counts[Delivery]
    assert User.objects.count() == counts[User]
    assert all(made[a.pk]["approved"].document for a in (closed, held, open_))
    assert all(
        Delivery.objects.get(pk=made[a.pk]["withdrawn"].pk).document for a in (closed, open_)
    )
    # the log holds the decision; every disposed record of the record is audited
    entry = GallringLogEntry.objects.get(
        object_type="assignments.Delivery", object_id=str(returned.pk)
    )
    assert entry.decision == "Regionstyrelsen RS 2025-01234 § 42"
    assert entry.registration_number == closed.registration_number
    assert AuditEntry.objects.filter(action="gallring.disposed").count() == 3


def test_a_lifted_hold_no_longer_keeps_the_records(world):
    _rule(GallringRule.Kind.RETURNED_DELIVERY_DOCUMENTS, 24)
    held = world["held"]
    LegalHold.objects.filter(assignment=held).update(lifted_at=START + dt.timedelta(days=400))

    with time_machine.travel(START + dt.timedelta(days=365 * 3)):
        named = {c.object_id for c in gallring.find()}

    assert str(world["made"][held.pk]["returned"].pk) in named


def test_the_gallringslogg_is_permanent(world):
    _rule(GallringRule.Kind.NOTIFICATIONS, 3)
    with time_machine.travel(START + dt.timedelta(days=100)):
        [first, *_] = gallring.dispose()

    with pytest.raises(RecordDeletionError):
        first.delete()
    with pytest.raises(RecordDeletionError):
        GallringLogEntry.objects.all().delete()
    first.description = "ändrad"
    with pytest.raises(RecordDeletionError):
        first.save()


def test_the_gallringslogg_exports_as_csv_and_json(world, admin_client):
    _rule(GallringRule.Kind.NOTIFICATIONS, 3)
    with time_machine.travel(START + dt.timedelta(days=100)):
        logged = gallring.dispose()

    as_json = admin_client.get("/admin/records/gallringlogentry/export.json")
    as_csv = admin_client.get("/admin/records/gallringlogentry/export.csv")

    rows = json.loads(as_json.content)
    assert [r["objekt-id"] for r in rows] == [e.object_id for e in logged]
    assert rows[0]["beslut"] == "Regionstyrelsen RS 2025-01234 § 42"
    assert as_csv["Content-Type"].startswith("text/csv")
    assert as_csv.content.decode("utf-8-sig").count("\n") == len(logged) + 1


def test_the_admin_preview_lists_and_disposes(world, admin_client):
    _rule(GallringRule.Kind.NOTIFICATIONS, 3)
    with time_machine.travel(START + dt.timedelta(days=100)):
        page = admin_client.get("/admin/records/gallringrule/gallra/")
        assert page.status_code == 200
        assert page.content.decode().count("Notis till") == 2
        assert GallringLogEntry.objects.count() == 0
        done = admin_client.post("/admin/records/gallringrule/gallra/")

    assert done.status_code == 302
    assert GallringLogEntry.objects.count() == 2
