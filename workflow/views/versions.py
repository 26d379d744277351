"""New versions of an uppdragshandling: "Ny version" (a copy that becomes a draft replacing
the document when it is adopted) and the page comparing two versions of a document."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assignments import permissions
from documents import version_diff

from .. import forms, selectors, services
from .assignment import Refused, cleaned, process_page, visible_assignment
from .posting import keep_on_form


@require_POST
@login_required
def new_version(request, pk):
    """Copy the assignment into a new draft that will supersede it; on to the draft's page."""
    assignment = visible_assignment(request, pk)
    if not permissions.can_supersede_assignment(request.user, assignment):
        raise PermissionDenied
    form = forms.NewVersionForm(request.POST, assignment=assignment)
    refused = Refused("version", form)
    try:
        data = cleaned(form)
        draft = services.draft_new_version(
            assignment=assignment,
            actor=request.user,
            document_date=data["document_date"],
            delivery_due=data["delivery_due"],
        )
    except ValidationError as error:
        keep_on_form(form, error)
        return process_page(
            request, assignment.pk, errors=error.messages, status=400, refused=refused
        )
    except PermissionDenied as error:
        errors = [str(error) or _("Du får inte göra det här.")]
        return process_page(request, assignment.pk, errors=errors, status=403)
    messages.success(
        request,
        _(
            "Utkastet till ny version är skapat. Ändra och spara det: då skickas det till "
            "uppdragsgivarna för fastställelse, och när det fastställs ersätter det den "
            "tidigare versionen."
        ),
    )
    return HttpResponseRedirect(draft.get_absolute_url())


@require_safe
@transaction.non_atomic_requests  # reads only
@login_required
def version_diff_page(request, pk):
    """Two versions of the document side by side, field by field and row by row: by default
    this one and the one before it (or after it, for the first)."""
    assignment = visible_assignment(request, pk)
    chain = selectors.visible_versions(request.user, assignment)
    form = forms.VersionChoiceForm(
        request.GET or None, versions=chain, initial=_default_pair(chain, assignment)
    )
    status, diff = 200, None
    if request.GET and not form.is_valid():
        status = 400
    elif len(chain) > 1:
        pair = form.cleaned_data if request.GET else _default_pair(chain, assignment)
        by_pk = {v.pk: v for v in chain}
        diff = version_diff.compare(by_pk[pair["fran"]], by_pk[pair["till"]])
    context = {
        "page_title": _("Versioner av %(number)s") % {"number": assignment.registration_number},
        "assignment": assignment,
        "versions": chain,
        "form": form,
        "diff": diff,
    }
    return render(request, "workflow/versions.html", context, status=status)


def _default_pair(chain, assignment) -> dict:
    index = next((i for i, v in enumerate(chain) if v.pk == assignment.pk), 0)
    if len(chain) < 2:
        return {"fran": assignment.pk, "till": assignment.pk}
    if index == 0:
        return {"fran": assignment.pk, "till": chain[1].pk}
    return {"fran": chain[index - 1].pk, "till": assignment.pk}
