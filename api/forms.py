from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from .models import PersonalToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Namn på nyckeln"),
        max_length=100,
        help_text=_("Vad den används till, till exempel ”Diariet” eller ”Power BI”."),
        error_messages={"required": _("Ge nyckeln ett namn, till exempel systemets.")},
    )
    scope = forms.ChoiceField(
        label=_("Vad nyckeln får göra"),
        choices=PersonalToken.Scope.choices,
        initial=PersonalToken.Scope.READ,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj vad nyckeln får göra."),
            "invalid_choice": _("Välj vad nyckeln får göra."),
        },
    )
    days = forms.IntegerField(
        label=_("Giltig antal dagar"),
        min_value=1,
        required=False,  # empty: API_TOKEN_DEFAULT_DAYS
        error_messages={
            "invalid": _("Ange hur många dagar nyckeln ska gälla, som ett heltal."),
            "min_value": _("En API-nyckel gäller minst 1 dag."),
            "max_value": _("En API-nyckel gäller högst %(limit_value)s dagar."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = self.fields["days"]
        days.max_value = settings.API_TOKEN_MAX_DAYS
        days.validators.append(MaxValueValidator(settings.API_TOKEN_MAX_DAYS))
        days.widget.attrs["max"] = settings.API_TOKEN_MAX_DAYS
        days.initial = settings.API_TOKEN_DEFAULT_DAYS
        days.help_text = _("Högst %(max)d. Sedan slutar den att fungera.") % {
            "max": settings.API_TOKEN_MAX_DAYS
        }
