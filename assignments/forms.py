"""Forms of the everyday pages: the portfolio's filter and the person's own settings."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import Assignment, OrgUnit, User

# The portfolio's sort keys: the field each sorts by, and its name in the form.
SORTS = {
    "dnr": ("registration_number", _("Diarienummer")),
    "title": ("title", _("Uppdrag")),
    "state": ("state", _("Status")),
    "due": ("delivery_due", _("Slutleverans")),
    "unit": ("issuing_unit__name", _("Utfärdande enhet")),
    "assignee": ("assignee__last_name", _("Uppdragstagare")),
}
DEFAULT_SORT = "due"


class PortfolioFilter(forms.Form):
    q = forms.CharField(label=_("Sök (diarienummer eller titel)"), required=False)
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alla"))] + list(Assignment.State.choices),
    )
    unit = forms.ModelChoiceField(
        label=_("Utfärdande enhet"),
        required=False,
        queryset=OrgUnit.objects.order_by("name"),
        empty_label=_("Alla"),
    )
    # Names, not drop-downs: a region has thousands of people.
    commissioner = forms.CharField(label=_("Uppdragsgivare (namn)"), required=False, max_length=100)
    assignee = forms.CharField(label=_("Uppdragstagare (namn)"), required=False, max_length=100)
    overdue = forms.BooleanField(label=_("Bara försenade"), required=False)
    sort = forms.ChoiceField(
        label=_("Sortera efter"),
        required=False,
        choices=[(k, v) for k, (_f, v) in SORTS.items()]
        # lazily joined: each reader's language, not the one active when this module loaded
        + [(f"-{k}", format_lazy("{} ↓", v)) for k, (_f, v) in SORTS.items()],
    )

    def order(self) -> str:
        """The field to sort by ("-" first for descending); the default unless the form is
        valid."""
        key = (self.is_valid() and self.cleaned_data.get("sort")) or DEFAULT_SORT
        field = SORTS[key.lstrip("-")][0]
        return f"-{field}" if key.startswith("-") else field


class SettingsForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Språk"),
        required=False,
        choices=[("", _("Standard (svenska)")), *settings.LANGUAGES],
    )

    class Meta:
        model = User
        fields = ["language", "wants_digest", "wants_monthly_report", "answers_by_mail"]
        labels = {
            "language": _("Språk"),
            "wants_digest": _("Daglig sammanfattning via e-post (kl. 07.00)"),
            "wants_monthly_report": _("Månadens återrapportering via e-post"),
            "answers_by_mail": _("Svara på påminnelser via e-post"),
        }
        help_texts = {
            "answers_by_mail": _(
                "Svara på en påminnelse med ”klar”, ”påbörjad”, ”ny tid 2027-01-15 skäl” eller en "
                "kommentar. Av: påminnelserna har ingen svarsadress och svar används inte."
            ),
            "wants_digest": _("Påminnelser om egna milstolpar och eskaleringar skickas alltid."),
            "wants_monthly_report": _(
                "För dig som är uppdragsgivare: återrapporteringen för förra månaden, som PDF "
                "och Excel, den första arbetsdagen i varje månad."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The monthly report goes to commissioners only: nobody else is offered the choice,
        # and their stored choice stays as it is (a field left out is not saved).
        if not self.instance.commissioned_assignments.exists():
            del self.fields["wants_monthly_report"]
