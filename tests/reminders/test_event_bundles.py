"""The process's events to one person in one minute go out as one mail (issue 29, item 6):
three mails within five seconds at an adoption were one too many. The outbox bundles them as
it bundles deadline reminders (dispatch.BUNDLED_KINDS: one rule), each event a line of its own
with what it adds; an event alone is still its own mail."""

import pytest
from django.core.management import call_command

from assignments.models import Assignment, User
from reminders import events
from reminders.models import Reminder
from tests.reminders.test_events import DNR, body, send_due

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind


@pytest.fixture
def draft(clock):
    call_command("load_demo", "--draft", "--seed-only", verbosity=0)
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
