import datetime as dt

import icalendar
import pytest
from django.conf import settings

from reminders.messages import compose
from reminders.models import Reminder

pytestmark = pytest.mark.django_db


def test_the_ics_is_the_deadline_as_an_all_day_event(seed004, clock):
    reminder = Reminder.objects.filter(
        milestone__kind="compilation", kind=Reminder.Kind.BEFORE_DUE
    ).first()
    message = compose(reminder)
    ical = icalendar.Calendar.from_ical(message.ics)
    assert str(ical["METHOD"]) == "PUBLISH"
    (event,) = ical.walk("VEVENT")
    assert str(event["SUMMARY"]) == message.subject
    assert str(event["URL"]) == message.link
    assert str(event["UID"]) == f"milestone-{reminder.milestone_id}@{settings.MESSAGE_ID_DOMAIN}"
    assert event.decoded("DTSTART") == dt.date(2025, 11, 28)  # Sunday 30 Nov: the Friday
    assert event.decoded("DTEND") == dt.date(2025, 11, 29)
    assert event.decoded("DTSTAMP") == dt.datetime(2025, 10, 1, 9, 0, tzinfo=dt.UTC)  # now


@pytest.mark.parametrize("kind", [Reminder.Kind.DECISION_WAITING, Reminder.Kind.DIGEST])
def test_no_ics_without_a_deadline(seed004, clock, people_, kind):
    from reminders import services
    from workflow import services as workflow

    workflow.submit_delivery(assignment=seed004, actor=people_("jan.strang"), summary="Förslag")
    services.plan_digests(dt.date(2025, 10, 1))
    assert compose(Reminder.objects.filter(kind=kind).first()).ics is None


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


def calendar_event(reminder: Reminder) -> icalendar.Event:
    return icalendar.Calendar.from_ical(compose(reminder).ics).walk("VEVENT")[0]


def test_the_calendar_event_follows_the_due_date_with_a_rising_sequence(seed004, clock, people_):
    """One event per deadline (a stable UID): each move of the due date, back to an earlier
    date too, gives the event a higher SEQUENCE, so calendars replace it instead of keeping
    the old date or ignoring the new one (RFC 5546)."""
    from reminders import calendar
    from workflow.services import move_milestone_due

    compilation = seed004.milestones.get(kind="compilation")

    def events():
        rows = Reminder.objects.filter(milestone=compilation, state="planned").exclude(
            kind=Reminder.Kind.OVERDUE  # planned later, as the others
        )
        assert rows.count() >= 3
        return [calendar_event(row) for row in rows]

    first = events()
    uid = str(first[0]["UID"])
    assert {str(e["UID"]) for e in first} == {uid}
    sequence = first[0]["SEQUENCE"]
    assert {e["SEQUENCE"] for e in first} == {sequence}
    assert first[0].decoded("DTSTART") == dt.date(2025, 11, 28)  # Sunday 30 Nov: the Friday
    for new_due in [dt.date(2025, 12, 12), dt.date(2025, 11, 30), dt.date(2026, 1, 16)]:
        move_milestone_due(
            milestone=compilation, actor=people_("jan.strang"), new_due=new_due, reason="Flyttad"
        )
        moved = events()
        assert {str(e["UID"]) for e in moved} == {uid}
        assert len({e["SEQUENCE"] for e in moved}) == 1
        assert moved[0]["SEQUENCE"] > sequence, new_due
        sequence = moved[0]["SEQUENCE"]
        assert moved[0].decoded("DTSTART") == calendar.working_day_on_or_before(new_due)
    # another deadline is another event
    other = Reminder.objects.filter(state="planned", milestone__isnull=False).exclude(
        milestone=compilation
    )
    assert str(calendar_event(other.first())["UID"]) != uid
