"""The återrapportering's choices: whose report, over which period."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from assignments import permissions
from assignments.models import Group, OrgUnit, User

from .report import Scope

# -- the återrapportering --------------------------------------------------------------------
PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?:-(?P<half>H[12])|-(?P<month>\d{2}))?$")
CUSTOM_PERIOD = "custom"
YEAR_TO_DATE = "ytd"


def _month_name(day: dt.date) -> str:
    return formats.date_format(day, "F Y")


def period_choices(today: dt.date) -> list[tuple[str, str]]:
    """The quick choices of a period: this year and the two before, their halves that have
    begun, the previous month, the year to date, or dates of one's own."""
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    choices = [
        (YEAR_TO_DATE, _("Hittills i år")),
        (
            f"{last_month:%Y-%m}",
            _("Förra månaden (%(month)s)") % {"month": _month_name(last_month)},
        ),
    ]
    for year in (today.year, today.year - 1, today.year - 2):
        choices.append((str(year), str(year)))
        if year < today.year or today.month > 6:
            choices.append((f"{year}-H2", _("%(year)d, andra halvåret") % {"year": year}))
        choices.append((f"{year}-H1", _("%(year)d, första halvåret") % {"year": year}))
    choices.append((CUSTOM_PERIOD, _("Egna datum")))
    return choices


def period_dates(value: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """A quick choice (a year "2025", a half "2025-H1", a month "2025-11", "ytd") as its first
    and last day; None when the value is none of these."""
    if value == YEAR_TO_DATE:
        return today.replace(month=1, day=1), today
    match = PERIOD_RE.match(value or "")
    if not match or not 2000 <= int(match["year"]) <= 2100:
        return None
    year = int(match["year"])
    if match["half"]:
        first_month = 1 if match["half"] == "H1" else 7
        return dt.date(year, first_month, 1), dt.date(year, first_month + 5, 1) + _month_end(
            year, first_month + 5
        )
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            return None
        return dt.date(year, month, 1), dt.date(year, month, 1) + _month_end(year, month)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _month_end(year: int, month: int) -> dt.timedelta:
    """From the first to the last day of the month."""
    return dt.timedelta(days=calendar.monthrange(year, month)[1] - 1)


class ReportForm(forms.Form):
    """The återrapportering's choices: whose assignments (a commissioner, a unit, a group) and
    over which period. Whom a person may report on is permissions.may_report_on_commissioner;
    the choices offer only those."""

    scope = forms.CharField(label=_("Omfattning"), widget=forms.Select)
    period = forms.CharField(label=_("Period"), widget=forms.Select)
    start = forms.DateField(
        label=_("Från och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today
        self.fields["scope"].widget.choices = self.scope_choices()
        self.fields["period"].widget.choices = period_choices(today)
        self.fields["start"].help_text = _("När du väljer ”Egna datum”.")

    def commissioners(self):
        """Whom the person may report on as commissioner: themselves, or (a registrar, the
        regional director) everyone who commissions an assignment."""
        if permissions.is_registrar(self.user) or permissions.is_regional_director(self.user):
            return (
                User.objects.filter(commissioned_assignments__isnull=False)
                .distinct()
                .order_by("last_name", "first_name", "pk")
            )
        return User.objects.filter(
            pk=self.user.pk, commissioned_assignments__isnull=False
        ).distinct()

    def scope_choices(self) -> list:
        return [
            ("", _("Välj …")),
            (
                _("Uppdragsgivare"),
                [(f"commissioner:{p.pk}", str(p)) for p in self.commissioners()],
            ),
            (
                _("Enheter"),
                [
                    (f"unit:{u.pk}", u.name)
                    for u in OrgUnit.objects.filter(is_archived=False).order_by("name")
                ],
            ),
            (
                _("Koncernövergripande grupper"),
                [
                    (f"group:{g.pk}", g.name)
                    for g in Group.objects.filter(is_archived=False).order_by("name")
                ],
            ),
        ]

    def default_data(self) -> dict | None:
        """What the page shows at first: a commissioner's own report for this year."""
        mine = self.commissioners().filter(pk=self.user.pk).first()
        if mine is None:
            return None
        return {"scope": f"commissioner:{mine.pk}", "period": str(self.today.year)}

    def clean_scope(self):
        kind, _sep, pk = self.cleaned_data["scope"].partition(":")
        models = {"commissioner": User, "unit": OrgUnit, "group": Group}
        if kind not in models or not pk.isdigit():
            raise forms.ValidationError(_("Välj uppdragsgivare, enhet eller grupp."))
        target = models[kind].objects.filter(pk=int(pk)).first()
        if target is None:
            raise forms.ValidationError(
                _("Det finns ingen sådan uppdragsgivare, enhet eller grupp.")
            )
        if kind == "commissioner" and not permissions.may_report_on_commissioner(self.user, target):
            raise forms.ValidationError(
                _("Du kan bara ta fram återrapporteringen för dig själv som uppdragsgivare.")
            )
        return Scope(kind, target)

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period")
        if period is None:
            return cleaned
        if period == CUSTOM_PERIOD:
            start, end = cleaned.get("start"), cleaned.get("end")
            if start is None:
                self.add_error("start", _("Ange från vilket datum."))
            if end is None:
                self.add_error("end", _("Ange till vilket datum."))
            if start and end and end < start:
                self.add_error("end", _("Slutdatum kan inte ligga före startdatum."))
            if start and end and (end - start).days > 366 * 10:
                self.add_error("end", _("Välj en period på högst tio år."))
        else:
            dates = period_dates(period, self.today)
            if dates is None:
                self.add_error("period", _("Välj en period i listan."))
            else:
                cleaned["start"], cleaned["end"] = dates
        return cleaned
