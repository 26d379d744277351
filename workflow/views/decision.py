"""The decision page of a decision-maker (or the stand-in they chose), and its two answers:
approve and return for revision."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import forms, selectors, services
from .assignment import act, cleaned, visible_assignment


@transaction.non_atomic_requests  # reads only
@login_required
def decision_page(request, pk, errors=None, status=200):
    """One page for a decision-maker: the delivery, the others' answers so far, and the choice.
    After a refused answer it shows that form again, bound."""
    assignment = visible_assignment(request, pk, "assignee", "decision")
    context = selectors.decision_page(request.user, assignment)
    context.update(
        {
            "page_title": _("Beslut: %(title)s") % {"title": assignment.title},
            "errors": errors or [],
            "approve_form": forms.ApproveForm(request.POST if errors else None)
            if "decided_on" in request.POST
            else forms.ApproveForm(),
            "return_form": forms.ReturnForm(request.POST if errors else None)
            if "comment" in request.POST
            else forms.ReturnForm(),
        }
    )
    return render(request, "workflow/decision.html", context, status=status)


@require_POST
@login_required
def approve(request, pk):
    assignment = visible_assignment(request, pk)

    def action():
        # who may answer is asked before the form is read: only they hear about bad input
        services.answerable_task(assignment=assignment, actor=request.user)
        data = cleaned(forms.ApproveForm(request.POST))
        services.approve_delivery(
            delivery=services.delivery_awaiting_decision(assignment),
            decided_by=request.user,
            decided_on=data["decided_on"],
            paragraph_reference=data["paragraph_reference"],
        )

    return act(request, assignment, action, page=decision_page)


@require_POST
@login_required
def return_for_revision(request, pk):
    assignment = visible_assignment(request, pk)

    def action():
        services.answerable_task(assignment=assignment, actor=request.user)
        data = cleaned(forms.ReturnForm(request.POST))
        services.return_delivery(
            delivery=services.delivery_awaiting_decision(assignment),
            decided_by=request.user,
            comment=data["comment"],
        )

    return act(request, assignment, action, page=decision_page)
