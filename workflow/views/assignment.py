"""The assignment page and the forms on it: milestone status and due date, adopt, submit the
final delivery, cancel, hand a task on; the delivery's document.

Views parse input, call one selector or service and render. An assignment the person may not
see answers 404, an action they may not take 403; a refused form shows the page again with
Swedish errors and what was typed, nothing saved.
"""

from dataclasses import dataclass

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assignments import links, permissions, storage
from assignments.models import Assignment, Delivery, Milestone

from .. import forms, selectors, services
from .posting import keep_on_form


def visible_assignment(request, pk, *related: str) -> Assignment:
    """The assignment, if the person may read it; else 404."""
    try:
        return selectors.visible_assignment(request.user, pk, *related)
    except Assignment.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class Refused:
    """A form the page shows again, as it was sent, with its errors: which of the page's forms
    (`slot`: "delivery", "adopt", "cancel", "status-<milestone>", "due-<milestone>",
    "reassign-<task>") and the bound form."""

    slot: str
    form: django_forms.Form


def _forms_of_the_page(context: dict, refused: Refused | None) -> bool:
    """Put a form on the page for everything it offers the person (each milestone's status and
    due date, each task to hand on, the delivery, the adoption, the cancellation): the refused
    one as it was sent, the others fresh. Whether the refused one is among them."""

    def form(slot: str, make):
        return refused.form if refused and refused.slot == slot else make()

    offered = set()
    for m in context["milestones"]:
        if m.offered_statuses:
            m.status_form = form(f"status-{m.pk}", lambda m=m: forms.MilestoneStatusForm.of(m))
            offered.add(f"status-{m.pk}")
        if m.offers_due_move:
            m.due_form = form(f"due-{m.pk}", lambda m=m: forms.MilestoneDueForm.of(m))
            offered.add(f"due-{m.pk}")
    for task in context["tasks"]:
        if task.may_hand_on and task.stand_ins:
            slot = f"reassign-{task.pk}"
            task.reassign_form = form(slot, lambda task=task: forms.ReassignForm.of(task))
            # offered: the people the rule lets this person hand the task to
            task.reassign_form.fields["new_owner"].choices = [(p.pk, p) for p in task.stand_ins]
            offered.add(slot)
    # After a return (återremiss) the next version starts from the previous one's summary.
    answered = context["return_to_answer"]
    initial = {"summary": answered.delivery.summary} if answered else None
    context["delivery_form"] = form("delivery", lambda: forms.DeliveryForm(initial=initial))
    context["adopt_form"] = form("adopt", lambda: forms.OptionalReasonForm(auto_id="adopt-%s"))
    context["version_form"] = form(
        "version", lambda: forms.NewVersionForm(assignment=context["assignment"])
    )
    offered |= {
        slot
        for slot, shown in [
            ("delivery", context["may_submit"]),
            ("adopt", context["may_adopt"]),
            ("cancel", context["may_cancel"]),
            ("version", context["may_make_new_version"]),
        ]
        if shown
    }
    return refused is not None and refused.slot in offered


@transaction.non_atomic_requests  # reads only: no BEGIN and COMMIT around its queries
@login_required
def process_page(request, pk, errors=None, status=200, refused: Refused | None = None):
    """The assignment page: the whole uppdragshandling, its timeline and its process.

    A refused form comes back as it was sent, its errors beside its fields and summed up at
    the form (errors of no form shown, at the top); the page is answered at the address the
    form was posted to, names its own (canonical_path) and the form's anchor brings the
    browser back to the form."""
    assignment = visible_assignment(
        request, pk, "issuing_unit", "assignee", "project_lead", "supersedes", "decision"
    )
    context = selectors.assignment_page(request.user, assignment, timezone.localdate())
    at_its_form = _forms_of_the_page(context, refused)
    context.update(
        {
            "page_title": f"{assignment.registration_number} {assignment.title}",
            "errors": [] if at_its_form else errors or [],
            "canonical_path": reverse("workflow:assignment", args=[assignment.pk])
            if request.method == "POST"
            else None,
            "may_edit_draft": permissions.may_edit_draft(request.user, assignment),
            "messages": saved_at(request, context["milestones"]),
        }
    )
    return render(request, "workflow/process.html", context, status=status)


def act(
    request, assignment, action, page=None, *, refused: Refused | None = None, anchor: str = ""
):
    """Run a service; its Swedish errors show the page again (`page`, the assignment page
    unless given), nothing saved: 400 for bad input, 403 for an act the person may not take.
    With `refused`, the form comes back as sent, the service's errors on it.

    Done, the confirmation says what was saved (what `action` returns, else "Sparat.") and
    the page opens at `anchor` (a milestone), the confirmation there (saved_at)."""
    page = page or process_page
    try:
        said = action()
    except ValidationError as error:
        if refused is not None:
            keep_on_form(refused.form, error)
        return page(request, assignment.pk, errors=error.messages, status=400, refused=refused)
    except PermissionDenied as error:
        errors = [str(error) or _("Du får inte göra det här.")]
        return page(request, assignment.pk, errors=errors, status=403)
    messages.success(request, said or _("Sparat."), extra_tags=f"at-{anchor}" if anchor else "")
    default = links.process_url(assignment.pk, absolute=False) + (f"#{anchor}" if anchor else "")
    return HttpResponseRedirect(links.next_url(request, default))


def saved_at(request, milestones) -> list:
    """The confirmations to show: each of an action on a milestone on that milestone's card
    (`milestone.saved`), where the page opens, so that it is in view; the others returned,
    for the top of the page."""
    at: dict[str, list] = {}
    rest = []
    for message in messages.get_messages(request):
        tag = next((t for t in message.extra_tags.split() if t.startswith("at-")), "")
        (at.setdefault(tag.removeprefix("at-"), []) if tag else rest).append(message)
    for milestone in milestones:
        milestone.saved = at.pop(f"milestone-{milestone.pk}", [])
    return rest + [m for ms in at.values() for m in ms]


def cleaned(form) -> dict:
    """The form's data, or a ValidationError naming each field's error in Swedish."""
    if not form.is_valid():
        errors = [
            f"{form.fields[f].label}: {e}" if f in form.fields else e
            for f, es in form.errors.items()
            for e in es
        ]
        raise ValidationError(errors)
    return form.cleaned_data


def _milestone_to_update(request, pk, milestone_pk):
    """The assignment and its milestone, if the user may update that milestone (else 403)."""
    assignment = visible_assignment(request, pk)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, assignment=assignment)
    if not permissions.can_update_milestone(request.user, milestone):
        raise PermissionDenied
    return assignment, milestone


def confirm_cancel_page(request, pk, errors=None, status=200, refused: Refused | None = None):
    """The question before a milestone is cancelled: a page of its own, so that it is asked
    with or without scripts, the reason asked for there (and kept when the answer is
    refused)."""
    assignment = visible_assignment(request, pk)
    milestone = get_object_or_404(Milestone, pk=refused.slot.removeprefix("cancel-"))
    form = refused.form
    if errors and not form.errors:
        form.add_error(None, errors)
    context = {
        "page_title": _("Avbryta milstolpen?"),
        "assignment": assignment,
        "milestone": milestone,
        "form": form,
        "canonical_path": reverse("workflow:assignment", args=[assignment.pk]),
    }
    return render(request, "workflow/confirm_cancel.html", context, status=status)


@require_POST
@login_required
def milestone_status(request, pk, milestone_pk):
    """A milestone's new status; cancelling it asks first (confirm_cancel_page)."""
    assignment, milestone = _milestone_to_update(request, pk, milestone_pk)
    form = forms.MilestoneStatusForm.of(milestone, request.POST)
    cancelling = request.POST.get("to_status") == Milestone.Status.CANCELLED
    if cancelling:
        form = forms.MilestoneCancelForm.of(milestone, request.POST)
        if not request.POST.get("confirmed"):
            asked = Refused(f"cancel-{milestone.pk}", forms.MilestoneCancelForm.of(milestone))
            return confirm_cancel_page(request, pk, refused=asked)

    def action():
        data = cleaned(form)
        services.change_milestone_status(
            milestone=milestone,
            actor=request.user,
            to_status=data["to_status"],
            comment=data["comment"],
        )
        return _("Sparat: ”%(title)s” har nu status ”%(status)s”.") % {
            "title": milestone.title,
            "status": Milestone.Status(data["to_status"]).label,
        }

    anchor = f"milestone-{milestone.pk}"
    if cancelling:
        return act(
            request,
            assignment,
            action,
            page=confirm_cancel_page,
            refused=Refused(f"cancel-{milestone.pk}", form),
            anchor=anchor,
        )
    return act(
        request, assignment, action, refused=Refused(f"status-{milestone.pk}", form), anchor=anchor
    )


@require_POST
@login_required
def milestone_due(request, pk, milestone_pk):
    assignment, milestone = _milestone_to_update(request, pk, milestone_pk)
    form = forms.MilestoneDueForm.of(milestone, request.POST)

    def action():
        data = cleaned(form)
        services.move_milestone_due(
            milestone=milestone, actor=request.user, new_due=data["new_due"], reason=data["reason"]
        )
        return _("Sparat: ”%(title)s” ska nu vara klar senast %(date)s.") % {
            "title": milestone.title,
            "date": data["new_due"].isoformat(),
        }

    return act(
        request,
        assignment,
        action,
        refused=Refused(f"due-{milestone.pk}", form),
        anchor=f"milestone-{milestone.pk}",
    )


@require_POST
@login_required
def adopt(request, pk):
    assignment = visible_assignment(request, pk)
    form = forms.OptionalReasonForm(request.POST, auto_id="adopt-%s")

    def action():
        data = cleaned(form)
        services.adopt_assignment(assignment=assignment, actor=request.user, reason=data["reason"])
        return _("Sparat: uppdraget är fastställt.")

    return act(request, assignment, action, refused=Refused("adopt", form))


@require_POST
@login_required
def submit(request, pk):
    assignment = visible_assignment(request, pk)
    if not permissions.can_submit_delivery(request.user, assignment):
        raise PermissionDenied
    form = forms.DeliveryForm(request.POST, request.FILES)

    def action():
        data = cleaned(form)
        services.submit_delivery(
            assignment=assignment,
            actor=request.user,
            summary=data["summary"],
            document=data["document"],
        )
        return _("Sparat: slutleveransen är lämnad till beslutsfattarna.")

    return act(request, assignment, action, refused=Refused("delivery", form))


def confirm_cancel_assignment_page(
    request, pk, errors=None, status=200, refused: Refused | None = None
):
    """The question before an assignment is cancelled, which cannot be undone: a page of its
    own (with or without scripts) that says what ends with it, the reason asked for there."""
    assignment = visible_assignment(request, pk)
    form = refused.form if refused else forms.CancelAssignmentForm()
    if errors and not form.errors:
        form.add_error(None, errors)
    open_milestones = [m for m in assignment.milestones.all() if not m.is_closed]
    context = {
        "page_title": _("Avbryta uppdraget?"),
        "assignment": assignment,
        "open_milestones": open_milestones,
        "form": form,
        "canonical_path": reverse("workflow:assignment", args=[assignment.pk]),
    }
    return render(request, "workflow/confirm_cancel_assignment.html", context, status=status)


@require_POST
@login_required
def cancel(request, pk):
    """Cancel the assignment; the button on its page asks first (confirm_cancel_assignment_page)."""
    assignment = visible_assignment(request, pk)
    if not permissions.can_cancel_assignment(request.user, assignment):
        raise PermissionDenied
    if not request.POST.get("confirmed"):
        return confirm_cancel_assignment_page(request, pk)
    form = forms.CancelAssignmentForm(request.POST)

    def action():
        data = cleaned(form)
        services.cancel_assignment(assignment=assignment, actor=request.user, reason=data["reason"])
        return _("Sparat: uppdraget är avbrutet. Orsak: %(reason)s") % {"reason": data["reason"]}

    return act(
        request,
        assignment,
        action,
        page=confirm_cancel_assignment_page,
        refused=Refused("cancel", form),
    )


@require_POST
@login_required
def reassign(request, pk):
    assignment = visible_assignment(request, pk)
    task_id = request.POST.get("task")
    form = forms.ReassignForm(request.POST, auto_id=f"reassign-{task_id}-%s")

    def action():
        task = services.task_to_hand_on(assignment=assignment, actor=request.user, task_id=task_id)
        data = cleaned(form)
        services.reassign_task(
            task=task, actor=request.user, new_owner=data["new_owner"], reason=data["reason"]
        )
        return _("Sparat: uppgiften ligger nu hos %(name)s.") % {"name": data["new_owner"]}

    return act(request, assignment, action, refused=Refused(f"reassign-{task_id}", form))


@require_safe
def delivery_document(request, pk, number):
    """A delivery's document, to whoever may see the assignment page (404 for anyone else,
    anonymous included: a private document's existence is not told), always as a download."""
    assignment = visible_assignment(request, pk)
    delivery = get_object_or_404(
        Delivery.objects.exclude(document=""), assignment=assignment, number=number
    )
    try:
        return storage.download_response(delivery.document, delivery.document_name)
    except FileNotFoundError as error:
        raise Http404 from error
