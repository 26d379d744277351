"""Frånvaro on "Inställningar": the page where a person sets, sees and ends their own absence
and chooses the stand-in who answers for them meanwhile. The rules are
workflow.services.absence's (and assignments.permissions'); this page only asks them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assignments import permissions
from assignments.models import Absence

from .. import services
from ..forms import AbsenceForm
from .own import end_own
from .posting import submitted


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def absence_page(request):
    """GET: the person's absences in force or to come, and the form; POST: set one."""
    person = request.user
    form = AbsenceForm(
        request.POST if request.method == "POST" else None,
        candidates=permissions.stand_in_candidates(person),
    )
    status = 200
    if request.method == "POST":
        absence = submitted(
            form,
            lambda data: services.set_absence(
                person=person, starts=data["starts"], ends=data["ends"], stand_in=data["stand_in"]
            ),
        )
        if absence is not None:
            messages.success(
                request,
                _("Din frånvaro %(starts)s–%(ends)s är sparad.")
                % {"starts": absence.starts.isoformat(), "ends": absence.ends.isoformat()},
            )
            return HttpResponseRedirect(reverse("absence"))
        status = 400
    return render(
        request,
        "workflow/absence.html",
        {
            "page_title": _("Frånvaro"),
            "form": form,
            "absences": services.current_absences(person),
        },
        status=status,
    )


@require_POST
@login_required
def end_absence(request, pk):
    """End one of the person's own absences early; anyone else's is a 404."""
    return end_own(
        request,
        Absence,
        pk,
        lambda absence: services.end_absence(absence=absence, actor=request.user),
        _("Frånvaron är avslutad."),
        reverse("absence"),
    )
