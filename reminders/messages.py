"""What a reminder says: subject, plain text, HTML, a link and an .ics for the deadline.

Swedish by default, the recipient's own language when they have chosen one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import icalendar
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assignments.links import process_url

from . import calendar
from .models import Reminder


@dataclass
class Message:
    subject: str
    text: str
    html: str
    link: str
    ics: bytes | None


def _what(reminder: Reminder) -> str:
    if reminder.milestone_id:
        milestone = reminder.milestone
        if milestone.kind == milestone.Kind.OTHER:
            return milestone.title
        return milestone.get_kind_display()
    return _("Slutleveransen")


def decision_url(assignment_id: int) -> str:
    """The absolute link to the decision form of an assignment's submitted delivery."""
    return settings.SITE_URL + reverse("workflow:decision", args=[assignment_id])


def _link(reminder: Reminder) -> str:
    if reminder.kind == Reminder.Kind.DIGEST:
        return settings.SITE_URL + "/"
    if reminder.kind == Reminder.Kind.DECISION_WAITING:
        # Straight to the decision form, as the in-app event of the same delivery links.
        return decision_url(reminder.assignment_id)
    return process_url(reminder.assignment_id, reminder.milestone_id)


# The subject of each kind of reminder (translated when used, in the recipient's language).
_SUBJECTS = {
    Reminder.Kind.BEFORE_DUE: gettext_lazy("Påminnelse: %(what)s (%(dnr)s) ska vara klar %(date)s"),
    Reminder.Kind.DUE_DAY: gettext_lazy(
        "Påminnelse: %(what)s (%(dnr)s) ska vara klar i dag, %(date)s"
    ),
    Reminder.Kind.OVERDUE: gettext_lazy(
        "Försenad: %(what)s (%(dnr)s) skulle ha varit klar %(date)s"
    ),
    Reminder.Kind.ESCALATION: gettext_lazy(
        "Eskalering: %(what)s (%(dnr)s) är försenad sedan %(date)s"
    ),
    Reminder.Kind.DECISION_WAITING: gettext_lazy("Väntar på ditt beslut: slutleverans (%(dnr)s)"),
}


def _subject(reminder: Reminder) -> str:
    if reminder.kind == Reminder.Kind.DIGEST:
        day = formats.date_format(reminder.due_date, "j M").lower()  # "28 nov", as in a text
        return _("Uppdrag: din sammanfattning %(day)s") % {"day": day}
    # A deadline on a weekend or holiday is in practice the working day before it
    # ("Nov 2025" ends on Sunday 30 Nov: the compilation must be ready Friday 28 Nov).
    due = calendar.working_day_on_or_before(reminder.due_date) if reminder.due_date else None
    values = {
        "what": _what(reminder),
        "dnr": reminder.assignment.registration_number,
        "date": formats.date_format(due, "j M").lower() if due else "",
    }
    return str(_SUBJECTS[reminder.kind]) % values


def subject(reminder: Reminder) -> str:
    """The reminder's subject in the active language: its e-mail's, and its notification's as
    whoever reads it reads it (reminders.notices)."""
    return _subject(reminder)


def _due(reminder: Reminder) -> str:
    """The day the subject names: a deadline on a weekend or holiday is the working day before
    it, and the body says so rather than show another date than the subject."""
    effective = calendar.working_day_on_or_before(reminder.due_date)
    if effective == reminder.due_date:
        return effective.isoformat()
    return _("%(day)s (%(due)s är ingen arbetsdag)") % {
        "day": effective.isoformat(),
        "due": reminder.due_date.isoformat(),
    }


def _ics(reminder: Reminder, subject: str, link: str) -> bytes | None:
    """The deadline as an all-day event: one event per deadline (its UID), whose SEQUENCE
    rises each time the due date moves, so a calendar replaces the event it already has."""
    if not reminder.due_date or reminder.kind in (
        Reminder.Kind.DIGEST,
        Reminder.Kind.DECISION_WAITING,
    ):
        return None
    due = calendar.working_day_on_or_before(reminder.due_date)
    event = icalendar.Event()
    event.add("uid", f"{reminder.subject_key.replace(':', '-')}@{settings.MESSAGE_ID_DOMAIN}")
    event.add("sequence", reminder.due_revision)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", due)
    event.add("dtend", due + dt.timedelta(days=1))
    event.add("summary", subject)
    event.add("url", link)
    ical = icalendar.Calendar()
    ical.add("prodid", "-//Uppdrag//reminders//SV")
    ical.add("version", "2.0")
    ical.add("method", "PUBLISH")  # as the attachment's Content-Type says (channels.py)
    ical.add_component(event)
    return ical.to_ical()


def _settings_url() -> str:
    return settings.SITE_URL + reverse("user_settings")


def compose(reminder: Reminder) -> Message:
    """The message for one reminder, in the recipient's language."""
    if reminder.is_event:  # an event of the process, told at once (reminders.events)
        from .events import compose_event

        return compose_event(reminder)
    language = reminder.recipient.language or settings.LANGUAGE_CODE
    with translation.override(language):
        link = _link(reminder)
        subject = _subject(reminder)
        context = {
            "reminder": reminder,
            "subject": subject,
            "link": link,
            "settings_url": _settings_url(),
            "recipient": reminder.recipient,
            "language": language,
        }
        if reminder.kind == Reminder.Kind.DIGEST:
            from .digest import digest_items

            context["items"] = digest_items(reminder.recipient, reminder.due_date)
            name = "digest"
        else:
            context["due"] = _due(reminder) if reminder.due_date else ""
            name = "reminder"
        text = render_to_string(f"reminders/{name}.txt", context)
        html = render_to_string(f"reminders/{name}.html", context)
        return Message(subject, text, html, link, _ics(reminder, subject, link))
