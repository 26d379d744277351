"""The process's events to one person in one minute go out as one mail (issue 29, item 6):
three mails within five seconds at an adoption were one too many. The outbox bundles them as
it bundles deadline reminders (dispatch.BUNDLED_KINDS: one rule), each event a line of its own
with what it adds; an event alone is still its own mail."""

import datetime as dt

import pytest
from django_celery_beat.models import PeriodicTask

from assignments.models import Assignment, User
from reminders import events
from reminders.models import Reminder
from tests.reminders.test_events import DNR, body, send_due
from tests.seeding import load_demo

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind


@pytest.fixture
def draft(clock):
    load_demo("--draft", "--seed-only")
    return Assignment.objects.get(registration_number=DNR, state="draft")


def tell(kind, assignment, person, occurrence, **details):
    events.notify_event(
        kind,
        assignment=assignment,
        recipients=[person],
        occurrence=occurrence,
        path=f"/uppdrag/{assignment.pk}/",
        actor=User.objects.get(username="per.albertsson"),
        **details,
    )


def test_two_events_to_one_person_in_one_minute_are_one_mail(draft, smtp):
    jan = User.objects.get(username="jan.strang")
    tell(Kind.ADOPTED, draft, jan, "test:1", reason="Enligt beslut")
    tell(Kind.TASK_DELEGATED, draft, jan, "test:2", task="work", reason="Semester i juli")
    send_due()
    (mail,) = smtp.inbox.to("jan.strang@example.org")
    assert " ".join(str(mail["Subject"]).split()) == f"Uppdrag: 2 händelser om {DNR}"
    text = body(mail)
    assert "Uppdraget är fastställt, arbetet kan börja" in text
    assert "Genomförandet och slutleveransen har lämnats till dig" in text
    assert "Lämnad av Per Albertsson: ”Semester i juli”" in text
    rows = Reminder.objects.filter(recipient=jan, kind__in=[Kind.ADOPTED, Kind.TASK_DELEGATED])
    assert set(rows.values_list("state", flat=True)) == {Reminder.State.SENT}
    assert len(set(rows.values_list("bundle", flat=True))) == 1


def test_an_event_alone_is_its_own_mail(draft, smtp):
    jan = User.objects.get(username="jan.strang")
    tell(Kind.ADOPTED, draft, jan, "test:1")
    send_due()
    (mail,) = smtp.inbox.to("jan.strang@example.org")
    subject = " ".join(str(mail["Subject"]).split())
    assert subject.startswith("Uppdraget är fastställt, arbetet kan börja")


def test_the_sweep_runs_on_the_minute_so_one_minutes_events_are_one_mail(draft, smtp, clock):
    """Beat swept every 60 s from whenever it started: an event at 09:00:10, a sweep at
    09:00:30 and another event at 09:00:50 were two mails. The sweep now runs at the start of
    every calendar minute (a crontab), so the events of one minute to one person are one
    sweep's, and one mail."""
    sweep = PeriodicTask.objects.get(task="reminders.sweep")
    assert sweep.interval is None
    jan = User.objects.get(username="jan.strang")
    clock.move_to("2025-10-01T09:00:10Z")
    tell(Kind.ADOPTED, draft, jan, "test:1", reason="Enligt beslut")
    clock.move_to("2025-10-01T09:00:50Z")
    tell(Kind.TASK_DELEGATED, draft, jan, "test:2", task="work", reason="Semester i juli")
    # the schedule's next run after one at 09:00:00 is 09:01:00, none in between
    last_run = dt.datetime(2025, 10, 1, 9, 0, tzinfo=dt.UTC)
    due, _ = sweep.schedule.is_due(last_run)
    assert not due
    assert sweep.schedule.remaining_estimate(last_run) == dt.timedelta(seconds=10)
    clock.move_to("2025-10-01T09:01:00Z")
    assert sweep.schedule.is_due(last_run)[0]
    send_due()
    (mail,) = smtp.inbox.to("jan.strang@example.org")
    assert " ".join(str(mail["Subject"]).split()) == f"Uppdrag: 2 händelser om {DNR}"
