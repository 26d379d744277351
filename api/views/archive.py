"""An assignment's e-arkiv package (records/archive/), for a registrar's archive system: the
same zip as the registrar's page gives, for one closed assignment."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from assignments import permissions
from records.archive import package
from records.archive.pdfa import PdfaError

from .actions import visible_assignment
from .base import ApiView


class ArchivePackage(ApiView):
    @extend_schema(
        summary="E-arkivpaket för ett avslutat uppdrag",
        description=(
            "E-ARK SIP (FGS Paketstruktur) med ärendet enligt E-ARK CITS ERMS, som zip. "
            "Bara för registratorer; bara beslutade, avbrutna eller ersatta uppdrag."
        ),
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY),
            403: OpenApiResponse(description="Bara registratorer."),
            404: OpenApiResponse(description="Uppdraget finns inte eller syns inte."),
            409: OpenApiResponse(description="Uppdraget är inte avslutat."),
            503: OpenApiResponse(description="Ghostscript saknas på servern (PDF/A)."),
        },
    )
    def get(self, request, pk):
        assignment = visible_assignment(request, pk)
        if not permissions.is_registrar(request.user):
            raise PermissionDenied(gettext("Bara registratorer hämtar e-arkivpaket."))
        if not package.is_packable(assignment):
            return Response(
                {"detail": gettext("Bara avslutade uppdrag arkiveras.")},
                status=status.HTTP_409_CONFLICT,
            )
        try:
            content = package.build_zip([assignment])
        except PdfaError as error:  # Ghostscript missing: say so, not a 500
            return Response({"detail": str(error)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        response = HttpResponse(content, content_type="application/zip")
        name = package.package_name(assignment)
        response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
        return response
