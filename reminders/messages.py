"""What a reminder says: subject, plain text, HTML, a link and an .ics for the deadline.

Swedish by default, the recipient's own language when they have chosen one.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from assignments.links import process_url
from assignments.models import Milestone

from . import calendar
from .models import Reminder


@dataclass
class Message:
    subject: str
    text: str
    html: str
    link: str
    ics: bytes | None


def short_date(day: dt.date) -> str:
    """ "28 nov", as Swedes write a date in running text: what dateformat's "j M" gives,
    lower-cased (tests compare the two), without building a DateFormat for each reminder."""
    return f"{day.day} {str(MONTHS_3[day.month]).lower()}"


@functools.lru_cache(maxsize=64)
def _kind_label(kind: str, language: str) -> str:
    """A milestone kind's name in one language (get_kind_display() rebuilt the dict of all
    choices for every reminder)."""
    with translation.override(language):
        return str(Milestone.Kind(kind).label)


def _what(reminder: Reminder) -> str:
    if reminder.milestone_id:
        milestone = reminder.milestone
        if milestone.kind != milestone.Kind.OTHER:
            return _kind_label(milestone.kind, translation.get_language())
        return milestone.title
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


# Only the template a reminder needs is translated (lazily, in the recipient's language).
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
        return _("Uppdrag: din sammanfattning %(day)s") % {"day": short_date(reminder.due_date)}
    # A deadline on a weekend or holiday is in practice the working day before it
    # ("Nov 2025" ends on Sunday 30 Nov: the compilation must be ready Friday 28 Nov).
    due = calendar.working_day_on_or_before(reminder.due_date) if reminder.due_date else None
    values = {
        "what": _what(reminder),
        "dnr": reminder.assignment.registration_number,
        "date": short_date(due) if due else "",
    }
    return str(_SUBJECTS[reminder.kind]) % values


@functools.lru_cache(maxsize=16)
def _labels(language: str) -> dict[str, str]:
    """The fixed words of a reminder in one language, translated once per process (the
    templates used {% translate %} for each, which cost a third of rendering them)."""
    with translation.override(language):
        return {
            "assignment": pgettext("reminder", "Uppdrag"),  # one assignment, not the menu
            "milestone": _("Aktivitet"),
            "due": _("Slutdatum"),
            "open": _("Öppna"),
            "open_in_app": _("Öppna i Uppdrag"),
            "footer": _("Det här meddelandet skickades av Uppdrag."),
            "settings": _("Språk och daglig sammanfattning väljer du under Inställningar"),
        }


def _reminder_context(reminder: Reminder, language: str) -> dict:
    """What the reminder templates show, as plain strings: a greeting, the facts as
    (label, value) rows, the link's words."""
    labels = _labels(language)
    assignment = reminder.assignment
    facts = [(labels["assignment"], f"{assignment.registration_number} {assignment.title}")]
    if reminder.milestone_id:
        facts.append((labels["milestone"], reminder.milestone.title))
    if reminder.due_date:
        # The day the subject names: a deadline on a weekend or holiday is the working day
        # before it, and the body says so rather than show another date than the subject.
        effective = calendar.working_day_on_or_before(reminder.due_date)
        value = effective.isoformat()
        if effective != reminder.due_date:
            value = _("%(day)s (%(due)s är ingen arbetsdag)") % {
                "day": value,
                "due": reminder.due_date.isoformat(),
            }
        facts.append((labels["due"], value))
    return {
        "greeting": _("Hej %(name)s!") % {"name": reminder.recipient.get_full_name()},
        "facts": facts,
        "labels": labels,
    }


def _ics_text(value: str) -> str:
    """TEXT escaping of RFC 5545 (3.3.11): backslash, semicolon, comma and line breaks."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _ics_line(line: str) -> bytes:
    """One content line, folded (RFC 5545 3.1): at most 75 octets a line, continued after
    CRLF and a space, never inside a UTF-8 sequence or a backslash escape."""
    data = line.encode()
    parts = []
    limit = 75
    while len(data) > limit:
        cut = limit
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to its lead byte
            cut -= 1
        backslashes = len(data[:cut]) - len(data[:cut].rstrip(b"\\"))
        if backslashes % 2:  # the line would end in the middle of an escape such as "\,"
            cut -= 1
        parts.append(data[:cut])
        data = data[cut:]
        limit = 74  # the leading space of a continuation line counts
    parts.append(data)
    return b"\r\n ".join(parts)


def _ics(reminder: Reminder, subject: str, link: str) -> bytes | None:
    """The deadline as an all-day event. Written directly rather than with the icalendar
    library: a dozen fixed lines, and building them through icalendar's generic components
    cost about as much as rendering both bodies of the message (tests parse the result with
    icalendar to check it)."""
    if not reminder.due_date or reminder.kind in (
        Reminder.Kind.DIGEST,
        Reminder.Kind.DECISION_WAITING,
    ):
        return None
    due = calendar.working_day_on_or_before(reminder.due_date)
    uid = f"{reminder.subject_key.replace(':', '-')}@{settings.MESSAGE_ID_DOMAIN}"
    stamp = timezone.now().astimezone(dt.UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Uppdrag//reminders//SV",
        # RFC 6047: the same method as the attachment's Content-Type names (channels.py)
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"SUMMARY:{_ics_text(subject)}",
        f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
        f"DTEND;VALUE=DATE:{due + dt.timedelta(days=1):%Y%m%d}",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"UID:{_ics_text(uid)}",
        f"URL:{link}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return b"".join(_ics_line(line) + b"\r\n" for line in lines)


def _settings_url() -> str:
    return settings.SITE_URL + reverse("user_settings")


def compose(reminder: Reminder) -> Message:
    """The message for one reminder, in the recipient's language."""
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
            context.update(_reminder_context(reminder, language))
            name = "reminder"
        text = render_to_string(f"reminders/{name}.txt", context)
        html = render_to_string(f"reminders/{name}.html", context)
        return Message(subject, text, html, link, _ics(reminder, subject, link))
