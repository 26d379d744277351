"""Acting on an assignment through the API: a milestone's status and due date, the final
delivery, a decision-maker's answer. The same gates, in the same order, as the pages
(workflow/views/): an assignment the person may not read is a 404; an act they may not take a
403, before their input is read; bad input a 400 in Swedish; then the same service, which asks
the rules again inside its transaction and writes the audit entry.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import parsers, status
from rest_framework.response import Response

from assignments import permissions
from assignments.models import Assignment, Milestone
from workflow import selectors as process
from workflow import services

from .. import selectors
from ..inputs import (
    ApproveSerializer,
    DeliveryInputSerializer,
    MilestoneDueSerializer,
    MilestoneStatusSerializer,
    ReturnSerializer,
)
from ..serializers import ApprovalSerializer, DeliverySerializer, MilestoneSerializer
from .base import ApiView

MILESTONE = OpenApiParameter("milestone_pk", int, OpenApiParameter.PATH)


def visible_assignment(request, pk) -> Assignment:
    """The assignment, if the person may read it; else 404."""
    try:
        return process.visible_assignment(request.user, pk)
    except Assignment.DoesNotExist:
        raise Http404 from None


def valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def milestone_to_update(request, pk, milestone_pk) -> Milestone:
    """The assignment's milestone, if the person may update it (else 404 or 403)."""
    assignment = visible_assignment(request, pk)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, assignment=assignment)
    if not permissions.can_update_milestone(request.user, milestone):
        raise PermissionDenied(gettext("Du får inte uppdatera den här milstolpen."))
    return milestone


def _milestone(request, milestone) -> Response:
    milestone = selectors.milestone_record(request.user, milestone)
    return Response(MilestoneSerializer(milestone, context={"request": request}).data)


@extend_schema(
    summary=_("Ändra en milstolpes status"),
    description=_(
        "Uppdragstagaren, eller den i arbetsgruppen som är ansvarig för milstolpen. Loggas med "
        "kommentaren."
    ),
    parameters=[MILESTONE],
    request=MilestoneStatusSerializer,
    responses=MilestoneSerializer,
    tags=["milestones"],
)
class MilestoneStatus(ApiView):
    def post(self, request, pk, milestone_pk):
        milestone = milestone_to_update(request, pk, milestone_pk)
        data = valid(MilestoneStatusSerializer, request)
        services.change_milestone_status(
            milestone=milestone,
            actor=request.user,
            to_status=data["to_status"],
            comment=data["comment"],
        )
        return _milestone(request, milestone)


@extend_schema(
    summary=_("Flytta en milstolpes slutdatum"),
    description=_("Samma personer som får ändra status; en motivering krävs."),
    parameters=[MILESTONE],
    request=MilestoneDueSerializer,
    responses=MilestoneSerializer,
    tags=["milestones"],
)
class MilestoneDue(ApiView):
    def post(self, request, pk, milestone_pk):
        milestone = milestone_to_update(request, pk, milestone_pk)
        data = valid(MilestoneDueSerializer, request)
        services.move_milestone_due(
            milestone=milestone, actor=request.user, new_due=data["new_due"], reason=data["reason"]
        )
        return _milestone(request, milestone)


@extend_schema(
    summary=_("Lämna slutleveransen"),
    description=_(
        "Uppdragstagaren, medan uppdraget pågår; varje beslutsfattare får en uppgift att svara "
        "på. Dokumentet skickas som multipart/form-data."
    ),
    request={"multipart/form-data": DeliveryInputSerializer},
    responses={status.HTTP_201_CREATED: DeliverySerializer},
    tags=["decisions"],
)
class SubmitDelivery(ApiView):
    parser_classes = [parsers.MultiPartParser]

    def post(self, request, pk):
        assignment = visible_assignment(request, pk)
        if not permissions.can_submit_delivery(request.user, assignment):
            raise PermissionDenied(gettext("Bara uppdragstagaren kan lämna slutleveransen."))
        data = valid(DeliveryInputSerializer, request)
        delivery = services.submit_delivery(
            assignment=assignment,
            actor=request.user,
            summary=data["summary"],
            document=data.get("document"),
        )
        delivery = selectors.delivery_record(delivery)
        return Response(
            DeliverySerializer(delivery, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


def _answer(request, approval) -> Response:
    return Response(
        ApprovalSerializer(selectors.approval_record(approval)).data,
        status=status.HTTP_201_CREATED,
    )


@extend_schema(
    summary=_("Godkänn slutleveransen"),
    description=_(
        "En beslutsfattare (eller den ställföreträdare hen valt) godkänner; när alla har "
        "godkänt registreras beslutet. Ingen beslutar om sin egen leverans."
    ),
    request=ApproveSerializer,
    responses={status.HTTP_201_CREATED: ApprovalSerializer},
    tags=["decisions"],
)
class Approve(ApiView):
    def post(self, request, pk):
        assignment = visible_assignment(request, pk)
        # who may answer is asked before the input is read: only they hear about bad input
        services.answerable_task(assignment=assignment, actor=request.user)
        data = valid(ApproveSerializer, request)
        approval = services.approve_delivery(
            delivery=services.delivery_awaiting_decision(assignment),
            decided_by=request.user,
            decided_on=data.get("decided_on"),
            paragraph_reference=data["paragraph_reference"],
        )
        return _answer(request, approval)


@extend_schema(
    summary=_("Återremittera slutleveransen"),
    description=_(
        "En beslutsfattare skickar tillbaka leveransen med en kommentar; de andras uppgifter "
        "avbryts och uppdraget pågår igen."
    ),
    request=ReturnSerializer,
    responses={status.HTTP_201_CREATED: ApprovalSerializer},
    tags=["decisions"],
)
class Return(ApiView):
    def post(self, request, pk):
        assignment = visible_assignment(request, pk)
        services.answerable_task(assignment=assignment, actor=request.user)
        data = valid(ReturnSerializer, request)
        approval = services.return_delivery(
            delivery=services.delivery_awaiting_decision(assignment),
            decided_by=request.user,
            comment=data["comment"],
        )
        return _answer(request, approval)
