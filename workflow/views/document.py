"""The uppdragshandling regenerated from live data, as PDF or Word: to whoever may read the
assignment page (404 for anyone else), always as a download."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.views.decorators.http import require_safe

from assignments import storage
from documents import export_document, export_docx, export_pdf

from .assignment import visible_assignment

WRITERS = {
    "pdf": (export_pdf.render, export_pdf.CONTENT_TYPE),
    "docx": (export_docx.render, export_docx.CONTENT_TYPE),
}


def _download(request, pk, extension: str):
    assignment = visible_assignment(request, pk)
    document = export_document.build(assignment)
    render, content_type = WRITERS[extension]
    return storage.generated_download(
        render(document), f"{document.filename_stem}.{extension}", content_type
    )


@require_safe
@transaction.non_atomic_requests  # reads only
@login_required
def document_pdf(request, pk):
    return _download(request, pk, "pdf")


@require_safe
@transaction.non_atomic_requests
@login_required
def document_docx(request, pk):
    return _download(request, pk, "docx")
