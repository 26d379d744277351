"""The settings page's choices of what a person is told about (reminders.preferences)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import watch_dates
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


OTHER_DAY = "other"


class WatchDateForm(forms.Form):
    """ "Påminn mig" (reminders.watch_dates): about the assignment or one of its milestones, on a
    day picked from the presets or typed, with a note."""

    about = forms.TypedChoiceField(
        label=_("Påminn mig om"), coerce=int, empty_value=None, required=False
    )
    when = forms.ChoiceField(
        label=_("När"),
        widget=forms.RadioSelect,
        initial=watch_dates.TOMORROW,
        error_messages={"required": _("Välj när du vill bli påmind.")},
    )
    day = forms.DateField(
        label=_("Datum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Om du valt ”Annat datum”."),
    )
    note = forms.CharField(
        label=_("Anteckning"),
        required=False,
        max_length=watch_dates.NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bara du ser den, i påminnelsen och på startsidan."),
    )

    def __init__(self, *args, assignment, milestones, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment, self.today = assignment, today
        self.milestones = {m.pk: m for m in milestones}
        self.fields["about"].choices = [("", _("Hela uppdraget"))] + [
            (m.pk, _("Milstolpe: %(title)s") % {"title": m.title}) for m in milestones
        ]
        self.fields["when"].choices = [
            *watch_dates.PRESETS.items(),
            (OTHER_DAY, _("Annat datum")),
        ]

    def clean(self):
        data = super().clean()
        milestone = self.milestones.get(data.get("about"))
        data["milestone"] = milestone
        when = data.get("when")
        if when == OTHER_DAY:
            if not data.get("day"):
                self.add_error("day", _("Ange ett datum."))
            return data
        if when:
            due = watch_dates.due_of(self.assignment, milestone)
            day = watch_dates.preset_day(when, today=self.today, due=due)
            if day is None:
                self.add_error("when", _("Det finns inget slutdatum att räkna från."))
            elif day < self.today:
                self.add_error("when", _("Slutdatumet har redan passerat."))
            data["day"] = day
        return data
