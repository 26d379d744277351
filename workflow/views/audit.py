"""An assignment's audit trail: as a page and as CSV."""

import json

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments import exports

from .. import selectors
from .assignment import visible_assignment


@login_required
def audit_log(request, pk):
    assignment = visible_assignment(request, pk)
    entries = selectors.audit_trail(assignment)
    return render(request, "workflow/audit.html", {"assignment": assignment, "entries": entries})


@login_required
def audit_csv(request, pk):
    assignment = visible_assignment(request, pk)
    header = [
        _("Tidpunkt"),
        _("Utförd av"),
        _("Händelse"),
        _("Objekt"),
        _("Före"),
        _("Efter"),
        _("Motivering"),
    ]
    rows = (
        [
            # local time with its offset, as the page shows it ("2026-03-15T10:45:00+01:00")
            timezone.localtime(entry.occurred_at).isoformat(timespec="seconds"),
            str(entry.actor or ""),
            entry.action,
            entry.object_repr,
            json.dumps(entry.before, ensure_ascii=False) if entry.before is not None else "",
            json.dumps(entry.after, ensure_ascii=False) if entry.after is not None else "",
            entry.reason,
        ]
        for entry in selectors.audit_trail(assignment)
    )
    return exports.csv_response(f"granskningslogg-{assignment.pk}", header, rows)
