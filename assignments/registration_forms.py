"""The "Nytt uppdrag" page's forms, in the uppdragshandling's own order: the header and texts
(AssignmentForm) and one formset per repeated part (people, items, working group, relations,
tidplan, distribution). The review of an imported document fills the same forms.

People are fields of text: a name picked from the people list ("Name (username)") or typed; a
name that matches no account becomes a contact when the draft is saved (contacts.py)."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.periods import parse_period

from .models import Assignment, AssignmentRelation, Milestone, validate_registration_number

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PEOPLE_LIST = "people-list"
UNITS_LIST = "units-list"


def _person_input(**attrs):
    return forms.TextInput(attrs={"list": PEOPLE_LIST, "autocomplete": "off", **attrs})


# The fields whose rules the model states (Assignment.clean), asked by the form.
MODEL_CHECKED = ("title", "document_date", "delivery_due")


def model_errors_on(form: forms.Form, obj) -> None:
    """The model's own rules (obj.clean()) asked of what the form holds: each error on its
    field, unless the form already found that field wrong. The rule stays the model's."""
    try:
        obj.clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name in form.fields and name not in form.errors:
                form.add_error(name, messages)


class AssignmentForm(forms.Form):
    """The header, the parties and the texts of the document."""

    registration_number = forms.CharField(
        label=_("Diarienummer"),
        max_length=40,
        validators=[validate_registration_number],
        error_messages={"required": _("Ange diarienummer.")},
        help_text=_("Till exempel ”RS 2024-05699”."),
    )
    document_date = forms.DateField(
        label=_("Datum"), widget=DATE, error_messages={"required": _("Ange datum.")}
    )
    issuing_unit = forms.CharField(
        label=_("Utfärdande enhet"),
        max_length=200,
        widget=forms.TextInput(attrs={"list": UNITS_LIST, "autocomplete": "off"}),
        error_messages={"required": _("Ange utfärdande enhet.")},
    )
    title = forms.CharField(
        label=_("Uppdrag (rubrik)"),
        max_length=400,
        error_messages={"required": _("Ange uppdragets rubrik.")},
    )
    assignee = forms.CharField(
        label=_("Uppdragstagare"),
        max_length=300,
        widget=_person_input(),
        error_messages={"required": _("Ange uppdragstagare.")},
    )
    project_lead = forms.CharField(
        label=_("Sammanställande och projektledare"),
        max_length=300,
        required=False,
        widget=_person_input(),
    )
    description = forms.CharField(
        label=_("Uppdragsbeskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    purpose = forms.CharField(
        label=_("Syfte"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    working_group_note = forms.CharField(
        label=_("Om arbetsgruppen"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    communication = forms.CharField(
        label=_("Kommunikation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    schedule_note = forms.CharField(
        label=_("Om tidplanen"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    delivery_due = forms.DateField(label=_("Slutleverans senast"), required=False, widget=DATE)
    costs_and_financing = forms.CharField(
        label=_("Kostnader och finansiering"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decision_form = forms.CharField(
        label=_("Form för beslut"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decision_makers_label = forms.CharField(
        label=_("Beslutsfattarnas benämning"), max_length=300, required=False
    )

    def __init__(self, *args, instance: Assignment | None = None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)

    def clean_registration_number(self):
        """The number, its spaces tidied, if the model's uniqueness rule allows it for this
        draft (the rule is the model's constraint, asked here, never restated)."""
        number = " ".join(self.cleaned_data["registration_number"].split())
        draft = copy.copy(self.instance) if self.instance is not None else Assignment()
        draft.registration_number = number
        try:
            draft.validate_constraints()
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return number

    def clean(self):
        cleaned = super().clean()
        draft = Assignment(**{name: cleaned.get(name) for name in MODEL_CHECKED})
        model_errors_on(self, draft)
        return cleaned


class RowForm(forms.Form):
    """A repeated row; `row_id` ties it to a saved row when a draft is edited."""

    row_id = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PersonRowForm(RowForm):
    name = forms.CharField(label=_("Namn"), max_length=300, widget=_person_input())


class ItemRowForm(RowForm):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 2}))


class MemberRowForm(RowForm):
    name = forms.CharField(label=_("Namn"), max_length=300, widget=_person_input())
    role = forms.CharField(label=_("Roll"), max_length=300, required=False)


class RelationRowForm(RowForm):
    kind = forms.ChoiceField(
        label=_("Typ"),
        choices=AssignmentRelation.Kind.choices,
        initial=AssignmentRelation.Kind.STAKEHOLDER,
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 2}))


class DistributionRowForm(RowForm):
    name = forms.CharField(label=_("Namn"), max_length=300, widget=_person_input())
    note = forms.CharField(label=_("Anteckning"), max_length=300, required=False)


# A milestone whose due date has passed is asked about (#18, 5): done, or still open?
OPEN, DONE = Milestone.Status.PLANNED, Milestone.Status.DONE
ANSWERS = [("", _("Välj …")), (OPEN, _("Fortfarande öppen")), (DONE, _("Klar"))]


class MilestoneRowForm(RowForm):
    title = forms.CharField(label=_("Aktivitet"), max_length=400)
    kind = forms.ChoiceField(
        label=_("Typ"), choices=Milestone.Kind.choices, initial=Milestone.Kind.OTHER
    )
    period_label = forms.CharField(
        label=_("Tidplan enligt handlingen"),
        max_length=100,
        required=False,
        help_text=_("Som det står, till exempel ”Sep – okt 2025”: fyller i start och slut."),
        widget=forms.TextInput(attrs={"data-period": "1"}),
    )
    start = forms.DateField(label=_("Start"), required=False, widget=DATE)
    due = forms.DateField(label=_("Klar senast"), required=False, widget=DATE)
    status = forms.ChoiceField(
        label=_("Klar eller öppen?"),
        choices=ANSWERS,
        required=False,
        help_text=_("Krävs när datumet redan har passerat."),
    )

    def clean(self):
        cleaned = super().clean()
        start, due = cleaned.get("start"), cleaned.get("due")
        if due is None and "due" not in self.errors:
            self.add_error("due", _("Ange slutdatum eller en tidplan som går att läsa."))
        model_errors_on(
            self, Milestone(title=cleaned.get("title") or "", start=start or due, due=due)
        )
        if due and due < timezone.localdate() and not cleaned.get("status"):
            self.add_error(
                "status",
                _("Datumet har passerat: svara om aktiviteten är klar eller fortfarande öppen."),
            )
        return cleaned


class AtLeastOne(forms.BaseFormSet):
    """A formset that must hold at least one row (commissioners)."""

    def clean(self):
        super().clean()
        rows = [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]
        if not any(f.cleaned_data.get("name") for f in rows if hasattr(f, "cleaned_data")):
            raise forms.ValidationError(_("Ange minst en uppdragsgivare."))


class RowsFormSet(forms.BaseFormSet):
    """Saved rows are public records: they are changed, never removed."""

    def clean(self):
        super().clean()
        for form in self.forms:
            if self._should_delete_form(form) and (form.cleaned_data or {}).get("row_id"):
                raise forms.ValidationError(_("En sparad rad tas inte bort; ändra den i stället."))


def _formset(form, base=RowsFormSet):
    return forms.formset_factory(form, formset=base, extra=1, can_delete=True)


# prefix → (formset class, heading), in the document's order
FORMSETS = {
    "commissioners": (_formset(PersonRowForm, AtLeastOne), _("Uppdragsgivare")),
    "decision_makers": (_formset(PersonRowForm), _("Beslutsfattare")),
    "scope": (_formset(ItemRowForm), _("Uppdraget innefattar")),
    "requirements": (_formset(ItemRowForm), _("Uppdraget ska")),
    "working_group": (_formset(MemberRowForm), _("Arbetsgrupp")),
    "relations": (_formset(RelationRowForm), _("Samband och gränsdragning")),
    "milestones": (_formset(MilestoneRowForm), _("Tidplan")),
    "execution": (_formset(DistributionRowForm), _("Uppdraget skickas till: för genomförande")),
    "information": (_formset(DistributionRowForm), _("Uppdraget skickas till: för kännedom")),
}


def fill_periods(data, *, today: dt.date | None = None) -> None:
    """Start and due of each tidplan row whose period is written and whose dates are empty,
    read from the period (server-side; static/uppdrag/periods.js does the same on blur).
    `data` is a mutable copy of request.POST."""
    try:
        total = int(data.get("milestones-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        return
    for i in range(min(total, 1000)):
        label = (data.get(f"milestones-{i}-period_label") or "").strip()
        if not label:
            continue
        period = parse_period(label)
        if period is None:
            continue
        start_key, due_key = f"milestones-{i}-start", f"milestones-{i}-due"
        if not data.get(start_key) and (period.start or period.due):
            data[start_key] = (period.start or period.due).isoformat()
        if not data.get(due_key) and period.due:
            data[due_key] = period.due.isoformat()


def mark_past_done(data, *, today: dt.date) -> None:
    """Every tidplan row whose date has passed and that is not answered yet answered "Klar"
    (the review page's one action for a document registered mid-flight)."""
    try:
        total = int(data.get("milestones-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        return
    for i in range(min(total, 1000)):
        try:
            due = dt.date.fromisoformat(data.get(f"milestones-{i}-due") or "")
        except ValueError:
            continue
        if due < today and not data.get(f"milestones-{i}-status"):
            data[f"milestones-{i}-status"] = DONE


def add_row(data, prefix: str) -> None:
    """One more empty row in the formset `prefix` ("Lägg till rad" without JavaScript)."""
    if prefix in FORMSETS:
        key = f"{prefix}-TOTAL_FORMS"
        with contextlib.suppress(ValueError):
            data[key] = str(min(int(data.get(key, 0)) + 1, 1000))


class RegistrationForms:
    """The main form and every formset of the page, bound or prefilled together."""

    def __init__(self, data=None, *, initial=None, rows=None, instance=None):
        initial, rows = initial or {}, rows or {}
        self.main = AssignmentForm(data, initial=initial, instance=instance)
        self.formsets = {}
        for prefix, (formset_class, heading) in FORMSETS.items():
            prefilled = rows.get(prefix) or []
            formset = formset_class(data, prefix=prefix, initial=prefilled or None)
            if prefilled and data is None:
                formset.extra = 0
            formset.heading = heading
            self.formsets[prefix] = formset

    def is_valid(self) -> bool:
        valid = self.main.is_valid()
        for formset in self.formsets.values():
            valid = formset.is_valid() and valid
        return valid

    def rows(self, prefix: str) -> list[dict]:
        """The kept rows of one formset: filled in, not marked for removal."""
        formset = self.formsets[prefix]
        return [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def cleaned(self) -> dict:
        """Everything typed, as save_draft takes it."""
        return {**self.main.cleaned_data, **{p: self.rows(p) for p in self.formsets}}

    @property
    def error_count(self) -> int:
        count = len(self.main.errors)
        for formset in self.formsets.values():
            count += len(formset.non_form_errors()) + sum(len(e) for e in formset.errors)
        return count
