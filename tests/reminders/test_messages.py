import datetime as dt

import icalendar
import pytest
from django.conf import settings

from reminders.messages import _ics, _ics_line, compose
from reminders.models import Reminder

pytestmark = pytest.mark.django_db


def icalendar_reference(reminder: Reminder, subject: str, link: str, stamp) -> bytes:
    """The .ics as the icalendar library builds it (how messages.py built it before)."""
    from reminders import calendar

    ical = icalendar.Calendar()
    ical.add("prodid", "-//Uppdrag//reminders//SV")
    ical.add("version", "2.0")
    ical.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"{reminder.subject_key.replace(':', '-')}@{settings.MESSAGE_ID_DOMAIN}")
    event.add("dtstamp", stamp)
    due = calendar.working_day_on_or_before(reminder.due_date)
    event.add("dtstart", due)
    event.add("dtend", due + dt.timedelta(days=1))
    event.add("summary", subject)
    event.add("url", link)
    ical.add_component(event)
    return ical.to_ical()


def properties(ics: bytes) -> list[tuple[str, str, str]]:
    """Every property of every component, decoded, in order."""
    return [
        (component.name, name, value.to_ical().decode())
        for component in icalendar.Calendar.from_ical(ics).walk()
        for name, value in component.property_items(recursive=False)
        if name not in ("BEGIN", "END")
    ]


SUBJECTS = [
    "Påminnelse: Sammanställning (RS 2024-05699) ska vara klar 28 nov",
    "Försenad: Aktivitet; med komma, semikolon och \\ omvänt snedstreck",
    "Eskalering: " + "åäö" * 40,
    "Rad ett\nrad två\r\nrad tre",
    "x" * 73 + "\\,",  # an escape exactly at the fold
    "y" * 72 + "å" + "z" * 100,  # a two-byte character exactly at the fold
]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_ics_holds_what_icalendar_would_write(seed004, clock, subject):
    reminder = Reminder.objects.filter(milestone__isnull=False).first()
    link = "http://127.0.0.1:8000/uppdrag/1/process/#milestone-1"
    ours = _ics(reminder, subject, link)
    stamp = dt.datetime(2025, 10, 1, 9, 0, tzinfo=dt.UTC)  # the clock fixture's now
    assert properties(ours) == properties(icalendar_reference(reminder, subject, link, stamp))
    event = icalendar.Calendar.from_ical(ours).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == subject.replace("\r\n", "\n").replace("\r", "\n")
    assert ours.endswith(b"\r\n")
    assert all(len(line) <= 75 for line in ours.split(b"\r\n"))
    ours.decode()  # never split inside a UTF-8 sequence


def test_a_folded_line_unfolds_to_the_original():
    line = "SUMMARY:" + "Påminnelse\\, " * 30
    folded = _ics_line(line)
    assert folded.replace(b"\r\n ", b"").decode() == line
    assert all(len(part) <= 75 for part in folded.split(b"\r\n"))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "",
            [
                "Påminnelse: Sammanställning (RS 2024-05699) ska vara klar 28 nov",
                "Hej Jan Sträng!",
                "Uppdrag: RS 2024-05699 ",
                "Aktivitet: ",
                # the day the subject names, and why it is not the 30th
                "Slutdatum: 2025-11-28 (2025-11-30 är ingen arbetsdag)",
                "Öppna: http",
                "Det här meddelandet skickades av Uppdrag.",
                "Språk och daglig sammanfattning väljer du under Inställningar: http",
                '/installningar/">Språk och daglig sammanfattning',
                '<html lang="sv">',
                "Öppna i Uppdrag</a>",
            ],
        ),
        (
            "en",
            [
                "Reminder: Compilation (RS 2024-05699) is due 28 nov",
                "Hello Jan Sträng",
                "Assignment: RS 2024-05699 ",
                "Activity: ",
                "Due date: 2025-11-28 (2025-11-30 is not a working day)",
                "Choose your language and daily summary under Settings: http",
                '<html lang="en">',
            ],
        ),
    ],
)
def test_reminder_is_written_in_the_recipients_language(seed004, clock, language, expected):
    reminder = Reminder.objects.filter(
        milestone__kind="compilation", kind=Reminder.Kind.BEFORE_DUE
    ).first()
    reminder.recipient.language = language
    reminder.assignment.title = "Organisering <script>alert(1)</script>"
    message = compose(reminder)
    written = "\n".join([message.subject, message.text, message.html])
    missing = [part for part in expected if part not in written]
    assert not missing, (missing, written)
    assert "<script>" not in message.html and "&lt;script&gt;" in message.html  # escaped
    assert "Organisering <script>alert(1)</script>" in message.text  # plain text: as written


@pytest.mark.parametrize("language", ["sv", "en"])
def test_dates_and_kinds_read_as_django_writes_them(language):
    """short_date() and the milestone kind's name are written without dateformat and
    get_kind_display(), which cost more than the rest of the subject: same words."""
    from django.utils import dateformat, translation

    from assignments.models import Milestone
    from reminders.messages import _what, short_date

    with translation.override(language):
        for month in range(1, 13):
            day = dt.date(2026, month, 9 + month)
            assert short_date(day) == dateformat.format(day, "j M").lower()
        for kind in Milestone.Kind:
            milestone = Milestone(pk=1, kind=kind, title="Egen rubrik")
            reminder = Reminder(milestone=milestone)
            own = kind == Milestone.Kind.OTHER
            assert _what(reminder) == ("Egen rubrik" if own else milestone.get_kind_display())
