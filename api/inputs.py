"""What the API writes: plain serializers of the input a service takes, named as the pages'
forms name it, so that a service's field error lands on the field sent."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from assignments import storage
from assignments.models import (
    Milestone,
)

# -- people and units --------------------------------------------------------------------------


class TextField(serializers.CharField):
    """Text, and only text: REST framework's CharField would take a JSON number for a comment."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class MilestoneStatusSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Milestone.Status.choices, label=_("Ny status"))
    comment = TextField(
        label=_("Kommentar"), required=False, allow_blank=True, default="", max_length=5000
    )


class MilestoneDueSerializer(serializers.Serializer):
    new_due = serializers.DateField(label=_("Nytt slutdatum"))
    reason = TextField(label=_("Varför flyttas datumet?"), max_length=5000)


class DeliveryInputSerializer(serializers.Serializer):
    summary = TextField(label=_("Sammanfattning av slutleveransen"), max_length=20000)
    document = serializers.FileField(
        label=_("Dokument"),
        required=False,
        allow_null=True,
        validators=[storage.validate_document],  # as the page's form: on the field
        help_text=_("PDF, Office, OpenDocument, bild eller text (multipart/form-data)."),
    )


class ApproveSerializer(serializers.Serializer):
    decided_on = serializers.DateField(
        label=_("Datum för beslut"), required=False, help_text=_("Dagens datum om det utelämnas.")
    )
    paragraph_reference = TextField(
        label=_("Paragraf (§)"), required=False, allow_blank=True, default="", max_length=40
    )


class ReturnSerializer(serializers.Serializer):
    comment = TextField(
        label=_("Varför återremitteras leveransen?"),
        max_length=5000,
        error_messages={"required": _("Skriv varför leveransen återremitteras.")},
    )
