"""The records pages: the accessibility statement (public), and the registrar's page for the
audit trail's export and the e-arkiv packages. Thin: the reads and the packing live in
records/audit_export.py and records/archive/."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assignments import permissions
from assignments.models import Assignment

from . import accessibility, audit_export
from .archive import package, selection
from .archive.pdfa import PdfaError
from .forms import RecordsFilter

MAX_PACKAGES = 200  # per download; a whole year goes through `manage.py earkiv`


@require_GET
def accessibility_statement(request):
    """The tillgänglighetsredogörelse, for everyone, signed in or not."""
    context = {
        "page_title": _("Tillgänglighetsredogörelse"),
        **accessibility.statement_context(get_language()),
    }
    return render(request, "records/accessibility_statement.html", context)


def _registrar(request) -> None:
    if not permissions.is_registrar(request.user):
        raise PermissionDenied


def _filtered(form: RecordsFilter):
    data = form.cleaned_data
    closed = selection.closed_assignments(
        unit=data.get("unit"), start=data.get("start"), end=data.get("end")
    )
    if data.get("registration_number"):
        closed = closed.filter(pk__in=[a.pk for a in data["registration_number"]])
    return closed


def _zip(assignments, filename: str) -> HttpResponse:
    try:
        content = package.build_zip(assignments)
    except PdfaError as error:  # Ghostscript missing: say so, not a 500
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}.zip"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@transaction.non_atomic_requests  # reads, then packs without holding a transaction
@login_required
@require_http_methods(["GET", "POST"])
def records_page(request):
    """Filter closed assignments by diarienummer, unit and closing date; download their
    packages (all or those ticked) or the audit trail of the same filter."""
    _registrar(request)
    form = RecordsFilter(request.GET)
    if not form.is_valid():
        return render(
            request,
            "records/records_page.html",
            {"page_title": _("Arkiv"), "form": form, "closed": []},
            status=400,
        )
    closed = _filtered(form)
    if request.method == "POST":
        picked = [v for v in request.POST.getlist("assignment") if v.isdigit()]
        chosen = closed.filter(pk__in=picked)[:MAX_PACKAGES]
        if not chosen:
            return render(
                request,
                "records/records_page.html",
                {
                    "page_title": _("Arkiv"),
                    "form": form,
                    "closed": closed[:MAX_PACKAGES],
                    "error": _("Välj minst ett avslutat uppdrag."),
                },
                status=400,
            )
        return _zip(chosen, f"e-arkiv-{timezone.localdate():%Y%m%d}")
    params = urlencode({k: v for k, v in request.GET.items() if v})
    context = {
        "page_title": _("Arkiv"),
        "form": form,
        "closed": closed[:MAX_PACKAGES],
        "max_packages": MAX_PACKAGES,
        "query": params,
    }
    return render(request, "records/records_page.html", context)


@transaction.non_atomic_requests  # reads only
@login_required
@require_GET
def audit_trail_export(request, fmt: str):
    """Every audit entry of the filter (a diarienummer, a unit, a period) as CSV or JSON."""
    _registrar(request)
    form = RecordsFilter(request.GET)
    if fmt not in ("csv", "json") or not form.is_valid():
        return HttpResponse(
            _("Ogiltigt urval: kontrollera diarienummer och datum."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    data = form.cleaned_data
    found = audit_export.entries(
        assignments=data.get("registration_number"),
        unit=data.get("unit"),
        start=data.get("start"),
        end=data.get("end"),
    )
    return audit_export.response(found, fmt, f"granskningslogg-{timezone.localdate():%Y%m%d}")


@transaction.non_atomic_requests
@login_required
@require_GET
def assignment_package(request, pk: int):
    """One closed assignment's e-arkiv package as a zip."""
    _registrar(request)
    assignment = get_object_or_404(Assignment, pk=pk)
    if not package.is_packable(assignment):
        return HttpResponse(
            _("Bara avslutade uppdrag (beslutade, avbrutna eller ersatta) arkiveras."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    return _zip([assignment], package.package_name(assignment))
