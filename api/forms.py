from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Namn på nyckeln"),
        max_length=100,
        help_text=_("Vad den används till, till exempel ”Diariet” eller ”Power BI”."),
        error_messages={"required": _("Ge nyckeln ett namn, till exempel systemets.")},
    )
