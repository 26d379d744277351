import datetime as dt

import icalendar
import pytest
import time_machine
from django.conf import settings

from reminders.messages import compose, compose_bundle
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
    assert event.decoded("DTSTART") == dt.date(2025, 11, 30)  # as registered, a Sunday
    assert event.decoded("DTEND") == dt.date(2025, 12, 1)
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
                # the due date as registered (a Sunday), without the year: it is this year's
                "Påminnelse: Sammanställning (RS 2024-05699) ska vara klar 30 nov",
                "Hej Jan Sträng!",
                "Uppdrag: RS 2024-05699 ",
                "Aktivitet: ",
                "Slutdatum: 30 nov\n",
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
                "Reminder: Compilation (RS 2024-05699) is due 30 Nov",
                "Hello Jan Sträng",
                "Assignment: RS 2024-05699 ",
                "Activity: ",
                "Due date: 30 Nov\n",
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
    assert first[0].decoded("DTSTART") == dt.date(2025, 11, 30)  # as registered, a Sunday
    for new_due in [dt.date(2025, 12, 12), dt.date(2025, 11, 30), dt.date(2026, 1, 16)]:
        move_milestone_due(
            milestone=compilation, actor=people_("jan.strang"), new_due=new_due, reason="Flyttad"
        )
        moved = events()
        assert {str(e["UID"]) for e in moved} == {uid}
        assert len({e["SEQUENCE"] for e in moved}) == 1
        assert moved[0]["SEQUENCE"] > sequence, new_due
        sequence = moved[0]["SEQUENCE"]
        assert moved[0].decoded("DTSTART") == new_due
    # another deadline is another event
    other = Reminder.objects.filter(state="planned", milestone__isnull=False).exclude(
        milestone=compilation
    )
    assert str(calendar_event(other.first())["UID"]) != uid


# --- the date a reminder states (#17 item 3) --------------------------------------------


def test_a_date_has_the_year_only_when_it_is_not_this_years():
    from django.utils import translation

    from reminders.parts import date_text

    today = dt.date(2026, 1, 5)
    assert date_text(dt.date(2026, 8, 31), today) == "31 aug"
    assert date_text(dt.date(2025, 8, 31), today) == "31 aug 2025"
    assert date_text(dt.date(2027, 1, 4), today) == "4 jan 2027"
    with translation.override("en"):
        assert date_text(dt.date(2025, 8, 31), today) == "31 Aug 2025"


def test_an_overdue_reminder_states_the_due_date_as_registered_not_the_working_day_before(
    seed004,
):
    """Resurssättning is due Sunday 31 Aug 2025: its reminders went by the Friday before, but
    the text says the 31st, and from the next year on with the year."""
    row = Reminder.objects.get(
        assignment=seed004,
        milestone__kind="resource_allocation",
        kind=Reminder.Kind.OVERDUE,
        recipient__username="jan.strang",
        sequence=0,
    )
    with time_machine.travel(dt.datetime(2025, 10, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        assert compose(row).subject == (
            "Försenad: Resurssättning (RS 2024-05699) skulle ha varit klar 31 aug"
        )
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC), tick=False):
        message = compose(row)
    assert message.subject == (
        "Försenad: Resurssättning (RS 2024-05699) skulle ha varit klar 31 aug 2025"
    )
    assert "Slutdatum: 31 aug 2025\n" in message.text
    (event,) = icalendar.Calendar.from_ical(message.ics).walk("VEVENT")
    assert event.decoded("DTSTART") == dt.date(2025, 8, 31)


def test_reminders_across_new_year_state_the_registered_date_with_the_year_when_it_is_past(
    seed004, smtp, clock, people_
):
    """Sammanställning moved to Wednesday 31 Dec 2025 (nyårsafton, no working day): the due-day
    reminder goes on Tuesday 30 Dec and says the 31st; the overdue one goes on Friday 2 Jan
    2026 (New Year's Day is a holiday) and says "31 dec 2025". The mail, the app and the
    calendar event say the same day."""
    from notifications.models import Notification

    from workflow.services import move_milestone_due

    from .test_dispatch import at, listed, subjects, sweep_inline

    compilation = seed004.milestones.get(kind="compilation")
    jan = people_("jan.strang")
    move_milestone_due(
        milestone=compilation, actor=jan, new_due=dt.date(2025, 12, 31), reason="Helgerna"
    )
    expected = [
        (
            "2025-12-30",
            "Påminnelse: Sammanställning (RS 2024-05699) ska vara klar 31 dec, "
            "i dag är sista arbetsdagen före",
        ),
        (
            "2026-01-02",
            "Försenad: Sammanställning (RS 2024-05699) skulle ha varit klar 31 dec 2025",
        ),
    ]
    for day, subject in expected:
        clock.move_to(at(day))
        sweep_inline(at(day))
        assert subject in subjects(smtp, "jan.strang", "Sammanställning")
        assert Notification.objects.filter(recipient=jan, verb=subject).count() == 1
        (mail,) = [m for m in smtp.inbox.to("jan.strang@example.org") if subject in listed(m)]
        (ics,) = mail.iter_attachments()
        (event,) = [
            e
            for e in icalendar.Calendar.from_ical(ics.get_payload(decode=True)).walk("VEVENT")
            if str(e["UID"]).startswith(f"milestone-{compilation.pk}@")
        ]
        assert event.decoded("DTSTART") == dt.date(2025, 12, 31)


# --- one mail for several reminders (#17 item 8) -----------------------------------------


def jans_due_rows(seed004, day: str) -> list[Reminder]:
    from .test_dispatch import at

    return list(
        Reminder.objects.filter(
            recipient__username="jan.strang", state="planned", planned_at__lte=at(day)
        )
        .select_related("recipient", "assignment", "milestone")
        .order_by("pk")
    )


def test_a_bundle_lists_each_deadline_once_most_urgent_first_with_one_event_each(seed004, clock):
    """Jan's reminders due on 14 Nov, none sent before: several of one deadline (ten and three
    days before, the due day, overdue) are one line, the most urgent; each deadline one
    calendar event; every reminder still an entry of its own for the app."""
    from reminders.messages import _URGENCY

    rows = jans_due_rows(seed004, "2025-11-14")
    deadlines = {row.subject_key for row in rows}
    assert len(rows) > len(deadlines) > 2
    for row in rows:  # each row holds its own copy of the assignment
        row.assignment.title = "Organisering <script>alert(1)</script>"
    message = compose_bundle(rows)
    assert message.subject == f"Uppdrag: {len(deadlines)} påminnelser om RS 2024-05699"
    assert [entry.reminder for entry in message.entries] == rows  # one entry each, in order
    lines = [line.split(". ", 1)[1] for line in message.text.splitlines() if line[:1].isdigit()]
    by_subject = {entry.subject: entry.reminder for entry in message.entries}
    listed = [by_subject[line] for line in lines]
    assert sorted(row.subject_key for row in listed) == sorted(deadlines)  # each deadline once
    for row in listed:  # the most urgent of its deadline
        same = [r for r in rows if r.subject_key == row.subject_key]
        assert _URGENCY.index(row.kind) == min(_URGENCY.index(r.kind) for r in same)
    ranks = [_URGENCY.index(row.kind) for row in listed]
    assert ranks == sorted(ranks) and ranks[0] < ranks[-1]  # what is late comes first
    for row in listed:
        entry = next(e for e in message.entries if e.reminder == row)
        assert entry.link in message.text and entry.link in message.html
    assert "<script>" not in message.html and "&lt;script&gt;" in message.html
    events = icalendar.Calendar.from_ical(message.ics).walk("VEVENT")
    assert sorted(str(e["UID"]).split("@")[0] for e in events) == sorted(
        key.replace(":", "-") for key in deadlines
    )
    for event in events:
        deadline = next(
            r for r in rows if r.subject_key.replace(":", "-") == str(event["UID"]).split("@")[0]
        )
        assert event.decoded("DTSTART") == deadline.due_date
        assert event["SEQUENCE"] == deadline.due_revision
    assert "Alla dina uppdrag: http" in message.text


def test_reminders_of_a_single_deadline_are_its_own_message(seed004, clock):
    from reminders.models import message_id_of

    rows = [
        row
        for row in jans_due_rows(seed004, "2025-11-14")
        if row.milestone and row.milestone.kind == "seminars"
    ]
    assert len(rows) > 1
    message = compose_bundle(rows)
    overdue = next(row for row in rows if row.kind == Reminder.Kind.OVERDUE)
    assert (message.subject, message.text) == (compose(overdue).subject, compose(overdue).text)
    assert len(message.entries) == len(rows)
    assert message_id_of(rows) != overdue.message_id  # the mail of these rows, not of one


def test_a_due_day_reminder_sent_late_does_not_say_today(seed004):
    row = Reminder.objects.filter(
        milestone__kind="compilation", kind=Reminder.Kind.DUE_DAY, recipient__username="jan.strang"
    ).get()
    with time_machine.travel(dt.datetime(2025, 12, 1, 8, 0, tzinfo=dt.UTC), tick=False):
        subject = compose(row).subject
    assert subject == "Påminnelse: Sammanställning (RS 2024-05699) ska vara klar 30 nov"


def test_a_bundle_of_one_is_the_reminders_own_message(seed004, clock):
    (row,) = jans_due_rows(seed004, "2025-10-01")[:1]
    alone, bundled = compose(row), compose_bundle([row])
    assert (bundled.subject, bundled.text, bundled.html, bundled.ics) == (
        alone.subject,
        alone.text,
        alone.html,
        alone.ics,
    )


def test_a_bundle_over_several_assignments_is_written_in_the_recipients_language(
    seed004, clock, people_
):
    from reminders.deadlines import plan_for_milestone
    from tests.factories import AssignmentFactory, MilestoneFactory

    jan = people_("jan.strang")
    jan.language = "en"
    jan.save()
    other = MilestoneFactory(assignment=AssignmentFactory(assignee=jan), due=dt.date(2025, 10, 1))
    plan_for_milestone(other)
    rows = [
        Reminder.objects.filter(milestone=other, kind=Reminder.Kind.DUE_DAY).get(),
        Reminder.objects.filter(milestone__kind="compilation", recipient=jan).first(),
    ]
    message = compose_bundle(rows)
    assert message.subject == "Uppdrag: 2 reminders"
    assert message.text.startswith("Hello Jan Sträng")
    dnr = other.assignment.registration_number
    assert f"Reminder: {other.title} ({dnr}) is due today, 1 Oct" in message.text
    assert "Reminder: Compilation (RS 2024-05699) is due 30 Nov" in message.text
    assert message.text.index("Assignment: RS 2025-") < message.text.index(
        "Assignment: RS 2024-05699"
    )  # under its assignment, the most urgent first (due today)
