from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments import documents
from assignments.models import Milestone, User


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 3}))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MilestoneStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Ny status"), choices=Milestone.Status.choices)
    comment = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MilestoneDueForm(forms.Form):
    new_due = forms.DateField(
        label=_("Nytt slutdatum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=_("Varför flyttas datumet?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DeliveryForm(forms.Form):
    """The final delivery, on the assignment page and on viewflow's task page alike."""

    summary = forms.CharField(
        label=_("Sammanfattning av slutleveransen"), widget=forms.Textarea(attrs={"rows": 5})
    )
    document = forms.FileField(
        label=_("Dokument"),
        required=False,
        validators=[documents.validate_document],
        widget=forms.ClearableFileInput(attrs={"accept": documents.ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = _(
            "Tillåtna filtyper: %(allowed)s. Högst %(limit)s."
        ) % {
            "allowed": ", ".join(documents.DOCUMENT_TYPES),
            "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES),
        }

    def clean(self):
        # A browser cannot refill a file input: when the form comes back, the file is gone.
        if self.errors and self.add_prefix("document") in self.files:
            self.add_error(
                "document",
                _("Välj filen igen: en vald fil följer inte med när formuläret visas på nytt."),
            )
        return super().clean()


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
    reason = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 2}))


class ImportUploadForm(forms.Form):
    """An uppdragshandling to read: checked as delivery documents are (type by content, size),
    then for the formats the importer reads."""

    document = forms.FileField(
        label=_("Uppdragshandling (.docx, .pdf eller .txt)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt"}),
        error_messages={"required": _("Välj en fil att importera.")},
    )

    def clean_document(self):
        from assignments.importer import EXTENSIONS

        upload = self.cleaned_data["document"]
        documents.validate_document(upload)
        if documents.extension_of(upload.name) not in EXTENSIONS:
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
