"""Reading assignments: the list (the portfolio's filters, and dates) and one whole assignment.
Only what the person may read is listed; one they may not read answers 404, as its page does."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from assignments.forms import SORTS, PortfolioFilter
from assignments.models import Assignment

from .. import selectors
from ..serializers import AssignmentSerializer, AssignmentSummarySerializer
from .base import ApiView, ListView


class QueryFilters(serializers.Serializer):
    """The list's filters that the portfolio's form does not have, and `overdue` read
    strictly (true/false): the form's checkbox takes any text for "on"."""

    overdue = serializers.BooleanField(required=False, default=False)
    delivery_due_from = serializers.DateField(required=False)
    delivery_due_to = serializers.DateField(required=False)
    document_date_from = serializers.DateField(required=False)
    document_date_to = serializers.DateField(required=False)
    updated_since = serializers.DateTimeField(required=False)


SORT_KEYS = [*SORTS, *(f"-{key}" for key in SORTS)]

LIST_PARAMETERS = [
    OpenApiParameter("q", str, description=_("Diarienummer eller rubrik innehåller texten.")),
    OpenApiParameter("state", str, enum=Assignment.State.values, description=_("Status.")),
    OpenApiParameter("unit", int, description=_("Utfärdande enhet (id).")),
    OpenApiParameter(
        "commissioner", str, description=_("Uppdragsgivarens namn (varje ord ska finnas med).")
    ),
    OpenApiParameter("assignee", str, description=_("Uppdragstagarens namn.")),
    OpenApiParameter("overdue", bool, description=_("Bara försenade uppdrag.")),
    OpenApiParameter(
        "sort",
        str,
        enum=SORT_KEYS,
        description=_("Sorteringsordning; ”-” först för fallande. Standard: due."),
    ),
    OpenApiParameter("delivery_due_from", OpenApiTypes.DATE, description=_("Slutleverans från.")),
    OpenApiParameter("delivery_due_to", OpenApiTypes.DATE, description=_("Slutleverans till.")),
    OpenApiParameter("document_date_from", OpenApiTypes.DATE, description=_("Daterat från.")),
    OpenApiParameter("document_date_to", OpenApiTypes.DATE, description=_("Daterat till.")),
    OpenApiParameter(
        "updated_since", OpenApiTypes.DATETIME, description=_("Ändrat sedan (ISO 8601).")
    ),
]


@extend_schema(
    summary=_("Uppdragen"),
    description=_(
        "Uppdragen du får läsa, med portföljens filter; 50 per sida (page, page_size upp till 200)."
    ),
    parameters=LIST_PARAMETERS,
    tags=["assignments"],
)
class AssignmentList(ListView):
    serializer_class = AssignmentSummarySerializer

    def get_queryset(self):
        params = self.request.query_params
        form = PortfolioFilter({k: v for k, v in params.items() if k != "overdue"})
        more = QueryFilters(data=params.dict())  # not a form: an empty value is no value
        errors = {}
        if not form.is_valid():
            errors.update({name: list(messages) for name, messages in form.errors.items()})
        if not more.is_valid():
            errors.update(more.errors)
        for name in ("state", "unit", "sort"):  # the form reads an empty one as "all"
            if name in params and not params[name].strip():
                errors[name] = [gettext("Ange ett värde, eller utelämna parametern.")]
        if errors:
            raise ValidationError(errors)
        self.today = timezone.localdate()
        dates = dict(more.validated_data)
        filters = {**form.cleaned_data, "overdue": dates.pop("overdue")}
        return selectors.assignments(
            self.request.user,
            filters=filters,
            dates=dates,
            order=form.order(),
            today=self.today,
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return Assignment.mark_overdue(page, self.today)


@extend_schema(
    summary=_("Ett uppdrag"),
    description=_(
        "Hela uppdragshandlingen: personer, sändlistor, milstolpar med sin logg, leveranser med "
        "beslutsfattarnas svar, och beslutet."
    ),
    responses=AssignmentSerializer,
    tags=["assignments"],
)
class AssignmentDetail(ApiView):
    def get(self, request, pk):
        try:
            assignment = selectors.assignment_record(request.user, pk)
        except Assignment.DoesNotExist:
            raise Http404 from None
        Assignment.mark_overdue([assignment], timezone.localdate())
        return Response(AssignmentSerializer(assignment, context={"request": request}).data)
