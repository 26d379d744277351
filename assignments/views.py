"""The everyday pages that are not one assignment's process: the start page "Mina uppdrag", the
portfolio with its exports, the group catalogue and the person's own settings.

Every list is built from `permissions.visible_assignments`, so nobody sees an assignment they
could not open; every page runs a fixed number of queries however many rows it shows.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.decorators.http import require_POST

from reminders.calendar import add_working_days

from . import audit, exports, permissions
from .models import Assignment, Group, Milestone, OrgUnit, User, WorkingGroupMember

UPCOMING_WORKING_DAYS = 15
PAGE_SIZE = 50
# The start page shows the first rows of each list and says when there are more.
START_LIST = 25


def _today() -> dt.date:
    return timezone.localdate()


# -- start page --------------------------------------------------------------------------------


def _my_tasks(user):
    """What waits for the person, each with the page to act on: a decision on the decision
    page, anything else on the assignment page."""
    from workflow.services import tasks_waiting_for

    result = []
    for task, assignment in tasks_waiting_for(user, limit=START_LIST + 1):
        is_decision = task.flow_task.name == "approve"
        page = "workflow:decision" if is_decision else "workflow:assignment"
        result.append(
            {
                "title": task.flow_task.task_title,
                "is_decision": is_decision,
                "assignment": assignment,
                "url": reverse(page, args=[assignment.pk]),
                "waiting_since": task.created,
            }
        )
    return result


@login_required
def home(request):
    user = request.user
    today = _today()
    horizon = add_working_days(today, UPCOMING_WORKING_DAYS)
    milestones = list(
        Milestone.objects.filter(
            Q(responsible=user) | Q(responsible__isnull=True, assignment__assignee=user),
            assignment__state__in=Assignment.OPEN_STATES,
            due__lte=horizon,
        )
        .exclude(status__in=Milestone.CLOSED_STATUSES)
        .select_related("assignment")
        .order_by("due", "pk")[: START_LIST * 2 + 1]
    )
    for milestone in milestones:
        milestone.overdue = milestone.is_overdue(today)
    in_group = WorkingGroupMember.objects.filter(person=user, is_active=True).values(
        "assignment_id"
    )
    mine = Assignment.mark_overdue(
        Assignment.objects.filter(Q(assignee=user) | Q(pk__in=in_group))
        .exclude(state=Assignment.State.SUPERSEDED)
        .order_by("delivery_due", "pk")[: START_LIST + 1],
        today,
    )
    commissioned = Assignment.mark_overdue(
        user.commissioned_assignments.exclude(state=Assignment.State.SUPERSEDED)
        .select_related("assignee")
        .order_by("delivery_due", "pk")[: START_LIST + 1],
        today,
    )
    unread = list(user.notifications.unread()[:5])
    tasks = _my_tasks(user)
    context = {
        "page_title": _("Mina uppdrag"),
        "today": today,
        "horizon": horizon,
        "tasks": tasks[:START_LIST],
        "more_tasks": len(tasks) > START_LIST,
        "milestones": milestones[: START_LIST * 2],
        "more_milestones": len(milestones) > START_LIST * 2,
        "mine": mine[:START_LIST],
        "more_mine": len(mine) > START_LIST,
        "commissioned": commissioned[:START_LIST],
        "more_commissioned": len(commissioned) > START_LIST,
        "may_see_portfolio": permissions.may_see_portfolio(user),
        "unread": unread,
    }
    return render(request, "assignments/home.html", context)


# -- portfolio ---------------------------------------------------------------------------------

SORTS = {
    "dnr": ("registration_number", gettext_lazy("Diarienummer")),
    "title": ("title", gettext_lazy("Uppdrag")),
    "state": ("state", gettext_lazy("Status")),
    "due": ("delivery_due", gettext_lazy("Slutleverans")),
    "unit": ("issuing_unit__name", gettext_lazy("Utfärdande enhet")),
    "assignee": ("assignee__last_name", gettext_lazy("Uppdragstagare")),
}


class PortfolioFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("Sök (diarienummer eller titel)"), required=False)
    state = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Alla"))] + list(Assignment.State.choices),
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Utfärdande enhet"),
        required=False,
        queryset=OrgUnit.objects.order_by("name"),
        empty_label=gettext_lazy("Alla"),
    )
    # Names, not drop-downs: a region has thousands of people.
    commissioner = forms.CharField(
        label=gettext_lazy("Uppdragsgivare (namn)"), required=False, max_length=100
    )
    assignee = forms.CharField(
        label=gettext_lazy("Uppdragstagare (namn)"), required=False, max_length=100
    )
    overdue = forms.BooleanField(label=gettext_lazy("Bara försenade"), required=False)
    sort = forms.ChoiceField(
        label=gettext_lazy("Sortera efter"),
        required=False,
        choices=[(k, v) for k, (_f, v) in SORTS.items()]
        + [(f"-{k}", f"{v} ↓") for k, (_f, v) in SORTS.items()],
    )


def _name_matches(relation: str, text: str) -> Q:
    """Every word of `text` in the person's first name, last name or user name."""
    q = Q()
    for word in text.split():
        q &= (
            Q(**{f"{relation}__first_name__icontains": word})
            | Q(**{f"{relation}__last_name__icontains": word})
            | Q(**{f"{relation}__username__icontains": word})
        )
    return q


def portfolio_queryset(user, data: dict, today: dt.date):
    queryset = permissions.visible_assignments(user)
    if data.get("q"):
        queryset = queryset.filter(
            Q(registration_number__icontains=data["q"]) | Q(title__icontains=data["q"])
        )
    if data.get("state"):
        queryset = queryset.filter(state=data["state"])
    if data.get("unit"):
        queryset = queryset.filter(issuing_unit=data["unit"])
    if data.get("commissioner"):
        queryset = queryset.filter(
            pk__in=Assignment.objects.filter(
                _name_matches("commissioners", data["commissioner"])
            ).values("pk")
        )
    if data.get("assignee"):
        queryset = queryset.filter(_name_matches("assignee", data["assignee"]))
    if data.get("overdue"):
        queryset = queryset.filter(Assignment.overdue_q(today))
    key = data.get("sort") or "due"
    field = SORTS[key.lstrip("-")][0]
    order = f"-{field}" if key.startswith("-") else field
    return (
        queryset.select_related("issuing_unit", "assignee")
        .prefetch_related(
            Prefetch("commissioners", queryset=User.objects.order_by("last_name", "first_name"))
        )
        .order_by(order, "pk")
    )


def _portfolio_rows(queryset, today: dt.date):
    page = []
    for assignment in queryset.iterator(chunk_size=2000):
        page.append(assignment)
        if len(page) == 2000:
            yield from _rows(Assignment.mark_overdue(page, today))
            page = []
    yield from _rows(Assignment.mark_overdue(page, today))


def _rows(assignments):
    for a in assignments:
        yield [
            a.registration_number,
            a.title,
            a.get_state_display(),
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
    rows = _portfolio_rows(queryset, today)
    if fmt == "csv":
        return exports.csv_response(filename, _portfolio_header(), rows)
    return exports.xlsx_response(filename, _("Uppdrag"), _portfolio_header(), rows)


@login_required
def portfolio(request):
    if not permissions.may_see_portfolio(request.user):
        raise PermissionDenied
    today = _today()
    form = PortfolioFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    status = 200 if form.is_valid() or not request.GET else 400
    queryset = portfolio_queryset(request.user, data, today)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx") and status == 200:
        return _export(queryset, fmt, today)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = Assignment.mark_overdue(page.object_list, today)
    params = {k: v for k, v in request.GET.items() if k not in ("page", "format") and v}
    context = {
        "page_title": _("Portfölj"),
        "form": form,
        "page": page,
        "query": urlencode(params),
        "sort": data.get("sort") or "due",
        "sorts": SORTS,
        "today": today,
    }
    return render(request, "assignments/portfolio.html", context, status=status)


# -- groups ------------------------------------------------------------------------------------


@login_required
def group_list(request):
    groups = (
        Group.objects.filter(is_archived=False)
        .select_related("chair")
        .prefetch_related("reports_to")
        .order_by("name")
    )
    return render(
        request, "assignments/group_list.html", {"page_title": _("Grupper"), "groups": groups}
    )


@login_required
def group_detail(request, pk):
    group = get_object_or_404(
        Group.objects.select_related("chair", "assignment").prefetch_related(
            "reports_to", "reported_by", "administrations", "members"
        ),
        pk=pk,
    )
    visible = permissions.visible_assignments(request.user)
    assignments = (
        visible.filter(Q(relations__target_group=group) | Q(defined_groups=group))
        .distinct()
        .select_related("assignee")
        .order_by("-document_date", "pk")
    )
    context = {"page_title": group.name, "group": group, "assignments": assignments}
    return render(request, "assignments/group_detail.html", context)


# -- the person's own settings -----------------------------------------------------------------


class SettingsForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=gettext_lazy("Språk"),
        required=False,
        choices=[("", gettext_lazy("Standard (svenska)")), *settings.LANGUAGES],
    )

    class Meta:
        model = User
        fields = ["language", "wants_digest"]
        labels = {
            "language": gettext_lazy("Språk"),
            "wants_digest": gettext_lazy("Daglig sammanfattning via e-post (kl. 07.00)"),
        }
        help_texts = {
            "wants_digest": gettext_lazy(
                "Påminnelser om egna milstolpar och eskaleringar skickas alltid."
            )
        }


@login_required
def user_settings(request):
    user = request.user
    if request.method == "POST":
        before = audit.snapshot(user, ["language", "wants_digest"])  # is_valid() mutates user
        form = SettingsForm(request.POST, instance=user)
        if form.is_valid():
            form.save()
            audit.record(
                actor=user,
                obj=user,
                action="settings_changed",
                before=before,
                after=audit.snapshot(user, ["language", "wants_digest"]),
            )
            messages.success(request, _("Inställningarna är sparade."))
            response = HttpResponseRedirect(reverse("user_settings"))
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language or settings.LANGUAGE_CODE,
                samesite="Lax",
            )
            return response
        status = 400
    else:
        form = SettingsForm(instance=user)
        status = 200
    return render(
        request,
        "assignments/settings.html",
        {"page_title": _("Inställningar"), "form": form},
        status=status,
    )


@require_POST
def set_language(request):
    """The toolbar's language switch: remembered on the person (if logged in) and in a cookie."""
    language = request.POST.get("language")
    if language not in dict(settings.LANGUAGES):
        raise Http404
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
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
