""" "Påminn mig" (bevakning): the page where a person sets a watch date on an assignment or one
of its milestones and sees their own on it, and removing one (from that page or the start
page). The rules are reminders.watch_dates'; a person only ever sees and removes their own.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assignments import links
from reminders import watch_dates
from reminders.forms import WatchDateForm
from reminders.models import WatchDate

from .assignment import visible_assignment
from .own import end_own
from .posting import submitted


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def watch_page(request, pk):
    """GET: the form (`?milstolpe=<pk>` chooses the milestone) and the person's own watch dates
    on the assignment; POST: set one, back to the assignment at what it is about."""
    assignment = visible_assignment(request, pk)
    today = timezone.localdate()
    milestones = list(assignment.milestones.order_by("position", "start", "pk"))
    about = request.GET.get("milstolpe", "")
    form = WatchDateForm(
        request.POST if request.method == "POST" else None,
        assignment=assignment,
        milestones=milestones,
        today=today,
        initial={"about": about if about.isdigit() else ""},
    )
    status = 200
    if request.method == "POST":
        watch = submitted(
            form,
            lambda data: watch_dates.set_watch_date(
                person=request.user,
                assignment=assignment,
                milestone=data["milestone"],
                day=data["day"],
                note=data["note"],
            ),
        )
        if watch is not None:
            messages.success(
                request,
                _("Du blir påmind %(date)s, i appen och via e-post.")
                % {"date": formats.date_format(watch.day, "DATE_FORMAT")},
                # shown on the milestone's card, where the page opens (saved_at)
                extra_tags=f"at-milestone-{watch.milestone_id}" if watch.milestone_id else "",
            )
            return HttpResponseRedirect(
                links.process_url(assignment.pk, watch.milestone_id, absolute=False)
            )
        status = 400
    return render(
        request,
        "workflow/watch.html",
        {
            "page_title": _("Påminn mig"),
            "assignment": assignment,
            "form": form,
            "watches": watch_dates.open_watch_dates(request.user, today).filter(
                assignment=assignment
            ),
        },
        status=status,
    )


@require_POST
@login_required
def cancel_watch(request, pk):
    """Remove one of the person's own watch dates; anyone else's is a 404."""
    return end_own(
        request,
        WatchDate,
        pk,
        lambda watch: watch_dates.cancel_watch_date(watch=watch, person=request.user),
        _("Bevakningen är borttagen."),
        reverse("home"),
    )
