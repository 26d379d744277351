"""The registrar's filters on the records page: an assignment, a unit, a period."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assignments.models import Assignment, OrgUnit


class RecordsFilter(forms.Form):
    registration_number = forms.CharField(label=_("Diarienummer"), required=False, max_length=40)
    unit = forms.ModelChoiceField(
        label=_("Enhet (med enheterna under den)"),
        required=False,
        queryset=OrgUnit.objects.order_by("name"),
        empty_label=_("Alla"),
    )
    start = forms.DateField(
        label=_("Från och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_registration_number(self):
        number = " ".join((self.cleaned_data.get("registration_number") or "").split())
        if not number:
            return None
        found = Assignment.objects.filter(registration_number=number).order_by("-pk")
        if not found.exists():
            raise ValidationError(_("Det finns inget uppdrag med det diarienumret."))
        return list(found)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError(_("Slutdatum kan inte ligga före startdatum."))
        return data
