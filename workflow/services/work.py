"""Adopting an assignment and working its milestones: status changes and due-date moves."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from assignments import audit, permissions
from assignments.models import (
    Assignment,
    Milestone,
    MilestoneUpdate,
)
from reminders import events
from reminders.models import Reminder

from ..lifecycle import lifecycle
from .closing import _replace_earlier_version
from .process import _assignment_path, _execute, _lock, _occurrence, _open_task, _working_side


def adopt_assignment(*, assignment: Assignment, actor, reason: str = "") -> Assignment:
    """Adopt (fastställ) a draft: by a commissioner or the regional director."""
    with audit.one_write():
        assignment = _lock(assignment)
        if not lifecycle(assignment, actor=actor).may("adopt", actor):
            raise PermissionDenied(
                _("Bara en uppdragsgivare eller regiondirektören kan fastställa.")
            )
        if assignment.state != Assignment.State.DRAFT:
            raise ValidationError(_("Bara ett utkast kan fastställas."))
        task = _open_task(assignment, "adopt")
        if task is None:
            raise ValidationError(_("Uppdraget har ingen fastställelse att göra."))
        if assignment.supersedes_id:
            # A new version takes effect when it is adopted: the one it replaces ends here.
            _replace_earlier_version(new=assignment, actor=actor)
        lifecycle(assignment, actor=actor, reason=reason).adopt()
        if task.owner_id not in (None, actor.pk):
            # Taken from the queue by another commissioner: the task names who adopted.
            task.flow_task.activation_class(task).reassign(user=actor)
        _execute(task, actor)
        entry = audit.record(
            actor=actor, action="assignment.adopted", obj=assignment, reason=reason
        )
        events.settle_adoption(assignment=assignment)
        events.notify_event(
            Reminder.Kind.ADOPTED,
            assignment=assignment,
            recipients=_working_side(assignment),
            occurrence=_occurrence(entry),
            path=_assignment_path(assignment),
            actor=actor,
            reason=reason.strip(),
        )
        return assignment


def _locked(milestone: Milestone) -> Milestone:
    return Milestone.objects.select_for_update().select_related("assignment").get(pk=milestone.pk)


def _not_while(assignment: Assignment) -> ValidationError:
    """The refusal when an assignment's milestones may not change now (after the delivery)."""
    return ValidationError(
        _("Milstolpar kan bara uppdateras medan uppdraget pågår (nu: %(state)s).")
        % {"state": assignment.get_state_display()}
    )


def _via(after: dict, via: str) -> dict:
    """The audit's `after`, naming the way the change came in ("e-post") when not a page."""
    return {**after, "via": via} if via else after


def change_milestone_status(
    *, milestone: Milestone, actor, to_status: str, comment: str = "", via: str = ""
) -> MilestoneUpdate:
    """Move a milestone to another status and log it; the first update starts the work."""
    with audit.one_write():
        milestone = _locked(milestone)
        if not permissions.can_update_milestone(actor, milestone):
            raise PermissionDenied(_("Du får inte uppdatera den här milstolpen."))
        assignment = milestone.assignment
        if not assignment.milestones_may_change:
            raise _not_while(assignment)
        if to_status not in Milestone.Status.values:
            raise ValidationError(_("Okänd status."))
        if to_status == milestone.status:
            raise ValidationError(_("Milstolpen har redan den statusen."))
        if to_status not in milestone.statuses_now():
            raise ValidationError(
                _("En milstolpe som är ”%(from)s” kan inte bli ”%(to)s”.")
                % {
                    "from": milestone.get_status_display(),
                    "to": Milestone.Status(to_status).label,
                }
            )
        if milestone.needs_reason(to_status) and not comment.strip():
            raise ValidationError(
                {
                    "comment": _("Ange varför milstolpen avbryts.")
                    if to_status == Milestone.Status.CANCELLED
                    else _("Ange varför milstolpen tas upp igen.")
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
            after=_via({"status": to_status}, via),
            reason=comment.strip(),
        )
        if assignment.state == Assignment.State.ADOPTED:
            lifecycle(assignment, actor=actor, reason=_("Arbetet har startat.")).start_work()
        return update


def move_milestone_due(
    *, milestone: Milestone, actor, new_due: dt.date, reason: str, via: str = ""
) -> Milestone:
    """Move a milestone's due date; a reason is required and the move is logged."""
    with audit.one_write():
        milestone = _locked(milestone)
        if not permissions.can_update_milestone(actor, milestone):
            raise PermissionDenied(_("Du får inte flytta den här milstolpen."))
        if not milestone.may_move_due:
            if not milestone.assignment.milestones_may_change:
                raise _not_while(milestone.assignment)
            raise ValidationError(_("En avslutad milstolpe kan inte flyttas."))
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Ange varför datumet flyttas.")})
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
            after=_via({"due": new_due}, via),
            reason=reason.strip(),
        )
        return milestone


def comment_on_milestone(
    *, milestone: Milestone, actor, comment: str, via: str = ""
) -> MilestoneUpdate:
    """A comment in the milestone's log, its status unchanged: by whoever may comment
    (assignments.permissions.can_comment_on_milestone), at any state (nothing is lost)."""
    with audit.one_write():
        milestone = _locked(milestone)
        if not permissions.can_comment_on_milestone(actor, milestone):
            raise PermissionDenied(_("Du får inte kommentera den här milstolpen."))
        comment = (comment or "").strip()
        if not comment:
            raise ValidationError({"comment": _("Skriv en kommentar.")})
        update = MilestoneUpdate.objects.create(
            milestone=milestone,
            author=actor,
            from_status=milestone.status,
            to_status=milestone.status,
            comment=comment,
        )
        audit.record(
            actor=actor,
            action="milestone.commented",
            obj=milestone,
            after=_via({"comment": comment}, via),
        )
        return update
