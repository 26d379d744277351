"""Gallring: disposing of records by the region's own decisions, and of nothing else.

Design note. A public body may destroy an allmän handling only by a decision (a gallringsbeslut
or dokumenthanteringsplan of its nämnd). Here each such decision is a GallringRule: one kind of
record, a retention period, and the decision's diarienummer and §. This module is the only
place in Uppdrag that hard-deletes anything (every model of the record refuses delete()), and it
deletes only what a rule in force names:

- `find(...)` lists the candidates: for each active rule, the records of its kind older than
  its retention period, leaving out everything of an assignment under a legal hold
  (LegalHold). The dry run (`manage.py gallra --dry-run`, the admin's preview) shows exactly
  this list.
- `dispose(...)` takes the same list, removes each record and writes one GallringLogEntry per
  record (permanent, exportable) and an audit entry, in one transaction.

What each kind is, and the date its retention is counted from:

- returned / withdrawn delivery documents: the uploaded file of a returned or withdrawn
  delivery, counted from its submission. The delivery's row, its summary and the answers stay:
  the record says it existed.
- reminders: the outbox rows of reminders sent, failed or cancelled, counted from the time
  they were planned for; only of closed assignments or of no assignment (digests, monthly
  reports), since a row of an open assignment is what keeps its reminder from going twice.
- notifications: in-app notifications, read or not, counted from their time.
- linked contacts: the name, title and username of a contact already linked to an account
  (the record names the account now), counted from the link's audit entry. The row stays for
  the places that point at it.

A hold protects every record of its assignment; contacts belong to no assignment and are not
held (they are pseudonymised only once the record names the account instead).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from notifications.models import Notification

from assignments import audit
from assignments.contacts import is_contact
from assignments.models import Assignment, AuditEntry, Delivery, Milestone, User
from reminders.models import Reminder

from .models import GallringLogEntry, GallringRule, LegalHold

Kind = GallringRule.Kind


@dataclass(frozen=True)
class Candidate:
    """One record a rule names and that may go now."""

    rule: GallringRule
    object_type: str
    object_id: str
    description: str
    record_date: dt.datetime
    assignment: Assignment | None = None

    @property
    def registration_number(self) -> str:
        return self.assignment.registration_number if self.assignment else ""


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` months earlier (the month's last day when shorter)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


# -- what each kind names ----------------------------------------------------------------------


def _delivery_documents(rule, cutoff, held) -> Iterator[Candidate]:
    status = (
        Delivery.Status.RETURNED
        if rule.kind == Kind.RETURNED_DELIVERY_DOCUMENTS
        else Delivery.Status.WITHDRAWN
    )
    deliveries = (
        Delivery.objects.filter(status=status, submitted_at__lt=cutoff)
        .exclude(document="")
        .exclude(assignment_id__in=held)
        .select_related("assignment")
        .order_by("submitted_at", "pk")
    )
    for delivery in deliveries:
        yield Candidate(
            rule,
            "assignments.Delivery",
            str(delivery.pk),
            f"{delivery}: {delivery.document_name or delivery.document.name}",
            delivery.submitted_at,
            delivery.assignment,
        )


def _reminders(rule, cutoff, held) -> Iterator[Candidate]:
    settled = (Reminder.State.SENT, Reminder.State.FAILED, Reminder.State.CANCELLED)
    reminders = (
        Reminder.objects.filter(state__in=settled, planned_at__lt=cutoff)
        .filter(Q(assignment__isnull=True) | ~Q(assignment__state__in=Assignment.OPEN_STATES))
        .exclude(assignment_id__in=held)
        .select_related("assignment", "recipient")
        .order_by("planned_at", "pk")
    )
    for reminder in reminders:
        yield Candidate(
            rule,
            "reminders.Reminder",
            str(reminder.pk),
            f"{reminder.get_kind_display()} till {reminder.recipient}, "
            f"{reminder.get_state_display().lower()}",
            reminder.planned_at,
            reminder.assignment,
        )


def _held_objects_q(held: set[int], prefix: str) -> Q:
    """Notifications whose actor or target (by `prefix`) is a held assignment, or one of its
    milestones or deliveries."""
    q = Q(pk__in=[])
    if not held:
        return q
    types = ContentType.objects.get_for_models(Assignment, Milestone, Delivery)
    ids = {
        Assignment: held,
        Milestone: Milestone.objects.filter(assignment_id__in=held).values_list("pk", flat=True),
        Delivery: Delivery.objects.filter(assignment_id__in=held).values_list("pk", flat=True),
    }
    for model, pks in ids.items():
        q |= Q(
            **{
                f"{prefix}_content_type": types[model],
                f"{prefix}_object_id__in": [str(pk) for pk in pks],
            }
        )
    return q


def _notifications(rule, cutoff, held) -> Iterator[Candidate]:
    notifications = (
        Notification.objects.filter(timestamp__lt=cutoff)
        .exclude(_held_objects_q(held, "actor") | _held_objects_q(held, "target"))
        .select_related("recipient")
        .order_by("timestamp", "pk")
    )
    for notification in notifications:
        yield Candidate(
            rule,
            "notifications.Notification",
            str(notification.pk),
            f"Notis till {notification.recipient}: {notification.verb}"[:400],
            notification.timestamp,
        )


def _linked_contacts(rule, cutoff, held) -> Iterator[Candidate]:
    linked_at = (
        AuditEntry.objects.filter(
            action="contact.linked",
            object_type="assignments.User",
            object_id=Cast(OuterRef("pk"), CharField()),
        )
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    contacts = (
        User.objects.filter(is_active=False, email="")
        .exclude(username__startswith=PSEUDONYM_PREFIX)
        .annotate(linked_at=Subquery(linked_at))
        .filter(linked_at__lt=cutoff)
        .order_by("linked_at", "pk")
    )
    for contact in contacts:
        if is_contact(contact):
            yield Candidate(
                rule,
                "assignments.User",
                str(contact.pk),
                f"Kontakt #{contact.pk} (kopplad till ett konto)",
                contact.linked_at,
            )


FINDERS = {
    Kind.RETURNED_DELIVERY_DOCUMENTS: _delivery_documents,
    Kind.WITHDRAWN_DELIVERY_DOCUMENTS: _delivery_documents,
    Kind.REMINDERS: _reminders,
    Kind.NOTIFICATIONS: _notifications,
    Kind.LINKED_CONTACTS: _linked_contacts,
}


def find(now: dt.datetime | None = None) -> list[Candidate]:
    """Every record that the rules in force name and that may go at `now`: the dry run."""
    now = now or timezone.now()
    held = LegalHold.held_assignment_ids(now)
    found: list[Candidate] = []
    for rule in GallringRule.objects.filter(is_active=True).order_by("kind"):
        cutoff = months_before(now, rule.retention_months)
        found.extend(FINDERS[rule.kind](rule, cutoff, held))
    return found


# -- disposal ----------------------------------------------------------------------------------

PSEUDONYM_PREFIX = "gallrad-kontakt-"


def _remove(candidate: Candidate, actor) -> None:
    kind = candidate.rule.kind
    if kind in (Kind.RETURNED_DELIVERY_DOCUMENTS, Kind.WITHDRAWN_DELIVERY_DOCUMENTS):
        delivery = Delivery.objects.select_for_update().get(pk=candidate.object_id)
        name = delivery.document.name
        # A queryset update: the delivery's row is a record and stays; its file goes.
        Delivery.objects.filter(pk=delivery.pk).update(document="", document_name="")
        transaction.on_commit(lambda: delivery.document.storage.delete(name))
        audit.record(
            actor=actor,
            action="gallring.disposed",
            obj=delivery,
            before={"document_name": delivery.document_name},
            after={"document_name": "", "decision": candidate.rule.decision},
            reason=str(candidate.rule),
        )
    elif kind == Kind.REMINDERS:
        Reminder.objects.filter(pk=candidate.object_id).delete()
    elif kind == Kind.NOTIFICATIONS:
        Notification.objects.filter(pk=candidate.object_id).delete()
    elif kind == Kind.LINKED_CONTACTS:
        contact = User.objects.get(pk=candidate.object_id)
        User.objects.filter(pk=contact.pk).update(
            first_name="",
            last_name="",
            title="",
            username=f"{PSEUDONYM_PREFIX}{contact.pk}",
        )
        # The entry names no personal data: that is what went.
        audit.record(
            actor=actor,
            action="gallring.disposed",
            obj=User.objects.get(pk=contact.pk),
            after={"personal_data": "gallrad", "decision": candidate.rule.decision},
            reason=str(candidate.rule),
        )


def dispose(*, actor=None, now: dt.datetime | None = None) -> list[GallringLogEntry]:
    """Dispose of every record find() names at `now` and log each one, in one transaction."""
    now = now or timezone.now()
    logged = []
    with transaction.atomic():
        for candidate in find(now):
            _remove(candidate, actor)
            logged.append(
                GallringLogEntry.objects.create(
                    disposed_at=now,
                    performed_by=actor if getattr(actor, "pk", None) else None,
                    rule=candidate.rule,
                    kind=candidate.rule.kind,
                    decision=candidate.rule.decision,
                    retention_months=candidate.rule.retention_months,
                    object_type=candidate.object_type,
                    object_id=candidate.object_id,
                    description=candidate.description[:400],
                    record_date=candidate.record_date,
                    assignment=candidate.assignment,
                    registration_number=candidate.registration_number,
                )
            )
    return logged


LOG_HEADER = (
    "gallrad",
    "typ av handling",
    "beslut",
    "gallras efter (månader)",
    "objekttyp",
    "objekt-id",
    "handling",
    "handlingens datum",
    "diarienummer",
    "utförd av",
)


def log_rows(entries) -> Iterator[tuple]:
    """The gallringslogg as rows (for CSV and JSON), in the order of LOG_HEADER."""
    for entry in entries:
        yield (
            entry.disposed_at.isoformat(),
            entry.get_kind_display(),
            entry.decision,
            entry.retention_months,
            entry.object_type,
            entry.object_id,
            entry.description,
            entry.record_date.isoformat(),
            entry.registration_number,
            str(entry.performed_by or ""),
        )
