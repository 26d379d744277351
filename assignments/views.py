"""The registry's everyday pages that are not one assignment's process: the portfolio with its
exports, the group catalogue and the language switch (the start page is workflow's, the
settings page reminders', which owns what a person is told about).

Every list is built from `permissions.visible_assignments`, so nobody sees an assignment they
could not open; every page runs a fixed number of queries however many rows it shows.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_POST

from assignments import audit, exports, links, permissions, selectors

from .forms import PortfolioFilter
from .models import Group


def _today() -> dt.date:
    return timezone.localdate()


# -- portfolio ---------------------------------------------------------------------------------


def _rows(assignments):
    for a in assignments:
        yield [
            a.registration_number,
            a.title,
            a.state_label,
            a.issuing_unit.name,
            ", ".join(str(c) for c in a.commissioners.all()),
            str(a.assignee or ""),
            a.delivery_due.isoformat() if a.delivery_due else "",
            _("Ja") if a.is_overdue else _("Nej"),
        ]


def _portfolio_header():
    return [
        _("Diarienummer"),
        _("Uppdrag"),
        _("Status"),
        _("Utfärdande enhet"),
        _("Uppdragsgivare"),
        _("Uppdragstagare"),
        _("Slutleverans"),
        _("Försenat"),
    ]


def _export(queryset, fmt: str, today: dt.date) -> HttpResponse:
    filename = f"uppdrag-{today.isoformat()}"
    rows = _rows(selectors.portfolio_rows(queryset, today))
    if fmt == "csv":
        return exports.csv_response(filename, _portfolio_header(), rows)
    return exports.xlsx_response(filename, _("Uppdrag"), _portfolio_header(), rows)


@transaction.non_atomic_requests  # reads only
@login_required
def portfolio(request):
    if not permissions.may_see_portfolio(request.user):
        raise PermissionDenied
    today = _today()
    form = PortfolioFilter(request.GET or None)
    valid = form.is_valid()
    status = 200 if valid or not request.GET else 400
    queryset = selectors.portfolio(
        request.user,
        filters=form.cleaned_data if valid else {},
        order=form.order(),
        today=today,
    )
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx") and status == 200:
        return _export(queryset, fmt, today)
    params = {k: v for k, v in request.GET.items() if k not in ("page", "format") and v}
    context = {
        "page_title": _("Portfölj"),
        "form": form,
        "page": selectors.portfolio_page(queryset, request.GET.get("page"), today),
        "query": urlencode(params),
        "today": today,
    }
    return render(request, "assignments/portfolio.html", context, status=status)


# -- groups ------------------------------------------------------------------------------------


@login_required
def group_list(request):
    return render(
        request,
        "assignments/group_list.html",
        {"page_title": _("Grupper"), "groups": selectors.groups()},
    )


@login_required
def group_detail(request, pk):
    try:
        group = selectors.group(pk)
    except Group.DoesNotExist:
        raise Http404 from None
    context = {
        "page_title": group.name,
        "group": group,
        "assignments": selectors.group_assignments(request.user, group),
    }
    return render(request, "assignments/group_detail.html", context)


@require_POST
def set_language(request):
    """The toolbar's language switch: remembered on the person (if logged in) and in a cookie."""
    language = request.POST.get("language")
    if language not in dict(settings.LANGUAGES):
        raise Http404
    target = links.next_url(request, "/")
    user = request.user
    if user.is_authenticated and user.language != language:
        before = audit.snapshot(user, ["language"])
        user.language = language
        user.save(update_fields=["language"])
        audit.record(
            actor=user,
            obj=user,
            action="settings_changed",
            before=before,
            after=audit.snapshot(user, ["language"]),
        )
    response = HttpResponseRedirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


def permission_denied(request, exception):
    """403, except that a visitor who is not logged in is first sent to the login page
    (LOGIN_URL with ?next=): viewflow's pages refuse an anonymous visitor with a bare 403."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return defaults.permission_denied(request, exception)
