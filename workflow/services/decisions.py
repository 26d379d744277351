"""Deliver and decide: the final delivery, each decision-maker's answer, and the decision,
recorded with the last approval."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from assignments import audit, permissions, storage
from assignments.models import (
    Approval,
    Assignment,
    Decision,
    Delivery,
    User,
)
from assignments.selectors import latest_delivery
from reminders import events
from reminders.models import Reminder

from ..lifecycle import lifecycle
from ..selectors import open_tasks
from .absence import hand_on_while_away
from .process import (
    _assignment_path,
    _decision_path,
    _execute,
    _lock,
    _occurrence,
    _open_task,
    _plan_decision_waiting,
    waiting_for,
)


def submit_delivery(*, assignment: Assignment, actor, summary: str, document=None) -> Delivery:
    """The assignee submits the final delivery; one approval task per decision-maker opens."""
    with audit.one_write():
        assignment = _lock(assignment)
        if not lifecycle(assignment, actor=actor).may("deliver", actor):
            raise PermissionDenied(_("Bara uppdragstagaren kan lämna slutleveransen."))
        if assignment.state not in Assignment.WORKING_STATES:
            raise ValidationError(_("Slutleverans kan bara lämnas medan uppdraget pågår."))
        if not (summary or "").strip():
            raise ValidationError({"summary": _("Skriv en sammanfattning av leveransen.")})
        if not assignment.decision_makers.exists():
            raise ValidationError(_("Uppdraget saknar beslutsfattare."))
        task = _open_task(assignment, "work")
        if task is None:
            raise ValidationError(_("Uppdraget väntar inte på någon slutleverans."))
        number = assignment.deliveries.count() + 1
        delivery = Delivery(
            assignment=assignment, number=number, summary=summary.strip(), submitted_by=actor
        )
        if document:
            storage.validate_document(document)
            delivery.document = document
            delivery.document_name = PurePath(document.name).name
        delivery.save()
        lifecycle(assignment, actor=actor).deliver()
        entry = audit.record(
            actor=actor,
            action="delivery.submitted",
            obj=delivery,
            after={
                "number": number,
                "summary": delivery.summary,
                "document": delivery.document_name,
            },
        )
        _execute(task, actor)
        _plan_decision_waiting(delivery)
        # A decision-maker away with a stand-in: the approval waits with the stand-in.
        for approval in open_tasks(assignment):
            hand_on_while_away(approval)
        # At once, to whoever holds each approval (the reminder follows after a few days).
        events.notify_event(
            Reminder.Kind.DECISION_REQUESTED,
            assignment=assignment,
            recipients=User.objects.filter(pk__in=waiting_for(delivery)),
            occurrence=_occurrence(entry),
            path=_decision_path(assignment),
            actor=actor,
            delivery=delivery,
        )
        return delivery


def answerable_task(*, assignment: Assignment, actor) -> tuple[Task, User]:
    """The open approval task actor may answer, their own or one delegated to them, with its
    decision-maker; else the refusal in Swedish. Asked at answer time, whoever the task's owner
    is by now, and by the pages before they read the form."""
    me = permissions.standing(actor, assignment)
    delivery = latest_delivery(assignment)
    # Who answered on this delivery once is never counted again, for anyone (N-of-M).
    answered = delivery is not None and delivery.approvals.filter(acted_by=actor.pk).exists()
    for task in open_tasks(assignment).order_by("pk"):
        if not answered and permissions.may_answer(task, me):
            return task, User.objects.get(pk=permissions.decision_maker_of(task))
    if me.delivers:
        raise PermissionDenied(
            _(
                "Ingen beslutar om sin egen leverans: uppdragstagaren och projektledaren "
                "kan inte svara på den."
            )
        )
    if me.decides:
        raise ValidationError(_("Du har redan svarat på den här slutleveransen."))
    raise PermissionDenied(_("Du är inte beslutsfattare för det här uppdraget."))


def delivery_awaiting_decision(assignment: Assignment) -> Delivery:
    """The latest delivery, if it waits for the decision-makers' answers (else a Swedish
    ValidationError): the one an answer is about."""
    delivery = latest_delivery(assignment)
    if delivery is None or delivery.status != Delivery.Status.SUBMITTED:
        raise ValidationError(_("Det finns ingen slutleverans som väntar på beslut."))
    return delivery


def approve_delivery(
    *,
    delivery: Delivery,
    decided_by,
    decided_on: dt.date | None = None,
    paragraph_reference: str = "",
) -> Approval:
    """One decision-maker approves; when all have, the decision is recorded."""
    with audit.one_write():
        assignment = _lock(delivery.assignment)
        delivery = delivery_awaiting_decision(assignment)
        task, decision_maker = answerable_task(assignment=assignment, actor=decided_by)
        approval = Approval(
            delivery=delivery,
            decision_maker=decision_maker,
            acted_by=decided_by,
            verdict=Approval.Verdict.APPROVED,
            decided_on=decided_on or timezone.localdate(),
            paragraph_reference=paragraph_reference.strip(),
        )
        approval.clean()  # the model's rule of a decision's date
        approval.save()
        decided_on = approval.decided_on
        audit.record(
            actor=decided_by,
            action="delivery.approved",
            obj=delivery,
            after={
                "decision_maker": decision_maker.pk,
                "acted_by": decided_by.pk,
                "decided_on": decided_on,
                "paragraph_reference": approval.paragraph_reference,
            },
        )
        answered = set(
            delivery.approvals.filter(verdict=Approval.Verdict.APPROVED).values_list(
                "decision_maker", flat=True
            )
        )
        approved_by_all = answered >= set(assignment.decision_makers.values_list("pk", flat=True))
        if approved_by_all:
            delivery.status = Delivery.Status.APPROVED
            delivery.save(update_fields=["status"])
        _execute(task, decided_by)  # the last one: the join, "approved by all?", the end
        _plan_decision_waiting(delivery)
        # "Waiting for your decision" is read: by the one who answered, and the one answered for
        events.settle_decision(delivery=delivery, people=[decided_by.pk, decision_maker.pk])
        if approved_by_all:
            _record_decision(assignment=assignment, delivery=delivery, actor=decided_by)
        return approval


def return_delivery(*, delivery: Delivery, decided_by, comment: str) -> Approval:
    """One decision-maker returns the delivery for revision: the others' tasks are cancelled."""
    with audit.one_write():
        assignment = _lock(delivery.assignment)
        if not (comment or "").strip():
            raise ValidationError({"comment": _("Skriv varför leveransen återremitteras.")})
        delivery = delivery_awaiting_decision(assignment)
        task, decision_maker = answerable_task(assignment=assignment, actor=decided_by)
        approval = Approval.objects.create(
            delivery=delivery,
            decision_maker=decision_maker,
            acted_by=decided_by,
            verdict=Approval.Verdict.RETURNED,
            decided_on=timezone.localdate(),
            comment=comment.strip(),
        )
        delivery.status = Delivery.Status.RETURNED
        delivery.save(update_fields=["status"])
        entry = audit.record(
            actor=decided_by,
            action="delivery.returned",
            obj=delivery,
            after={"decision_maker": decision_maker.pk, "acted_by": decided_by.pk},
            reason=approval.comment,
        )
        lifecycle(assignment, actor=decided_by, reason=approval.comment).return_for_revision()
        _execute(task, decided_by)
        _plan_decision_waiting(delivery)
        # Nothing waits for a decision any more: every "waiting for your decision" is read.
        events.settle_decision(delivery=delivery)
        events.notify_event(
            Reminder.Kind.DELIVERY_RETURNED,
            assignment=assignment,
            recipients=[assignment.assignee, delivery.submitted_by],
            occurrence=_occurrence(entry),
            path=_assignment_path(assignment),
            actor=decided_by,
            delivery=delivery,
            comment=approval.comment,
        )
        return approval


def _record_decision(*, assignment: Assignment, delivery: Delivery, actor) -> Decision:
    """The decision, recorded with the last approval (approve_delivery): by then every
    decision-maker of record has approved, and `actor` gave the last approval, in person or
    as a stand-in."""
    approvals = list(delivery.approvals.filter(verdict=Approval.Verdict.APPROVED))
    references = sorted({a.paragraph_reference for a in approvals if a.paragraph_reference})
    decision = Decision.objects.create(
        assignment=assignment,
        delivery=delivery,
        decided_on=max(a.decided_on for a in approvals),
        paragraph_reference=", ".join(references),
    )
    lifecycle(assignment, actor=actor).decide()
    entry = audit.record(
        actor=actor,
        action="decision.recorded",
        obj=decision,
        after={"decided_on": decision.decided_on, "delivery": delivery.number},
    )
    events.settle_decision(delivery=delivery)
    # Everyone the document was sent to (for execution and for information), who carried it
    # out, who commissioned it and who decided it.
    distribution = User.objects.filter(distributions__assignment=assignment).distinct()
    events.notify_event(
        Reminder.Kind.DECIDED,
        assignment=assignment,
        recipients=[
            assignment.assignee,
            *assignment.commissioners.all(),
            *assignment.decision_makers.all(),
            *distribution,
        ],
        occurrence=_occurrence(entry),
        path=_assignment_path(assignment),
        actor=actor,
        delivery=delivery,
        decided_on=decision.decided_on.isoformat(),
    )
    return decision
