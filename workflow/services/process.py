"""The plumbing every service shares: the row lock, the process and its open tasks, who a
delivery waits for, and starting an assignment's process."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from viewflow.workflow import STATUS
from viewflow.workflow.models import Task

from assignments import audit, links, permissions
from assignments.contacts import is_contact
from assignments.models import (
    Assignment,
    AuditEntry,
    Delivery,
    User,
)
from reminders import events
from reminders.decisions import plan_decision_waiting
from reminders.models import Reminder

from ..models import AssignmentProcess
from ..selectors import open_tasks


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
    plan_decision_waiting(delivery, waiting_for=waiting_for(delivery))


def _execute(task: Task, actor) -> None:
    """Run a human task to completion on behalf of actor, moving the flow on."""
    activation = task.flow_task.activation_class(task)
    if task.status == STATUS.NEW:
        activation.assign(actor)
    if task.status == STATUS.ASSIGNED:
        activation.start(None)
    activation.execute()


def start_process(*, assignment: Assignment, actor=None) -> AssignmentProcess:
    """Start the process of a registered assignment: its adoption waits in the queue of every
    commissioner, who are each told."""
    with audit.one_write():
        assignment = _lock(assignment)
        if current_process(assignment) is not None:
            raise ValidationError(_("Uppdraget har redan en process."))
        if not assignment.commissioners.exists():
            raise ValidationError(_("Uppdraget saknar uppdragsgivare."))
        flow = apps.get_app_config("workflow").flow
        process = flow.register.run(assignment=assignment, actor=actor)
        entry = audit.record(actor=actor, action="process.started", obj=assignment)
        if assignment.state == Assignment.State.DRAFT:
            _tell_who_adopts(
                assignment, list(assignment.commissioners.all()), _occurrence(entry), actor
            )
        return process


def commissioners_changed(*, assignment: Assignment, before: set[int], actor=None) -> None:
    """After a draft's commissioners changed (its process started already): the new ones are
    told that its adoption waits for them, as the first ones were; if none of them can adopt,
    the registrars are warned. The edit's audit entry names the occurrence."""
    if assignment.state != Assignment.State.DRAFT or current_process(assignment) is None:
        return
    now = list(assignment.commissioners.all())
    if {c.pk for c in now} == before:
        return
    entry = AuditEntry.objects.filter(assignment=assignment).latest("pk")
    added = [c for c in now if c.pk not in before]
    _tell_who_adopts(assignment, added, _occurrence(entry), actor, everyone=now)


def _tell_who_adopts(assignment, people, occurrence: str, actor, everyone=None) -> None:
    """The adoption waits: tell `people`; when nobody of `everyone` (the commissioners) can
    take it (each a contact without a login, or an account no longer active), warn the
    registrars, so that it does not wait for nobody."""
    everyone = people if everyone is None else everyone
    path = _assignment_path(assignment)
    events.notify_event(
        Reminder.Kind.ADOPTION_WAITING,
        assignment=assignment,
        recipients=people,
        occurrence=occurrence,
        path=path,
        actor=actor,
        replaces=_replaced_in_force(assignment),
    )
    if not any(person.is_active and not is_contact(person) for person in everyone):
        events.notify_event(
            Reminder.Kind.ADOPTION_WAITING,
            assignment=assignment,
            recipients=permissions.registrars(),
            occurrence=f"{occurrence}:nobody",
            path=path,
            actor=None,
            nobody=", ".join(str(person) for person in everyone),
        )


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
