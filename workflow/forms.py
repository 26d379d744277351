from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments import storage
from assignments.models import Milestone, User


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 3}))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MilestoneStatusForm(forms.Form):
    """A milestone's row on the assignment page: a comment and one button per status."""

    # given by the button pressed, one per status
    to_status = forms.ChoiceField(
        label=_("Ny status"), choices=Milestone.Status.choices, widget=forms.HiddenInput
    )
    comment = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.TextInput(attrs={"size": 18})
    )

    @classmethod
    def of(cls, milestone: Milestone, data=None) -> MilestoneStatusForm:
        """The form of this milestone's row (its own ids: the page has one per milestone)."""
        return cls(data, auto_id=f"status-{milestone.pk}-%s")


class MilestoneCancelForm(forms.Form):
    """The question before a milestone is cancelled: why, and the answer "yes"."""

    to_status = forms.ChoiceField(
        label=_("Ny status"), choices=Milestone.Status.choices, widget=forms.HiddenInput
    )
    confirmed = forms.BooleanField(widget=forms.HiddenInput, initial=True)
    comment = forms.CharField(
        label=_("Varför avbryts milstolpen?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Ange varför milstolpen avbryts.")},
    )

    @classmethod
    def of(cls, milestone: Milestone, data=None) -> MilestoneCancelForm:
        return cls(
            data,
            auto_id=f"cancel-{milestone.pk}-%s",
            initial={"to_status": Milestone.Status.CANCELLED, "confirmed": True},
        )


class CancelAssignmentForm(forms.Form):
    """The question before an assignment is cancelled: why, and the answer "yes"."""

    confirmed = forms.BooleanField(widget=forms.HiddenInput, initial=True)
    reason = forms.CharField(
        label=_("Varför avbryts uppdraget?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Ange varför uppdraget avbryts.")},
    )

    def __init__(self, data=None):
        super().__init__(data, auto_id="cancel-%s")


class MilestoneDueForm(forms.Form):
    new_due = forms.DateField(
        label=_("Nytt slutdatum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=_("Varför flyttas datumet?"),
        error_messages={"required": _("Ange varför datumet flyttas.")},
    )

    @classmethod
    def of(cls, milestone: Milestone, data=None) -> MilestoneDueForm:
        """The form of this milestone's row, the current due date filled in."""
        return cls(data, auto_id=f"due-{milestone.pk}-%s", initial={"new_due": milestone.due})


class DeliveryForm(forms.Form):
    """The final delivery, on the assignment page and on viewflow's task page alike."""

    summary = forms.CharField(
        label=_("Sammanfattning av slutleveransen"), widget=forms.Textarea(attrs={"rows": 5})
    )
    document = forms.FileField(
        label=_("Dokument"),
        required=False,
        validators=[storage.validate_document],
        widget=forms.ClearableFileInput(attrs={"accept": storage.ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = _(
            "Tillåtna filtyper: %(allowed)s. Högst %(limit)s."
        ) % {
            "allowed": ", ".join(storage.DOCUMENT_TYPES),
            "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES),
        }

    def clean(self):
        if self.errors:
            self.note_lost_files()
        return super().clean()

    def note_lost_files(self) -> None:
        """Say that a chosen file must be chosen again: a browser cannot refill a file input,
        so when the form comes back refused (by a field or by the service), the file is gone."""
        if self.add_prefix("document") in self.files and not any(
            e.code == "choose_again" for e in self.errors.as_data().get("document", [])
        ):
            self.add_error(
                "document",
                forms.ValidationError(
                    _("Välj filen igen: en vald fil följer inte med när formuläret visas på nytt."),
                    code="choose_again",
                ),
            )


class ApproveForm(forms.Form):
    decided_on = forms.DateField(
        label=_("Datum för beslut"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    paragraph_reference = forms.CharField(label=_("Paragraf (§)"), required=False, max_length=40)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Varför återremitteras leveransen?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Skriv varför leveransen återremitteras.")},
    )


class ReassignForm(forms.Form):
    task = forms.IntegerField(widget=forms.HiddenInput)
    new_owner = forms.ModelChoiceField(
        label=_("Ställföreträdare"), queryset=User.objects.filter(is_active=True)
    )
    reason = forms.CharField(label=_("Motivering"))

    @classmethod
    def of(cls, task, data=None) -> ReassignForm:
        """The form under this task on the assignment page (its own ids: one per task)."""
        return cls(data, auto_id=f"reassign-{task.pk}-%s", initial={"task": task.pk})


class ImportUploadForm(forms.Form):
    """An uppdragshandling to read: checked as delivery documents are (type by content, size),
    then for the formats the importer reads."""

    document = forms.FileField(
        label=_("Uppdragshandling (.docx, .pdf eller .txt)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt"}),
        error_messages={"required": _("Välj en fil att importera.")},
    )

    def clean_document(self):
        from documents.importer import EXTENSIONS

        upload = self.cleaned_data["document"]
        storage.validate_document(upload)
        if storage.extension_of(upload.name) not in EXTENSIONS:
            raise forms.ValidationError(
                _("Bara .docx, .pdf och .txt kan importeras."), code="type_not_importable"
            )
        return upload


class NewVersionForm(forms.Form):
    """ "Ny version": the new document's date, and its final delivery (the old one's may have
    passed: a new version is often made because it did)."""

    document_date = forms.DateField(
        label=_("Den nya handlingens datum"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    delivery_due = forms.DateField(
        label=_("Slutleverans senast"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, assignment=None, **kwargs):
        super().__init__(*args, **kwargs)
        if assignment is not None:
            self.fields["delivery_due"].initial = assignment.delivery_due
        for name, bound in self.fields.items():
            bound.widget.attrs["id"] = f"new-version-{name.replace('_', '-')}"


class VersionChoiceForm(forms.Form):
    """Which two versions of a document to compare."""

    fran = forms.TypedChoiceField(label=_("Jämför"), coerce=int)
    till = forms.TypedChoiceField(label=_("med"), coerce=int)

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.pk, version_label(v)) for v in versions]
        self.fields["fran"].choices = choices
        self.fields["till"].choices = choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("fran") is not None and cleaned.get("fran") == cleaned.get("till"):
            raise forms.ValidationError(_("Välj två olika versioner."))
        return cleaned


def version_label(assignment) -> str:
    """ "2025-06-18 – Koncernkontorets organisering … (Ersatt)"."""
    return f"{assignment.document_date:%Y-%m-%d} – {assignment.title} ({assignment.state_label})"


class AbsenceForm(forms.Form):
    """An absence (frånvaro) from–to, and the stand-in (ersättare) among those the rules allow
    (assignments.permissions.stand_in_candidates); workflow.services.set_absence decides."""

    starts = forms.DateField(
        label=_("Från och med"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends = forms.DateField(
        label=_("Till och med"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    stand_in = forms.ModelChoiceField(
        label=_("Ersättare"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Ingen ersättare"),
        help_text=_(
            "Ersättaren svarar på dina godkännanden och får dina påminnelser medan du är borta. "
            "Den som själv beslutar om eller arbetar med ett uppdrag kan inte svara för dig där: "
            "då väntar godkännandet på dig."
        ),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stand_in"].queryset = candidates.order_by("first_name", "last_name", "pk")
        self.fields["stand_in"].label_from_instance = lambda p: p.get_full_name() or p.username
