"""How an assignment moves: adopt, work its milestones, submit, approve, return, decide, cancel,
supersede, reassign.

One path for every caller: the assignment page and viewflow's task views both call these.
Each service locks the row it changes first (so two decision-makers answering at the same
moment are serialised), changes the registry, drives the viewflow task and writes the audit,
in one transaction; each audit entry replans the reminders it concerns (reminders/receivers.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow import STATUS
from viewflow.workflow.models import Task

from assignments import audit, links, permissions, storage, versions
from assignments.models import (
    Approval,
    Assignment,
    Decision,
    Delivery,
    Milestone,
    MilestoneUpdate,
    User,
)
from assignments.selectors import latest_delivery
from reminders import events
from reminders import services as reminders
from reminders.models import Reminder

from .lifecycle import lifecycle
from .models import AssignmentProcess
from .selectors import open_tasks


def _lock(assignment: Assignment) -> Assignment:
    return Assignment.objects.select_for_update().get(pk=assignment.pk)


def current_process(assignment: Assignment) -> AssignmentProcess | None:
    return AssignmentProcess.of(assignment).first()


def _open_task(assignment: Assignment, node_name: str, **data) -> Task | None:
    for task in open_tasks(assignment).order_by("pk"):
        if task.flow_task.name != node_name:
            continue
        if all(task.data.get(k) == v for k, v in data.items()):
            return task
    return None


def waiting_for(delivery: Delivery) -> list[int]:
    """Who a submitted delivery waits for: each decision-maker who has not answered, or the
    stand-in their approval task was delegated to during an absence (reassign_task)."""
    answered = set(delivery.approvals.values_list("decision_maker_id", flat=True))
    delegated = {
        task.data.get("decision_maker"): task.owner_id
        for task in open_tasks(delivery.assignment)
        if task.owner_id and task.flow_task.name == permissions.APPROVE
    }
    return [
        delegated.get(pk, pk)
        for pk in delivery.assignment.decision_makers.values_list("pk", flat=True)
        if pk not in answered
    ]


def _plan_decision_waiting(delivery: Delivery) -> None:
    """The "waiting for your decision" reminders, to whoever holds the approval tasks now."""
    reminders.plan_decision_waiting(delivery, waiting_for=waiting_for(delivery))


def _execute(task: Task, actor) -> None:
    """Run a human task to completion on behalf of actor, moving the flow on."""
    activation = task.flow_task.activation_class(task)
    if task.status == STATUS.NEW:
        activation.assign(actor)
    if task.status == STATUS.ASSIGNED:
        activation.start(None)
    activation.execute()


# -- start and adopt --------------------------------------------------------------------------


def start_process(*, assignment: Assignment, actor=None) -> AssignmentProcess:
    """Start the process of a registered assignment: its adoption waits in the queue of every
    commissioner, who are each told."""
    with transaction.atomic():
        assignment = _lock(assignment)
        if current_process(assignment) is not None:
            raise ValidationError(_("Uppdraget har redan en process."))
        if not assignment.commissioners.exists():
            raise ValidationError(_("Uppdraget saknar uppdragsgivare."))
        flow = apps.get_app_config("workflow").flow
        process = flow.register.run(assignment=assignment, actor=actor)
        entry = audit.record(actor=actor, action="process.started", obj=assignment)
        if assignment.state == Assignment.State.DRAFT:
            events.notify_event(
                Reminder.Kind.ADOPTION_WAITING,
                assignment=assignment,
                recipients=assignment.commissioners.all(),
                occurrence=_occurrence(entry),
                path=_assignment_path(assignment),
                actor=actor,
                replaces=_replaced_in_force(assignment),
            )
        return process


def _replaced_in_force(assignment: Assignment) -> str:
    """The date of the adopted document a new version replaces ("" for none): its mail says so."""
    old = assignment.supersedes
    return old.document_date.isoformat() if old is not None and old.is_in_force else ""


def _occurrence(entry) -> str:
    """An event is named by the audit entry that records it: told once per recipient."""
    return f"audit:{entry.pk}"


def _assignment_path(assignment: Assignment) -> str:
    return links.process_url(assignment.pk, absolute=False)


def _decision_path(assignment: Assignment) -> str:
    return reverse("workflow:decision", args=[assignment.pk])


def _working_side(assignment: Assignment) -> list[User]:
    """Who carries the assignment out: the assignee, the project lead, the working group."""
    members = User.objects.filter(
        working_group_memberships__assignment=assignment,
        working_group_memberships__is_active=True,
    )
    return [assignment.assignee, assignment.project_lead, *members]


def adopt_assignment(*, assignment: Assignment, actor, reason: str = "") -> Assignment:
    """Adopt (fastställ) a draft: by a commissioner or the regional director."""
    with transaction.atomic():
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


# -- milestones ----------------------------------------------------------------------------------


def _locked(milestone: Milestone) -> Milestone:
    return Milestone.objects.select_for_update().select_related("assignment").get(pk=milestone.pk)


def _not_while(assignment: Assignment) -> ValidationError:
    """The refusal when an assignment's milestones may not change now (after the delivery)."""
    return ValidationError(
        _("Milstolpar kan bara uppdateras medan uppdraget pågår (nu: %(state)s).")
        % {"state": assignment.get_state_display()}
    )


def change_milestone_status(
    *, milestone: Milestone, actor, to_status: str, comment: str = ""
) -> MilestoneUpdate:
    """Move a milestone to another status and log it; the first update starts the work."""
    with transaction.atomic():
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
            lifecycle(assignment, actor=actor, reason=_("Arbetet har startat.")).start_work()
        return update


def move_milestone_due(*, milestone: Milestone, actor, new_due: dt.date, reason: str) -> Milestone:
    """Move a milestone's due date; a reason is required and the move is logged."""
    with transaction.atomic():
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
            after={"due": new_due},
            reason=reason.strip(),
        )
        return milestone


# -- deliver and decide ----------------------------------------------------------------------


def submit_delivery(*, assignment: Assignment, actor, summary: str, document=None) -> Delivery:
    """The assignee submits the final delivery; one approval task per decision-maker opens."""
    with transaction.atomic():
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
    with transaction.atomic():
        assignment = _lock(delivery.assignment)
        delivery = delivery_awaiting_decision(assignment)
        task, decision_maker = answerable_task(assignment=assignment, actor=decided_by)
        decided_on = decided_on or timezone.localdate()
        if decided_on > timezone.localdate():
            raise ValidationError({"decided_on": _("Beslutsdatum kan inte ligga i framtiden.")})
        approval = Approval.objects.create(
            delivery=delivery,
            decision_maker=decision_maker,
            acted_by=decided_by,
            verdict=Approval.Verdict.APPROVED,
            decided_on=decided_on,
            paragraph_reference=paragraph_reference.strip(),
        )
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
    with transaction.atomic():
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


# -- end early ---------------------------------------------------------------------------------


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
    with transaction.atomic():
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
    with transaction.atomic():
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


# -- a new version ("Ny version") ------------------------------------------------------------


def draft_new_version(
    *, assignment: Assignment, actor, document_date: dt.date, delivery_due: dt.date | None
) -> Assignment:
    """Copy an adopted assignment into a new draft that records it supersedes it ("denna
    uppdragshandling ersätter tidigare uppdragshandling …, daterad …"): by a registrar or one
    of its commissioners. Saved on "Ändra utkastet", the draft goes into its process and the
    commissioners are asked to adopt it; adopting it supersedes the old one (adopt_assignment),
    until then the old one goes on as it was."""
    with transaction.atomic():
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


# -- absence -----------------------------------------------------------------------------------


def reassign_task(*, task: Task, actor, new_owner, reason: str) -> Task:
    """Hand an open task to someone else, e.g. a stand-in (ställföreträdare) during an absence.

    Who may hand what to whom is assignments.permissions': an approval task only by its own
    decision-maker, to a stand-in who is neither another decision-maker nor on the delivering
    side, nor the stand-in of another decision-maker of the assignment (N different people);
    the adoption and the work by the assignee or a commissioner, to someone who may do them.
    The stand-in is recorded on the task, so the answer can be checked against it.
    """
    with transaction.atomic():
        process = AssignmentProcess.objects.get(pk=task.process_id)
        assignment = _lock(process.assignment)
        task = Task.objects.select_for_update().get(pk=task.pk)
        me = permissions.standing(actor, assignment)
        is_approval = task.flow_task.name == permissions.APPROVE
        _refuse_unless_may_hand_on(task, me)
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Ange varför uppgiften delegeras.")})
        if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
            raise ValidationError(_("Uppgiften kan inte delegeras nu."))
        if not permissions.may_hand_to(task, me, permissions.standing(new_owner, assignment)):
            raise ValidationError({"new_owner": _refusal(task, me)})
        if task.owner_id == new_owner.pk:
            # Nothing to hand on: a no-op writes nothing and tells nobody.
            raise ValidationError(
                {"new_owner": _("Uppgiften ligger redan hos %(name)s.") % {"name": new_owner}}
            )
        if is_approval and _stands_in_for_another(assignment, task, new_owner):
            raise ValidationError(
                {"new_owner": _("Personen är redan ställföreträdare för en annan beslutsfattare.")}
            )
        before = task.owner_id
        after = {"task": task.pk, "owner": new_owner.pk}
        if is_approval:
            decision_maker = permissions.decision_maker_of(task)
            data = {k: v for k, v in task.data.items() if k != "stand_in"}
            if new_owner.pk != decision_maker:
                data["stand_in"] = new_owner.pk
            task.data = data
            after["decision_maker"] = decision_maker
        activation = task.flow_task.activation_class(task)
        if task.status == STATUS.NEW:
            activation.assign(new_owner)
        else:
            activation.reassign(user=new_owner)
        if is_approval:
            # The "waiting for your decision" reminder follows the task to the stand-in.
            for delivery in assignment.deliveries.filter(status=Delivery.Status.SUBMITTED):
                _plan_decision_waiting(delivery)
        entry = audit.record(
            actor=actor,
            action="task.reassigned",
            obj=assignment,
            before={"task": task.pk, "owner": before},
            after=after,
            reason=reason.strip(),
        )
        events.notify_event(
            Reminder.Kind.TASK_DELEGATED,
            assignment=assignment,
            recipients=[new_owner],
            occurrence=_occurrence(entry),
            path=_decision_path(assignment) if is_approval else _assignment_path(assignment),
            actor=actor,
            task=task.flow_task.name,
            reason=reason.strip(),
        )
        return task


# Who commissioned, who carries out and who decides are part of the decision's record once the
# final delivery is in: they change only before (the admin and change_decision_makers ask this).
PARTIES_MAY_CHANGE = (
    Assignment.State.DRAFT,
    Assignment.State.ADOPTED,
    Assignment.State.IN_PROGRESS,
)


def change_decision_makers(
    *, assignment: Assignment, actor, decision_makers, reason: str
) -> Assignment:
    """A registrar changes who decides (the decision-makers of record), with a reason: the way
    on when a decision-maker cannot act at all, since nobody hands one decision-maker's
    approval to another (DOMAIN.md).

    Only while no delivery waits for a decision: the approval tasks of a submitted delivery
    are the decision-makers of record at submission, one task each, and viewflow adds no
    task to a running split through its public API. A delivery that waits is returned first
    (or its decision-maker chooses a stand-in).
    """
    with transaction.atomic():
        assignment = _lock(assignment)
        if not permissions.is_registrar(actor):
            raise PermissionDenied(_("Bara registrator kan ändra vilka som beslutar."))
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Ange varför beslutsfattarna ändras.")})
        if assignment.state not in PARTIES_MAY_CHANGE:
            raise ValidationError(
                _(
                    "Beslutsfattarna kan bara ändras innan slutleveransen har lämnats "
                    "(nu: %(state)s)."
                )
                % {"state": assignment.state_label}
            )
        people = list(decision_makers)
        if not people:
            raise ValidationError({"decision_makers": _("Ange minst en beslutsfattare.")})
        before = sorted(assignment.decision_makers.values_list("pk", flat=True))
        after = sorted({p.pk for p in people})
        if before == after:
            return assignment
        assignment.decision_makers.set(people)
        # the audit entry replans their reminders: they are told of what is overdue
        audit.record(
            actor=actor,
            action="assignment.decision_makers_changed",
            obj=assignment,
            before={"decision_makers": before},
            after={"decision_makers": after},
            reason=reason.strip(),
        )
        return assignment


def _stands_in_for_another(assignment: Assignment, task: Task, person) -> bool:
    """Whether the person holds, or answered, another decision-maker's approval of the
    assignment's current delivery: one stand-in for two would count one person twice."""
    others = [
        t
        for t in open_tasks(assignment)
        if t.pk != task.pk
        and t.flow_task.name == permissions.APPROVE
        and permissions.stand_in_of(t) == person.pk
    ]
    delivery = latest_delivery(assignment)
    return bool(others) or (
        delivery is not None and delivery.approvals.filter(acted_by=person).exists()
    )


def _refuse_unless_may_hand_on(task: Task, me: permissions.Standing) -> None:
    if permissions.may_hand_on(task, me):
        return
    if task.flow_task.name != permissions.APPROVE:
        raise PermissionDenied(_("Bara uppdragstagaren eller en uppdragsgivare kan delegera."))
    if me.pk == permissions.decision_maker_of(task) and me.delivers:
        raise PermissionDenied(
            _(
                "Ingen beslutar om sin egen leverans: en beslutsfattare som är uppdragstagare "
                "eller projektledare kan varken svara eller välja ställföreträdare."
            )
        )
    raise PermissionDenied(
        _("Bara beslutsfattaren själv kan välja en ställföreträdare för sitt beslut.")
    )


def task_to_hand_on(*, assignment: Assignment, actor, task_id) -> Task:
    """The open task `task_id` of the assignment, if actor may hand it on; else the refusal in
    Swedish. The pages ask it before they read the rest of the form, so only those who may hand
    a task on hear about bad input; reassign_task asks again inside its transaction."""
    me = permissions.standing(actor, assignment)
    tasks = list(open_tasks(assignment))
    task = next((t for t in tasks if str(t.pk) == str(task_id)), None)
    if task is not None:
        _refuse_unless_may_hand_on(task, me)
        return task
    if not any(permissions.may_hand_on(t, me) for t in tasks):
        raise PermissionDenied(_("Du har ingen uppgift i det här uppdraget att lämna över."))
    raise ValidationError(_("Uppgiften finns inte."))


def _refusal(task: Task, actor: permissions.Standing) -> str:
    """Why the chosen person cannot take the task, in the words of the rule."""
    name = task.flow_task.name
    if name == permissions.APPROVE:
        return _(
            "Ställföreträdaren måste vara aktiv och får varken vara en av uppdragets "
            "beslutsfattare, uppdragstagare, projektledare eller arbeta med uppdraget."
        )
    if name == permissions.ADOPT:
        return _("Bara en uppdragsgivare eller regiondirektören kan fastställa uppdraget.")
    return _("Uppgiften kan bara lämnas till någon som arbetar med uppdraget.")
