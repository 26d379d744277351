"""Ending early and replacing: cancel, supersede, and a new version ("Ny version") of an
adopted document."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from assignments import audit, permissions, versions
from assignments.models import (
    Assignment,
    Milestone,
    MilestoneUpdate,
)
from reminders import events

from ..lifecycle import lifecycle
from .process import _lock, current_process, start_process


def _close_open_work(assignment: Assignment, actor, reason: str) -> None:
    """Cancel what is open of an assignment that closes undecided: its process, its open
    milestones, the e-mails of what waited in it (events.settle_closing)."""
    events.settle_closing(assignment=assignment)
    process = current_process(assignment)
    if process is not None and process.status not in ("DONE", "CANCELED"):
        process.flow_class.instance.cancel(process)
    for milestone in assignment.milestones.exclude(status__in=Milestone.CLOSED_STATUSES):
        from_status = milestone.status
        milestone.status = Milestone.Status.CANCELLED
        milestone.save(update_fields=["status"])
        MilestoneUpdate.objects.create(
            milestone=milestone,
            author=actor,
            from_status=from_status,
            to_status=Milestone.Status.CANCELLED,
            comment=reason,
        )
        # after the save: the entry replans the milestone's reminders from the database
        audit.record(
            actor=actor,
            action="milestone.status_changed",
            obj=milestone,
            before={"status": from_status},
            after={"status": Milestone.Status.CANCELLED},
            reason=reason,
        )


def cancel_assignment(*, assignment: Assignment, actor, reason: str) -> Assignment:
    """A commissioner cancels an open assignment; the reason is required."""
    with audit.one_write():
        assignment = _lock(assignment)
        if not lifecycle(assignment, actor=actor).may("cancel", actor):
            raise PermissionDenied(_("Bara en uppdragsgivare kan avbryta uppdraget."))
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Ange varför uppdraget avbryts.")})
        if not assignment.is_open:
            raise ValidationError(_("Uppdraget är redan avslutat."))
        _close_open_work(assignment, actor, reason.strip())
        lifecycle(assignment, actor=actor, reason=reason.strip()).cancel()
        return assignment


def _close_as_superseded(*, old: Assignment, actor, note: str) -> None:
    """The old document ends as superseded (callers hold its lock): its process is cancelled,
    its open milestones too, its reminders with them; its history stays as it was."""
    _close_open_work(old, actor, note)
    lifecycle(old, actor=actor, reason=note).supersede()


def _record_superseded(*, old: Assignment, new: Assignment, actor, note: str) -> None:
    audit.record(
        actor=actor,
        action="assignment.superseded",
        obj=old,
        after={"superseded_by": new.pk},
        reason=note,
    )


def supersede_assignment(
    *, old: Assignment, new: Assignment, actor, reason: str = ""
) -> Assignment:
    """Register `new` (saved or not) as replacing the open `old`, which closes as superseded.

    The old document's open milestones are cancelled; the new document plans its own.
    """
    with audit.one_write():
        old = _lock(old)
        if not permissions.can_supersede_assignment(actor, old):
            raise PermissionDenied(
                _("Bara registrator eller uppdragsgivaren kan ersätta uppdraget.")
            )
        if not old.is_open:
            raise ValidationError(_("Bara ett pågående uppdrag kan ersättas."))
        if new.pk == old.pk:
            raise ValidationError(_("Ett uppdrag kan inte ersätta sig självt."))
        note = reason.strip() or _("Ersatt av %(new)s") % {"new": new}
        _close_as_superseded(old=old, actor=actor, note=note)
        new.supersedes = old
        new.full_clean()
        new.save()
        # The new document usually keeps its commissioners; copy them unless given.
        if not new.commissioners.exists():
            new.commissioners.set(old.commissioners.all())
        if not new.decision_makers.exists():
            new.decision_makers.set(old.decision_makers.all())
        _record_superseded(old=old, new=new, actor=actor, note=note)
        audit.record(
            actor=actor, action="assignment.supersedes", obj=new, after={"supersedes": old.pk}
        )
        if current_process(new) is None and new.commissioners.exists():
            start_process(assignment=new, actor=actor)
        return new


def draft_new_version(
    *, assignment: Assignment, actor, document_date: dt.date, delivery_due: dt.date | None
) -> Assignment:
    """Copy an adopted assignment into a new draft that records it supersedes it ("denna
    uppdragshandling ersätter tidigare uppdragshandling …, daterad …"): by a registrar or one
    of its commissioners. Saved on "Ändra utkastet", the draft goes into its process and the
    commissioners are asked to adopt it; adopting it supersedes the old one (adopt_assignment),
    until then the old one goes on as it was."""
    with audit.one_write():
        old = _lock(assignment)
        if not permissions.can_supersede_assignment(actor, old):
            raise PermissionDenied(
                _("Bara registrator eller uppdragsgivaren kan göra en ny version.")
            )
        if old.state == Assignment.State.DRAFT:
            raise ValidationError(
                _("Ett utkast ändras direkt; en ny version görs av en fastställd handling.")
            )
        if old.state not in versions.REPLACEABLE_STATES:
            raise ValidationError(
                _("Uppdraget är avslutat (%(state)s) och kan inte få en ny version.")
                % {"state": old.state_label}
            )
        pending = versions.next_version(old)
        if pending is not None:
            raise ValidationError(
                _("Det finns redan en ny version, daterad %(date)s.")
                % {"date": pending.document_date.isoformat()}
            )
        new = versions.copy_as_draft(
            old, actor=actor, document_date=document_date, delivery_due=delivery_due
        )
        audit.record(
            actor=actor, action="assignment.version_drafted", obj=old, after={"new_version": new.pk}
        )
        audit.record(
            actor=actor, action="assignment.supersedes", obj=new, after={"supersedes": old.pk}
        )
        # Its process starts when it is saved on "Ändra utkastet" (workflow/imports.py): the
        # commissioners are asked to adopt what was written, not the unedited copy.
        return new


def _replace_earlier_version(*, new: Assignment, actor) -> None:
    """Adopting a new version supersedes the document it replaces, if that is still open
    (one superseded already, by supersede_assignment, stays as it is). The new version then
    holds the registration number alone, or it is not adopted (the model's rule, which the
    lifecycle asks before it saves a new state)."""
    old = _lock(new.supersedes)
    if old.state != Assignment.State.SUPERSEDED:
        if not old.is_open:
            raise ValidationError(
                _(
                    "Uppdragshandlingen som den här versionen ersätter är redan avslutad "
                    "(%(state)s) och kan inte ersättas. Avbryt utkastet."
                )
                % {"state": old.state_label}
            )
        note = _("Ersatt av %(new)s") % {"new": new}
        _close_as_superseded(old=old, actor=actor, note=note)
        _record_superseded(old=old, new=new, actor=actor, note=note)
