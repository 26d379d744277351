"""When someone cannot act: handing a task on (a decision-maker's own stand-in) and the
registrar's change of who decides."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow import STATUS
from viewflow.workflow.models import Task

from assignments import audit, permissions
from assignments.models import Absence, Assignment, Delivery
from assignments.selectors import absent_with_stand_ins, latest_delivery
from reminders import events
from reminders.models import Reminder

from ..models import AssignmentProcess
from ..selectors import open_tasks
from .process import _assignment_path, _decision_path, _lock, _occurrence, _plan_decision_waiting


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
    approval to another (docs/security.md).

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


# -- absence (frånvaro): a person away, and the stand-in they chose ------------------------------


def set_absence(*, person, starts, ends, stand_in=None, actor=None) -> Absence:
    """A person sets their own absence (or a registrar for them, `actor`), and if they decide,
    the stand-in who answers for them meanwhile. Approvals waiting for them now are handed on
    at once (hand_on_while_away); their deadline reminders are planned anew (the audit entry
    replans them, reminders/receivers.py) to go to the stand-in as well."""
    actor = actor or person
    check_absence(person=person, starts=starts, ends=ends, stand_in=stand_in, actor=actor)
    with transaction.atomic():
        absence = Absence.objects.create(person=person, starts=starts, ends=ends, stand_in=stand_in)
        audit.record(
            actor=actor,
            action="absence.set",
            obj=absence,
            after={
                "person": person.pk,
                "starts": starts,
                "ends": ends,
                "stand_in": getattr(stand_in, "pk", None),
            },
        )
        for task in _open_approvals_of(person):
            hand_on_while_away(task)
        return absence


def check_absence(*, person, starts, ends, stand_in, actor) -> None:
    """Whether set_absence would take this absence, else its refusal (field by field): the page
    and the admin's form ask it to show the refusal beside the field before anything is saved."""
    if not permissions.may_set_absence(actor, person):
        raise PermissionDenied(_("Du kan bara ange din egen frånvaro."))
    if starts is None or ends is None:
        raise ValidationError({"starts": _("Ange när frånvaron börjar och slutar.")})
    if ends < starts:
        raise ValidationError({"ends": _("Frånvaron kan inte sluta innan den börjar.")})
    if ends < timezone.localdate():
        raise ValidationError({"ends": _("Frånvaron har redan passerat.")})
    if stand_in is not None and not permissions.may_be_stand_in_for(person, stand_in):
        raise ValidationError({"stand_in": _("Välj en annan, aktiv person som ersättare.")})


def end_absence(*, absence: Absence, actor) -> Absence:
    """End an absence early (or call off one to come): it keeps its from–to and records when
    and by whom it ended, audited. Approvals its stand-in holds for the person go back to them."""
    with transaction.atomic():
        absence = Absence.objects.select_for_update().get(pk=absence.pk)
        if not permissions.may_set_absence(actor, absence.person):
            raise PermissionDenied(_("Du kan bara avsluta din egen frånvaro."))
        if absence.ended_at is not None:
            raise ValidationError(_("Frånvaron är redan avslutad."))
        if absence.ends < timezone.localdate():
            raise ValidationError(_("Frånvaron är redan över."))
        absence.ended_at = timezone.now()
        absence.ended_by = actor
        absence.save(update_fields=["ended_at", "ended_by"])
        audit.record(
            actor=actor,
            action="absence.ended",
            obj=absence,
            before={"ended_at": None},
            after={"person": absence.person_id, "ended_at": absence.ended_at},
        )
        if absence.stand_in_id is not None:
            for task in _approvals_held_for(absence.person, absence.stand_in):
                try:
                    with transaction.atomic():
                        reassign_task(
                            task=task,
                            actor=absence.person,
                            new_owner=absence.person,
                            reason=_("Åter från frånvaro"),
                        )
                except (PermissionDenied, ValidationError):
                    pass  # one who may not answer it now leaves it with the stand-in they chose
        return absence


def current_absences(person):
    """The person's absences in force or to come, not ended early, soonest first."""
    return list(
        Absence.objects.filter(person=person, ends__gte=timezone.localdate(), ended_at=None)
        .select_related("stand_in")
        .order_by("starts", "pk")
    )


def away_with_stand_in(person_id: int, day=None) -> Absence | None:
    """The person's absence that covers `day` (today) and names a stand-in, if any."""
    return absent_with_stand_ins([person_id], day).get(person_id)


def _approvals_held_for(person, stand_in):
    return [
        t
        for t in Task.objects.filter(owner=stand_in, status__in=(STATUS.NEW, STATUS.ASSIGNED))
        if t.flow_task.name == permissions.APPROVE and permissions.decision_maker_of(t) == person.pk
    ]


def _open_approvals_of(person):
    return [
        t
        for t in Task.objects.filter(owner=person, status__in=(STATUS.NEW, STATUS.ASSIGNED))
        if t.flow_task.name == permissions.APPROVE and permissions.decision_maker_of(t) == person.pk
    ]


def hand_on_while_away(task: Task) -> Task:
    """An approval task whose decision-maker is away: handed to the stand-in they chose, by
    them (reassign_task and its rules, so a stand-in the rules refuse for this delivery leaves
    the task with the decision-maker). Returns the task, handed on or not."""
    if task.flow_task.name != permissions.APPROVE:
        return task
    absence = away_with_stand_in(permissions.decision_maker_of(task))
    if absence is None or task.owner_id == absence.stand_in_id:
        return task
    reason = _("Frånvarande %(starts)s–%(ends)s") % {
        "starts": absence.starts.isoformat(),
        "ends": absence.ends.isoformat(),
    }
    try:
        with transaction.atomic():
            return reassign_task(
                task=task, actor=absence.person, new_owner=absence.stand_in, reason=reason
            )
    except (PermissionDenied, ValidationError):
        return task
