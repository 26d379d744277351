"""Writes on the registry that are more than one save: milestone status and due-date moves.

Each service checks who may act (assignments.permissions), runs in one transaction, locks
the row it changes and writes the audit entry itself, so no caller can forget it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit, permissions
from .models import Assignment, Milestone, MilestoneUpdate


def _locked(milestone: Milestone) -> Milestone:
    return Milestone.objects.select_for_update().select_related("assignment").get(pk=milestone.pk)


def change_milestone_status(
    *, milestone: Milestone, actor, to_status: str, comment: str = ""
) -> MilestoneUpdate:
    """Move a milestone to another status and log it; the first update starts the work."""
    with transaction.atomic():
        milestone = _locked(milestone)
        if not permissions.can_update_milestone(actor, milestone):
            raise PermissionDenied(_("Du får inte uppdatera den här milstolpen."))
        assignment = milestone.assignment
        if assignment.state not in Assignment.WORKING_STATES:
            raise ValidationError(
                _("Milstolpar kan bara uppdateras medan uppdraget pågår (nu: %(state)s).")
                % {"state": assignment.get_state_display()}
            )
        if to_status not in Milestone.Status.values:
            raise ValidationError(_("Okänd status."))
        if to_status == milestone.status:
            raise ValidationError(_("Milstolpen har redan den statusen."))
        if to_status not in milestone.TRANSITIONS[Milestone.Status(milestone.status)]:
            raise ValidationError(
                _("En milstolpe som är ”%(from)s” kan inte bli ”%(to)s”.")
                % {
                    "from": milestone.get_status_display(),
                    "to": Milestone.Status(to_status).label,
                }
            )
        from_status = milestone.status
        milestone.status = to_status
        milestone.save(update_fields=["status"])
        update = MilestoneUpdate.objects.create(
            milestone=milestone,
            author=actor,
            from_status=from_status,
            to_status=to_status,
            comment=comment.strip(),
        )
        audit.record(
            actor=actor,
            action="milestone.status_changed",
            obj=milestone,
            before={"status": from_status},
            after={"status": to_status},
            reason=comment.strip(),
        )
        if assignment.state == Assignment.State.ADOPTED:
            set_assignment_state(
                assignment=assignment,
                actor=actor,
                state=Assignment.State.IN_PROGRESS,
                reason=_("Arbetet har startat."),
            )
        return update


def move_milestone_due(*, milestone: Milestone, actor, new_due: dt.date, reason: str) -> Milestone:
    """Move a milestone's due date; a reason is required and the move is logged."""
    with transaction.atomic():
        milestone = _locked(milestone)
        if not permissions.can_update_milestone(actor, milestone):
            raise PermissionDenied(_("Du får inte flytta den här milstolpen."))
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Ange varför datumet flyttas.")})
        if milestone.is_closed:
            raise ValidationError(_("En avslutad milstolpe kan inte flyttas."))
        if new_due < milestone.start:
            raise ValidationError({"new_due": _("Slutdatum kan inte ligga före startdatum.")})
        old_due = milestone.due
        if new_due == old_due:
            raise ValidationError({"new_due": _("Det nya datumet är samma som det gamla.")})
        milestone.due = new_due
        milestone.save(update_fields=["due"])
        audit.record(
            actor=actor,
            action="milestone.due_moved",
            obj=milestone,
            before={"due": old_due},
            after={"due": new_due},
            reason=reason.strip(),
        )
        return milestone


def set_assignment_state(*, assignment: Assignment, actor, state: str, reason: str = "") -> None:
    """Record a lifecycle change of an assignment (callers hold the row lock)."""
    before = assignment.state
    if before == state:
        return
    assignment.state = state
    assignment.save(update_fields=["state", "updated_at"])
    audit.record(
        actor=actor,
        action="assignment.state_changed",
        obj=assignment,
        before={"state": before},
        after={"state": state},
        reason=reason,
    )
