"""The lifecycle of an uppdragshandling, as viewflow reads it: top to bottom, like its tidplan."""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from assignments import permissions
from assignments.models import Approval, Delivery
from assignments.selectors import latest_delivery

from .models import AssignmentProcess
from .nodes import SplitPerItem
from .views import tasks


def assignment_of(process):
    """The object a queued task's permission is asked about: the process's assignment."""
    return process.artifact


class TaskView(flow.View):
    """A human task run only by an owner who may hold it (assignments.permissions), asked again
    on every request; handing it on goes through services.reassign_task."""

    def can_execute(self, user, task):
        if not super().can_execute(user, task):
            return False
        return permissions.may_run(task, permissions.standing(user, task.process.artifact))

    def can_assign(self, user, task):
        # Taking a task from the queue (the adoption, open to every commissioner) is for whoever
        # may hold it; a task someone holds is handed on only through services.reassign_task.
        return permissions.may_take(task, permissions.standing(user, task.process.artifact))

    def can_unassign(self, user, task):
        return False


class AssignmentFlow(flow.Flow):
    process_class = AssignmentProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("Uppdragshandling")
    process_description = _("Från registrering via fastställelse och arbete till beslut.")
    # What viewflow's lists and process pages show as a process's summary: its assignment.
    process_summary_template = (
        "{{ process.artifact.registration_number }} {{ process.artifact.title }}"
    )

    register = flow.StartHandle(this.start_for).Annotation(title=_("Registrering")).Next(this.adopt)

    adopt = (
        TaskView(tasks.AdoptTaskView.as_view())
        .Annotation(title=_("Fastställ uppdraget"))
        # In the queue of every commissioner (and the regional director), not one's inbox:
        # whoever may adopt takes it, or adopts on the assignment page.
        .Permission(permissions.ADOPT_PERMISSION, obj=assignment_of)
        .Next(this.work)
    )

    work = (
        TaskView(tasks.SubmitDeliveryTaskView.as_view())
        .Annotation(title=_("Genomför uppdraget och lämna slutleverans"))
        .Assign(this.assignee_of)
        .Next(this.decide)
    )

    decide = (
        SplitPerItem()
        .Annotation(title=_("Till beslutsfattarna"))
        .Next(this.approve, data_source=this.one_per_decision_maker)
    )

    approve = (
        TaskView(tasks.DecideTaskView.as_view())
        .Annotation(title=_("Beslut om slutleverans"))
        .Assign(this.decision_maker_of)
        .Next(this.collect)
    )

    # Every decision-maker must approve; one return cancels the others' open tasks.
    collect = (
        flow.Join(continue_on_condition=this.is_returned)
        .Annotation(title=_("Beslutsfattarnas svar"))
        .Next(this.check)
    )

    check = (
        flow.If(this.is_approved_by_all)
        .Annotation(title=_("Godkänd av alla?"))
        # approved by all: approve_delivery recorded the decision with the last approval
        .Then(this.end)
        .Else(this.work)
    )

    end = flow.End().Annotation(title=_("Processen avslutad"))

    # -- who sees what: the assignment's own permissions, object by object ---------------------

    def has_view_permission(self, user, obj=None):
        if obj is None:
            return user.is_authenticated
        process = getattr(obj, "process", obj)
        return permissions.can_view_assignment(user, process.artifact)

    def has_manage_permission(self, user, obj=None):
        # Nobody steers the process by hand: viewflow's cancel, undo and revive of a task or a
        # process would change the record without the services' checks and audit (a registrar
        # could cancel a decision-maker's approval). Cancelling goes through
        # services.cancel_assignment; handing a task on through services.reassign_task.
        return False

    # -- what the nodes ask ------------------------------------------------------------------

    def start_for(self, activation, assignment, actor=None):
        activation.process.artifact = assignment
        activation.process.data = {"registration_number": assignment.registration_number}
        return activation.process

    def assignee_of(self, activation):
        return activation.process.artifact.assignee

    def one_per_decision_maker(self, activation):
        assignment = activation.process.artifact
        return [
            {"decision_maker": pk} for pk in assignment.decision_makers.values_list("pk", flat=True)
        ]

    def decision_maker_of(self, activation):
        from assignments.models import User

        return User.objects.get(pk=activation.task.data["decision_maker"])

    def is_returned(self, activation, active_tasks) -> bool:
        delivery = latest_delivery(activation.process.artifact)
        return (
            bool(delivery) and delivery.approvals.filter(verdict=Approval.Verdict.RETURNED).exists()
        )

    def is_approved_by_all(self, activation) -> bool:
        delivery = latest_delivery(activation.process.artifact)
        return bool(delivery) and delivery.status == Delivery.Status.APPROVED
