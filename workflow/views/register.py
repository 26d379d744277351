""" "Nytt uppdrag": register an assignment on one page in the document's order, edit a draft on
the same page, or upload an uppdragshandling, review what was read and confirm it.

Nothing is saved before the registrar confirms. An upload is read by a Celery worker, never
in the request (documents/import_jobs.py): the upload stores the file and its job and answers
at once with the progress page, which refreshes itself until the worker has read the file (or
stopped at a limit); the review page shows the stored reading and never reads the file again.
A browser cannot post a file input again, so the file waits server-side in the private
storage until the draft is saved; uploads nobody confirmed are swept after
IMPORT_PENDING_HOURS. Only registrars import (permissions.may_import_documents).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assignments import permissions, storage
from assignments import selectors as registry
from assignments.periods import parse_period
from assignments.registration_forms import (
    FORMSETS,
    RegistrationForms,
    add_row,
    fill_periods,
    mark_past_done,
)
from documents import import_jobs
from documents.importer.drafts import match_people
from documents.importer.review import review_checks, review_values
from documents.importer.scans import page_image
from documents.models import ImportJob

from .. import forms as workflow_forms
from .. import imports, services
from .assignment import visible_assignment


def _may_register(request) -> None:
    if not permissions.may_register_assignments(request.user):
        raise PermissionDenied


def _may_import(request) -> None:
    if not permissions.may_import_documents(request.user):
        raise PermissionDenied


def _bound(request, instance=None) -> tuple[RegistrationForms, str | None]:
    """The page's forms bound to what was posted, periods read into dates; and the formset
    that asked for one more row, if that is what the button did."""
    data = request.POST.copy()
    fill_periods(data)
    more = data.get("add_row")
    if more:
        add_row(data, more)
    if data.get("past_done"):  # the review's one action: every past milestone "Klar"
        mark_past_done(data, today=timezone.localdate())
        more = "past_done"
    return RegistrationForms(data, instance=instance), more


def _save(request, page_forms, *, assignment=None, imported=None):
    """Save the draft, or put the refusal on the fields (nothing saved): the assignment or
    None. `imported` is the reviewed upload: its parsed document, bytes and file name."""
    if not page_forms.is_valid():
        return None
    try:
        if imported is not None:
            document, data, filename = imported
            return imports.register_imported_draft(
                document=document,
                data=data,
                filename=filename,
                actor=request.user,
                reviewed=page_forms.cleaned(),
            )
        return imports.register_draft(
            data=page_forms.cleaned(), actor=request.user, assignment=assignment
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                target = field if field in page_forms.main.fields else None
                if field in FORMSETS:
                    page_forms.formsets[field].non_form_errors().extend(
                        e.message % (e.params or {}) for e in errors
                    )
                    continue
                page_forms.main.add_error(target, errors)
        else:
            page_forms.main.add_error(None, error)
        return None


def _render(request, page_forms, *, status=200, show_errors=True, **context):
    context.update(
        {
            "page_title": context.get("page_title") or _("Nytt uppdrag"),
            "forms": page_forms,
            "sections": sections(page_forms, context.get("marks") or {}, show_errors),
            "people": registry.people_for_lists(),
            "units": registry.unit_names(),
            "show_errors": show_errors,
            "upload_form": context.get("upload_form") or workflow_forms.ImportUploadForm(),
            "may_import": permissions.may_import_documents(request.user),
        }
    )
    return render(request, "workflow/register.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def new_assignment(request):
    """The empty page; on POST, a new draft (its process started) or the page again with
    Swedish errors on the fields and everything typed kept."""
    _may_register(request)
    if request.method == "GET":
        return _render(request, RegistrationForms())
    page_forms, more = _bound(request)
    if more:
        return _render(request, page_forms, show_errors=False)
    assignment = _save(request, page_forms)
    if assignment is None:
        return _render(request, page_forms, status=400)
    messages.success(request, _("Utkastet är sparat och skickat för fastställelse."))
    return HttpResponseRedirect(assignment.get_absolute_url())


@require_http_methods(["GET", "POST"])
@login_required
def edit_assignment(request, pk):
    """A draft on the same page (404 for those who may not see it, 403 for the rest)."""
    assignment = visible_assignment(request, pk)
    if not permissions.may_edit_draft(request.user, assignment):
        raise PermissionDenied
    title = _("Ändra utkast %(number)s") % {"number": assignment.registration_number}
    if request.method == "GET":
        initial, rows = registry.registration_values(assignment)
        page_forms = RegistrationForms(initial=initial, rows=rows, instance=assignment)
        return _render(request, page_forms, assignment=assignment, page_title=title)
    page_forms, more = _bound(request, instance=assignment)
    if more:
        return _render(
            request, page_forms, assignment=assignment, page_title=title, show_errors=False
        )
    in_process = services.current_process(assignment) is not None
    saved = _save(request, page_forms, assignment=assignment)
    if saved is None:
        return _render(request, page_forms, assignment=assignment, page_title=title, status=400)
    if in_process:
        messages.success(request, _("Utkastet är sparat."))
    else:  # a new version's copy, saved for the first time
        messages.success(request, _("Utkastet är sparat och skickat för fastställelse."))
    return HttpResponseRedirect(saved.get_absolute_url())


@require_POST
@login_required
def import_upload(request):
    """Take an uploaded uppdragshandling and hand it to a worker to read; answer at once with
    the progress page. A file of the wrong kind or size is refused here (400)."""
    _may_import(request)
    form = workflow_forms.ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, RegistrationForms(), upload_form=form, status=400)
    upload = form.cleaned_data["document"]
    job = import_jobs.start(
        user=request.user, data=upload.read(), filename=upload.name, language=get_language()
    )
    return HttpResponseRedirect(reverse("workflow:import_progress", args=[job.token]))


def _job(request, token) -> ImportJob:
    _may_import(request)
    job = import_jobs.job_of(request.user, token)
    if job is None:
        raise Http404
    return job


@require_safe
@login_required
def import_progress(request, token):
    """While a worker reads the file: a page that says so in a status region and asks again
    by itself (its script; without script, its link); then the review page, or "Nytt uppdrag"
    with why the file was stopped (400: nothing was saved)."""
    job = _job(request, token)
    if request.headers.get("Accept") == "application/json":  # the page's script asking
        return JsonResponse({"status": job.status})
    if job.status == ImportJob.Status.DONE:
        return HttpResponseRedirect(reverse("workflow:import_review", args=[token]))
    if job.status == ImportJob.Status.FAILED:
        return _render(
            request, RegistrationForms(), import_error=import_jobs.message(job), status=400
        )
    return render(
        request,
        "workflow/import_progress.html",
        {
            "job": job,
            "page_title": _("Läser in %(name)s") % {"name": job.filename},
            "refresh_seconds": 2,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def import_review(request, token):
    """The worker's reading in the "Nytt uppdrag" form beside the source text, uncertain fields
    marked; on POST the corrected draft is saved with the file as its source document."""
    job = _job(request, token)
    if job.status != ImportJob.Status.DONE:
        return HttpResponseRedirect(reverse("workflow:import_progress", args=[token]))
    document = import_jobs.parsed(job)
    filename = job.filename
    today = timezone.localdate()
    matches = match_people(document)
    initial, rows, marks = review_values(document, matches, today)
    context = {
        "review": document,
        "checks": review_checks(document, matches, today),
        "scanned_pages": sorted(document.scanned_pages),
        "marks": marks,
        "filename": filename,
        "token": token,
        "page_title": _("Granska import: %(name)s") % {"name": filename},
    }
    if request.method == "GET":
        return _render(request, RegistrationForms(initial=initial, rows=rows), **context)
    page_forms, more = _bound(request)
    if more:
        return _render(request, page_forms, show_errors=False, **context)
    data = import_jobs.file_data(job)
    if data is None:
        raise Http404
    assignment = _save(request, page_forms, imported=(document, data, filename))
    if assignment is None:
        return _render(request, page_forms, status=400, **context)
    import_jobs.finish(job)
    messages.success(
        request, _("Handlingen är importerad som utkast och skickad för fastställelse.")
    )
    return HttpResponseRedirect(assignment.get_absolute_url())


@require_safe
@login_required
def import_page_image(request, token, number):
    """A page of the upload under review as an image, shown beside the fields read from it
    by OCR (404 for a page it has not, or an upload that is not this session's)."""
    job = _job(request, token)
    data = import_jobs.file_data(job) if job.status == ImportJob.Status.DONE else None
    if data is None or not job.filename.lower().endswith(".pdf"):
        raise Http404
    try:
        image = page_image(data, number)
    except Exception as error:  # no such page, or a PDF pdfminer cannot draw: not found
        raise Http404 from error
    return HttpResponse(image, content_type="image/png")


@require_safe
def source_document(request, pk):
    """The file an assignment was imported from, to whoever may see the assignment (404 for
    anyone else), always as a download (as a delivery's document)."""
    assignment = visible_assignment(request, pk)
    if not assignment.source_document:
        raise Http404
    try:
        return storage.download_response(
            assignment.source_document, assignment.source_document_name
        )
    except FileNotFoundError as error:
        raise Http404 from error


# -- the page's layout, in the document's order ----------------------------------------------

LAYOUT = (
    (gettext_lazy("Huvud"), ("registration_number", "document_date", "issuing_unit", "title")),
    (
        gettext_lazy("Parter"),
        ("commissioners", "decision_makers", "decision_makers_label", "assignee"),
    ),
    (gettext_lazy("Arbetsorganisation"), ("project_lead",)),
    (gettext_lazy("Uppdragsbeskrivning"), ("description", "purpose", "scope", "requirements")),
    (gettext_lazy("Arbetsgrupp"), ("working_group_note", "working_group")),
    (gettext_lazy("Samband och gränsdragning"), ("relations",)),
    (gettext_lazy("Kommunikation"), ("communication",)),
    (gettext_lazy("Tidplan"), ("schedule_note", "milestones", "delivery_due")),
    (gettext_lazy("Kostnader och finansiering"), ("costs_and_financing",)),
    (gettext_lazy("Beslut"), ("decision_form",)),
    (gettext_lazy("Uppdraget skickas till"), ("execution", "information")),
)


def _describe(bound_field, mark: str, show_errors: bool) -> dict:
    """A field with its mark and errors tied to it for screen readers."""
    ids = []
    if mark:
        ids.append(f"{bound_field.auto_id}-mark")
    if bound_field.help_text:
        ids.append(f"{bound_field.auto_id}-help")
    errors = bound_field.errors if show_errors and bound_field.form.is_bound else []
    if errors:
        ids.append(f"{bound_field.auto_id}-error")
    attrs = bound_field.field.widget.attrs
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if errors:
        attrs["aria-invalid"] = "true"
    return {"kind": "field", "field": bound_field, "mark": mark, "errors": errors}


def sections(page_forms, marks: dict, show_errors: bool) -> list[dict]:
    """What the template draws: headed sections of fields and formsets with their marks."""
    result = []
    for heading, names in LAYOUT:
        entries = []
        for name in names:
            if name in FORMSETS:
                formset = page_forms.formsets[name]
                rows = []
                for form in formset.forms:
                    fields = [
                        _describe(form[f], marks.get(form[f].html_name, ""), show_errors)
                        for f in form.fields
                        if f not in ("row_id", "DELETE")
                    ]
                    rows.append({"form": form, "fields": fields})
                empty = formset.empty_form  # the row the page's script adds in place
                empty_fields = [
                    _describe(empty[f], "", False)
                    for f in empty.fields
                    if f not in ("row_id", "DELETE")
                ]
                entries.append(
                    {
                        "kind": "formset",
                        "name": name,
                        "formset": formset,
                        "heading": formset.heading,
                        "rows": rows,
                        "empty": {"form": empty, "fields": empty_fields},
                        "mark": marks.get(f"{name}-section", ""),
                        "errors": formset.non_form_errors()
                        if show_errors and formset.is_bound
                        else [],
                    }
                )
            else:
                bound = page_forms.main[name]
                entries.append(_describe(bound, marks.get(name, ""), show_errors))
        result.append({"heading": heading, "entries": entries})
    return result


@require_safe
@login_required
def period_dates(request):
    """The dates a written period stands for, for the page's script (JSON)."""
    _may_register(request)
    period = parse_period((request.GET.get("period") or "")[:100])
    if period is None:
        return JsonResponse({"start": None, "due": None, "needs_review": True})
    return JsonResponse(
        {
            "start": period.start.isoformat() if period.start else None,
            "due": period.due.isoformat() if period.due else None,
            "needs_review": period.needs_review,
        }
    )
