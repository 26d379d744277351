"""The återrapportering page and its Excel and PDF downloads."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments import exports, permissions, storage
from documents import export_pdf

from . import export_report
from . import report as reports
from .forms import ReportForm


def _today():
    return timezone.localdate()


@transaction.non_atomic_requests  # reads only
@login_required
def report(request):
    """The återrapportering of a commissioner, a unit or a group over a period, as a page, an
    Excel workbook or a PDF (?format=xlsx|pdf): only assignments the person may read."""
    if not permissions.may_see_portfolio(request.user):
        raise PermissionDenied
    today = _today()
    form = ReportForm(request.GET or None, user=request.user, today=today)
    if not request.GET and form.default_data():
        form = ReportForm(form.default_data(), user=request.user, today=today)
    built, status = None, 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            built = reports.build(request.user, data["scope"], data["start"], data["end"], today)
            fmt = request.GET.get("format")
            if fmt == "xlsx":
                return storage.generated_download(
                    export_report.xlsx(built), f"{built.filename}.xlsx", exports.XLSX_CONTENT_TYPE
                )
            if fmt == "pdf":
                return storage.generated_download(
                    export_report.pdf(built),
                    f"{built.filename}.pdf",
                    export_pdf.CONTENT_TYPE,
                )
        else:
            status = 400
    params = {k: v for k, v in form.data.items() if k != "format" and v} if form.is_bound else {}
    context = {
        "page_title": _("Återrapportering"),
        "form": form,
        "report": built,
        "query": urlencode(params),
    }
    return render(request, "reports/report.html", context, status=status)
