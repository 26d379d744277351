"""The settings page's choices of what a person is told about (reminders.preferences)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .events import DESCRIPTIONS
from .models import EVENT_KINDS

CHANNELS = (("in_app", _("i appen")), ("by_email", _("via e-post")))


class NotificationChoicesForm(forms.Form):
    """One checkbox per kind of event and channel, checked when the person is told that way."""

    def __init__(self, *args, choices: dict[str, tuple[bool, bool]], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in EVENT_KINDS:
            for position, (channel, channel_name) in enumerate(CHANNELS):
                self.fields[f"{kind}-{channel}"] = forms.BooleanField(
                    required=False,
                    initial=choices[kind][position],
                    label=_("%(event)s, %(channel)s")
                    % {"event": DESCRIPTIONS[kind], "channel": channel_name},
                )

    def rows(self) -> list[dict]:
        """The form as the page's table: one row per kind, its two checkboxes."""
        return [
            {
                "kind": kind,
                "description": DESCRIPTIONS[kind],
                "fields": [self[f"{kind}-{channel}"] for channel, _name in CHANNELS],
            }
            for kind in EVENT_KINDS
        ]

    def chosen(self) -> dict[str, tuple[bool, bool]]:
        """kind → (in the app, by e-mail), from a valid form."""
        data = self.cleaned_data
        return {
            kind: tuple(data[f"{kind}-{channel}"] for channel, _name in CHANNELS)
            for kind in EVENT_KINDS
        }
