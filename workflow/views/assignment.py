"""The assignment page and the forms on it: milestone status and due date, adopt, submit the
final delivery, cancel, hand a task on; the delivery's document.

Views parse input, call one selector or service and render. An assignment the person may not
see answers 404, an action they may not take 403; a refused form shows the page again with
Swedish errors and what was typed, nothing saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assignments import documents, links, permissions
from assignments.models import Assignment, Delivery, Milestone

from .. import forms, selectors, services


def visible_assignment(request, pk, *related: str) -> Assignment:
    """The assignment, if the person may read it; else 404."""
    try:
        return selectors.visible_assignment(request.user, pk, *related)
    except Assignment.DoesNotExist:
        raise Http404 from None


@transaction.non_atomic_requests  # reads only: no BEGIN and COMMIT around its queries
@login_required
def process_page(request, pk, errors=None, status=200, delivery_form=None, version_form=None):
    """The assignment page: the whole uppdragshandling, its timeline and its process.
    After a refused delivery (or new version) it shows that form again, bound, so nothing
    typed is lost."""
    assignment = visible_assignment(
        request, pk, "issuing_unit", "assignee", "project_lead", "supersedes", "decision"
    )
    context = selectors.assignment_page(request.user, assignment, timezone.localdate())
    context.update(
        {
            "page_title": f"{assignment.registration_number} {assignment.title}",
            "errors": errors or [],
            "due_form": forms.MilestoneDueForm(),
            "delivery_form": delivery_form or forms.DeliveryForm(),
            "reason_form": forms.ReasonForm(),
            "may_edit_draft": permissions.may_edit_draft(request.user, assignment),
            "version_form": version_form or forms.NewVersionForm(assignment=assignment),
        }
    )
    return render(request, "workflow/process.html", context, status=status)


def act(request, assignment, action, page=None, **page_context):
    """Run a service; its Swedish errors show the page again (`page`, the assignment page
    unless given), nothing saved: 400 for bad input, 403 for an act the person may not take."""
    page = page or process_page
    try:
        action()
    except ValidationError as error:
        return page(request, assignment.pk, errors=error.messages, status=400, **page_context)
    except PermissionDenied as error:
        errors = [str(error) or _("Du får inte göra det här.")]
        return page(request, assignment.pk, errors=errors, status=403, **page_context)
    messages.success(request, _("Sparat."))
    default = links.process_url(assignment.pk, absolute=False)
    return HttpResponseRedirect(links.next_url(request, default))


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


@require_POST
@login_required
def milestone_status(request, pk, milestone_pk):
    assignment, milestone = _milestone_to_update(request, pk, milestone_pk)

    def action():
        data = cleaned(forms.MilestoneStatusForm(request.POST))
        services.change_milestone_status(
            milestone=milestone,
            actor=request.user,
            to_status=data["to_status"],
            comment=data["comment"],
        )

    return act(request, assignment, action)


@require_POST
@login_required
def milestone_due(request, pk, milestone_pk):
    assignment, milestone = _milestone_to_update(request, pk, milestone_pk)

    def action():
        data = cleaned(forms.MilestoneDueForm(request.POST))
        services.move_milestone_due(
            milestone=milestone, actor=request.user, new_due=data["new_due"], reason=data["reason"]
        )

    return act(request, assignment, action)


@require_POST
@login_required
def adopt(request, pk):
    assignment = visible_assignment(request, pk)

    def action():
        data = cleaned(forms.OptionalReasonForm(request.POST))
        services.adopt_assignment(assignment=assignment, actor=request.user, reason=data["reason"])

    return act(request, assignment, action)


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

    return act(request, assignment, action, delivery_form=form)


@require_POST
@login_required
def cancel(request, pk):
    assignment = visible_assignment(request, pk)
    if not permissions.can_cancel_assignment(request.user, assignment):
        raise PermissionDenied

    def action():
        data = cleaned(forms.ReasonForm(request.POST))
        services.cancel_assignment(assignment=assignment, actor=request.user, reason=data["reason"])

    return act(request, assignment, action)


@require_POST
@login_required
def reassign(request, pk):
    assignment = visible_assignment(request, pk)

    def action():
        task = services.task_to_hand_on(
            assignment=assignment, actor=request.user, task_id=request.POST.get("task")
        )
        data = cleaned(forms.ReassignForm(request.POST))
        services.reassign_task(
            task=task, actor=request.user, new_owner=data["new_owner"], reason=data["reason"]
        )

    return act(request, assignment, action)


@require_safe
def delivery_document(request, pk, number):
    """A delivery's document, to whoever may see the assignment page (404 for anyone else,
    anonymous included: a private document's existence is not told), always as a download."""
    assignment = visible_assignment(request, pk)
    delivery = get_object_or_404(
        Delivery.objects.exclude(document=""), assignment=assignment, number=number
    )
    try:
        return documents.download_response(delivery.document, delivery.document_name)
    except FileNotFoundError as error:
        raise Http404 from error
