"""The decision page of a decision-maker (or the stand-in they chose), and its two answers:
approve and return for revision."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import forms, selectors, services
from .assignment import Refused, act, cleaned, visible_assignment


@transaction.non_atomic_requests  # reads only
@login_required
def decision_page(request, pk, errors=None, status=200, refused: Refused | None = None):
    """One page for a decision-maker: the delivery, the others' answers so far, and the choice.
    After a refused answer it shows that form again, as sent, its errors beside its fields."""
    assignment = visible_assignment(request, pk, "assignee", "decision")
    context = selectors.decision_page(request.user, assignment)

    def form(slot, make):
        return refused.form if refused and refused.slot == slot else make()

    context.update(
        {
            "page_title": _("Beslut: %(title)s") % {"title": assignment.title},
            "errors": errors or [],
            "approve_form": form("approve", forms.ApproveForm),
            "return_form": form("return", forms.ReturnForm),
            "canonical_path": reverse("workflow:decision", args=[assignment.pk])
            if request.method == "POST"
            else None,
        }
    )
    return render(request, "workflow/decision.html", context, status=status)


@require_POST
@login_required
def approve(request, pk):
    assignment = visible_assignment(request, pk)
    form = forms.ApproveForm(request.POST)

    def action():
        # who may answer is asked before the form is read: only they hear about bad input
        services.answerable_task(assignment=assignment, actor=request.user)
        data = cleaned(form)
        services.approve_delivery(
            delivery=services.delivery_awaiting_decision(assignment),
            decided_by=request.user,
            decided_on=data["decided_on"],
            paragraph_reference=data["paragraph_reference"],
        )

    return act(request, assignment, action, page=decision_page, refused=Refused("approve", form))


@require_POST
@login_required
def return_for_revision(request, pk):
    assignment = visible_assignment(request, pk)
    form = forms.ReturnForm(request.POST)

    def action():
        services.answerable_task(assignment=assignment, actor=request.user)
        data = cleaned(form)
        services.return_delivery(
            delivery=services.delivery_awaiting_decision(assignment),
            decided_by=request.user,
            comment=data["comment"],
        )

    return act(request, assignment, action, page=decision_page, refused=Refused("return", form))
