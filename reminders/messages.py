"""What a reminder says: subject, plain text, HTML, a link and an .ics for the deadline.

One reminder is one mail (`compose`); the reminders of one person that go out together are one
mail listing each of them (`compose_bundle`), with one calendar event per deadline. Each
reminder is also an `Entry` (reminders.parts): what the app shows as its notification and what
a bundle lists. `compose` hands an event of the process to reminders.events and a monthly report
to reminders.monthly_report; those build on reminders.parts and never import this module.

Swedish by default, the recipient's own language when they have chosen one. A date is the
deadline as registered (the milestone's or the assignment's due date), with the year when it is
not this year's: the working-day rule decides only *when* a reminder goes out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import icalendar
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assignments import permissions
from assignments.links import process_url

from . import calendar, reply_address
from .deadlines import stands_in_for
from .models import Reminder
from .parts import Entry, Message, date_text, decision_url
from .planning import DEADLINE_KINDS


def _what(reminder: Reminder) -> str:
    if reminder.kind == Reminder.Kind.WATCH_DATE and not reminder.milestone_id:
        return reminder.assignment.title  # a watch date on the assignment itself
    if reminder.milestone_id:
        milestone = reminder.milestone
        if milestone.kind == milestone.Kind.OTHER:
            return milestone.title
        return milestone.get_kind_display()
    return _("Slutleveransen")


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
    Reminder.Kind.WATCH_DATE: gettext_lazy("Påminn mig: %(what)s (%(dnr)s), %(date)s"),
}
# A deadline on a weekend or holiday is reminded on the working day before it ("Nov 2025" ends
# on Sunday 30 Nov: the due-day reminder goes on Friday 28 Nov), and says so.
_DUE_AFTER_TODAY = gettext_lazy(
    "Påminnelse: %(what)s (%(dnr)s) ska vara klar %(date)s, i dag är sista arbetsdagen före"
)


def _subject(reminder: Reminder, today: dt.date) -> str:
    if reminder.kind == Reminder.Kind.DIGEST:
        return _("Uppdrag: din sammanfattning %(day)s") % {
            "day": date_text(reminder.due_date, today)
        }
    subject = _SUBJECTS[reminder.kind]
    if reminder.kind == Reminder.Kind.DUE_DAY and reminder.due_date != today:
        # "today" only when it is so: a due-day reminder that goes out late (a relay down over
        # the weekend) states the date, as a reminder before it does.
        on_the_day = calendar.working_day_on_or_before(reminder.due_date) == today
        subject = _DUE_AFTER_TODAY if on_the_day else _SUBJECTS[Reminder.Kind.BEFORE_DUE]
    values = {
        "what": _what(reminder),
        "dnr": reminder.assignment.registration_number,
        "date": date_text(reminder.due_date, today) if reminder.due_date else "",
    }
    return str(subject) % values


def _entry(reminder: Reminder, today: dt.date) -> Entry:
    """The reminder as a line, in the active language."""
    if reminder.is_event:
        from .events import entry

        return entry(reminder)
    due, detail = "", ""
    if reminder.kind == Reminder.Kind.WATCH_DATE:
        detail = note_of(reminder)  # the day is in the subject; no deadline to state
    elif reminder.due_date and reminder.kind != Reminder.Kind.DIGEST:
        due = date_text(reminder.due_date, today)
        detail = standing_in(reminder)
    return Entry(reminder, _subject(reminder, today), _link(reminder), due, detail)


def standing_in(reminder: Reminder) -> str:
    """ "Du får det här som ersättare för Per Albertsson, som är frånvarande till 2027-07-31"
    when the recipient gets a deadline's reminder as the stand-in of someone away, else ""."""
    if reminder.kind not in DEADLINE_KINDS:
        return ""
    absence = stands_in_for(reminder)
    if absence is None:
        return ""
    return _("Du får det här som ersättare för %(person)s, som är frånvarande till %(ends)s.") % {
        "person": absence.person.get_full_name() or absence.person,
        "ends": absence.ends.isoformat(),
    }


def note_of(reminder: Reminder) -> str:
    """What the person wrote on their watch date ("" for any other reminder): theirs alone."""
    if reminder.kind != Reminder.Kind.WATCH_DATE or reminder.watch_date is None:
        return ""
    return reminder.watch_date.note


def answerable(reminder: Reminder) -> int | None:
    """The milestone a reply to this reminder acts on (reminders.reply_address), or None. A
    watch date is set by anyone who may see the assignment: its reply acts on the milestone
    only for one who may at least comment on it (assignments.permissions), so that a reader
    is not asked to answer what would be refused. A watch date on the assignment itself has
    no milestone: there is nothing a reply could update."""
    if not reminder.milestone_id:
        return None
    if reminder.kind == Reminder.Kind.WATCH_DATE and not permissions.can_comment_on_milestone(
        reminder.recipient, reminder.milestone
    ):
        return None
    return reminder.milestone_id


def subject(reminder: Reminder) -> str:
    """The reminder's subject in the active language: its e-mail's, and its notification's as
    whoever reads it reads it (reminders.notices)."""
    return _subject(reminder, timezone.localdate())


def event_uid(subject_key: str) -> str:
    """The UID of a deadline's calendar event: the same in every reminder's .ics and in the
    person's calendar feed (workflow.calendar_feed), so a calendar knows it as one event."""
    return f"{subject_key.replace(':', '-')}@{settings.MESSAGE_ID_DOMAIN}"


def deadline_event(
    *, subject_key: str, revision: int, due: dt.date, summary: str, link: str, stamp: dt.datetime
) -> icalendar.Event:
    """A deadline as an all-day event on its registered date: one event per deadline (its UID),
    whose SEQUENCE is the deadline's due revision (reminders.planning), which rises each time
    the due date moves, so a calendar replaces the event it already has."""
    event = icalendar.Event()
    event.add("uid", event_uid(subject_key))
    event.add("sequence", revision)
    event.add("dtstamp", stamp)
    event.add("dtstart", due)
    event.add("dtend", due + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("url", link)
    return event


def _event(entry: Entry) -> icalendar.Event | None:
    """The reminder's deadline as its calendar event (deadline_event), or None."""
    reminder = entry.reminder
    if not reminder.due_date or reminder.kind in (
        Reminder.Kind.DIGEST,
        Reminder.Kind.DECISION_WAITING,
    ):
        return None
    return deadline_event(
        subject_key=reminder.subject_key,
        revision=reminder.due_revision,
        due=reminder.due_date,
        summary=entry.subject,
        link=entry.link,
        stamp=timezone.now(),
    )


def _calendar(entries: Sequence[Entry]) -> bytes | None:
    """One calendar of the entries' deadlines, each deadline once (two reminders of one
    deadline in a bundle, an overdue one and its escalation, are one event), or None."""
    events: dict[str, icalendar.Event] = {}
    for entry in entries:
        event = _event(entry)
        if event is None:
            continue
        uid = str(event["UID"])
        if uid not in events or event["SEQUENCE"] > events[uid]["SEQUENCE"]:
            events[uid] = event
    if not events:
        return None
    ical = icalendar.Calendar()
    ical.add("prodid", "-//Uppdrag//reminders//SV")
    ical.add("version", "2.0")
    ical.add("method", "PUBLISH")  # as the attachment's Content-Type says (channels.py)
    for event in events.values():
        ical.add_component(event)
    return ical.to_ical()


def _settings_url() -> str:
    return settings.SITE_URL + reverse("user_settings")


def _language(reminder: Reminder) -> str:
    return reminder.recipient.language or settings.LANGUAGE_CODE


def compose(reminder: Reminder) -> Message:
    """The message for one reminder, in the recipient's language."""
    if reminder.is_event:  # an event of the process, told at once (reminders.events)
        from .events import compose_event

        return compose_event(reminder)
    if reminder.kind == Reminder.Kind.MONTHLY_REPORT:
        from .monthly_report import compose_monthly_report

        return compose_monthly_report(reminder)
    language = _language(reminder)
    today = timezone.localdate()
    with translation.override(language):
        entry = _entry(reminder, today)
        numbered = [answerable(reminder)] if reminder.kind != Reminder.Kind.DIGEST else []
        context = {
            "reminder": reminder,
            "subject": entry.subject,
            "link": entry.link,
            "settings_url": _settings_url(),
            "recipient": reminder.recipient,
            "language": language,
            "answers": reply_address.answers_by_mail(reminder.recipient) and any(numbered),
            "note": note_of(reminder),
            "standing_in": standing_in(reminder),
        }
        if reminder.kind == Reminder.Kind.DIGEST:
            from .digest import digest_items

            context["items"] = digest_items(reminder.recipient, reminder.due_date)
            name = "digest"
        else:
            context["due"] = entry.due
            name = "reminder"
        text = render_to_string(f"reminders/{name}.txt", context)
        html = render_to_string(f"reminders/{name}.html", context)
        return Message(
            entry.subject, text, html, entry.link, _calendar([entry]), [entry], numbered=numbered
        )


# The order a bundle lists its reminders in: what is late first.
_URGENCY = [
    Reminder.Kind.ESCALATION,
    Reminder.Kind.OVERDUE,
    Reminder.Kind.DECISION_WAITING,
    Reminder.Kind.DUE_DAY,
    Reminder.Kind.BEFORE_DUE,
]


def _urgency(entry: Entry) -> tuple:
    kind = entry.reminder.kind
    rank = _URGENCY.index(kind) if kind in _URGENCY else len(_URGENCY)
    return (rank, entry.reminder.due_date or dt.date.min, entry.reminder.pk)


def _one_per_deadline(entries: Sequence[Entry]) -> list[Entry]:
    """The most urgent entry of each deadline, most urgent first: reminders of one deadline
    that fall due together (after an outage, the ten- and three-day ones and the due day's)
    are one line, as they are one event in the calendar."""
    first: dict[str, Entry] = {}
    for entry in sorted(entries, key=_urgency):
        reminder = entry.reminder
        # an event is no deadline: each is a line of its own
        key = f"event:{reminder.pk}" if reminder.is_event else reminder.subject_key
        first.setdefault(key, entry)
    return list(first.values())


def _events_subject(listed: Sequence[Entry], assignments: int) -> str:
    """A bundle of events only: "Uppdrag: 3 händelser om RS 2024-05699"."""
    count = len(listed)
    if assignments == 1:
        return ngettext(
            "Uppdrag: %(count)d händelse om %(dnr)s",
            "Uppdrag: %(count)d händelser om %(dnr)s",
            count,
        ) % {"count": count, "dnr": listed[0].reminder.assignment.registration_number}
    return ngettext("Uppdrag: %(count)d händelse", "Uppdrag: %(count)d händelser", count) % {
        "count": count
    }


def compose_bundle(reminders: Sequence[Reminder]) -> Message:
    """One message for reminders of one recipient that go out together: each deadline once,
    most urgent first, under its assignment, with its own subject and link, and one calendar
    event per deadline. `entries` holds one entry per reminder (the app shows each). A bundle
    of one deadline is that deadline's own message."""
    if len(reminders) == 1:
        return compose(reminders[0])
    recipient = reminders[0].recipient
    language = _language(reminders[0])
    today = timezone.localdate()
    with translation.override(language):
        entries = [_entry(reminder, today) for reminder in reminders]
        listed = _one_per_deadline(entries)
        if len(listed) == 1:
            message = compose(listed[0].reminder)
            message.entries = entries
            return message
        sections: dict[int, tuple] = {}  # assignment: its entries, numbered through the mail
        for entry in listed:
            assignment = entry.reminder.assignment
            sections.setdefault(assignment.pk, (assignment, []))[1].append(entry)
        numbered, number = [], 0
        for assignment, section in sections.values():
            numbered.append((assignment, [(number := number + 1, entry) for entry in section]))
        count = len(listed)
        if all(entry.reminder.is_event for entry in listed):
            subject = _events_subject(listed, len(sections))
        elif len(sections) == 1:
            subject = ngettext(
                "Uppdrag: %(count)d påminnelse om %(dnr)s",
                "Uppdrag: %(count)d påminnelser om %(dnr)s",
                count,
            ) % {"count": count, "dnr": listed[0].reminder.assignment.registration_number}
        else:
            subject = ngettext(
                "Uppdrag: %(count)d påminnelse", "Uppdrag: %(count)d påminnelser", count
            ) % {"count": count}
        link = settings.SITE_URL + "/"
        milestones = [answerable(e.reminder) for _a, section in numbered for _n, e in section]
        context = {
            "sections": numbered,
            "subject": subject,
            "link": link,
            "settings_url": _settings_url(),
            "recipient": recipient,
            "language": language,
            "answers": reply_address.answers_by_mail(recipient) and any(milestones),
        }
        text = render_to_string("reminders/bundle.txt", context)
        html = render_to_string("reminders/bundle.html", context)
        return Message(subject, text, html, link, _calendar(listed), entries, numbered=milestones)
