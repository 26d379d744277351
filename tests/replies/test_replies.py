"""Answering a reminder by mail, end to end: a real reminder sent to aiosmtpd, the reply put
into a real Dovecot's inbox, one poll of the mailbox (replies.tasks), and the answer mail."""

import datetime as dt

import pytest

from assignments.models import AuditEntry, Milestone, MilestoneUpdate, User
from reminders import reply_address
from reminders.models import Reminder
from replies.models import InboundReply
from replies.tasks import poll_replies
from tests.reminders.test_dispatch import subject_of, sweep_inline

from .conftest import DONE_FOLDER, NOW, answers, first, parsed, reply_to, token_of

pytestmark = pytest.mark.django_db


def test_a_reply_klar_marks_the_milestone_done_within_one_poll(reminder_mail, smtp, dovecot):
    prefix, milestone = first(reminder_mail)
    assert milestone.status != Milestone.Status.DONE
    reply = reply_to(reminder_mail, f"{prefix}klar")
    dovecot.deliver(reply)

    assert poll_replies() == 1

    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DONE
    person = User.objects.get(email=reminder_mail["To"])
    entry = AuditEntry.objects.get(action="milestone.status_changed", object_id=str(milestone.pk))
    assert entry.actor == person and entry.after == {"status": "done", "via": "e-post"}
    (answer,) = answers(smtp, reminder_mail["To"])
    assert "utfört" in subject_of(answer)
    assert answer["In-Reply-To"] == reply["Message-ID"]
    assert answer["Auto-Submitted"] == "auto-replied"
    body = answer.get_body(("plain",)).get_content()
    assert "Klar" in body and f"#milestone-{milestone.pk}" in body  # the way to undo it
    assert dovecot.count("INBOX") == 0 and dovecot.count(DONE_FOLDER) == 1


def test_ny_tid_moves_the_date_with_the_reason_and_replans(reminder_mail, smtp, dovecot):
    prefix, milestone = first(reminder_mail)
    new_due = milestone.due + dt.timedelta(days=45)
    dovecot.deliver(reply_to(reminder_mail, f"{prefix}ny tid {new_due} väntar på underlag"))

    poll_replies()

    milestone.refresh_from_db()
    assert milestone.due == new_due
    entry = AuditEntry.objects.get(action="milestone.due_moved", object_id=str(milestone.pk))
    assert entry.reason == "väntar på underlag" and entry.after["via"] == "e-post"
    planned = Reminder.objects.filter(milestone=milestone, state="planned")
    assert planned.exists() and all(r.due_date == new_due for r in planned)
    (answer,) = answers(smtp, reminder_mail["To"])
    assert new_due.isoformat() in answer.get_body(("plain",)).get_content()


def _unchanged(milestone: Milestone) -> None:
    before = (milestone.status, milestone.due)
    milestone.refresh_from_db()
    assert (milestone.status, milestone.due) == before
    assert not MilestoneUpdate.objects.filter(milestone=milestone).exists()


def test_a_forged_from_changes_nothing_and_is_told_why(reminder_mail, smtp, dovecot):
    prefix, milestone = first(reminder_mail)
    dovecot.deliver(reply_to(reminder_mail, f"{prefix}klar", sender="mallory@evil.example"))
    poll_replies()
    _unchanged(milestone)
    (answer,) = answers(smtp, "mallory@evil.example")
    assert "annan adress" in answer.get_body(("plain",)).get_content()
    assert InboundReply.objects.get().outcome == InboundReply.Outcome.REFUSED


def test_a_reply_to_someone_elses_reminder_changes_nothing(reminder_mail, smtp, dovecot):
    prefix, milestone = first(reminder_mail)
    other = User.objects.exclude(email=reminder_mail["To"]).exclude(email="").first()
    dovecot.deliver(reply_to(reminder_mail, f"{prefix}klar", sender=other.email))
    poll_replies()
    _unchanged(milestone)
    (answer,) = answers(smtp, other.email)
    assert "annan adress" in answer.get_body(("plain",)).get_content()
    assert answers(smtp, reminder_mail["To"]) == []


def test_an_altered_token_changes_nothing(reminder_mail, smtp, dovecot):
    prefix, milestone = first(reminder_mail)
    token = reply_address.token_of(reminder_mail["Reply-To"])
    # the same mail with the next milestone's id in the token, its signature kept
    recipient, ids, expiry = token.split(".")[0].split("_")
    forged = f"{recipient}_{int(ids.split('-')[0]) + 1}_{expiry}.{token.split('.', 1)[1]}"
    to = reminder_mail["Reply-To"].replace(token, forged)
    dovecot.deliver(reply_to(reminder_mail, f"{prefix}klar", to=to))
    poll_replies()
    _unchanged(milestone)
    assert not MilestoneUpdate.objects.exists()
    (answer,) = answers(smtp, reminder_mail["To"])
    assert "inte giltig" in answer.get_body(("plain",)).get_content()


def test_an_expired_token_changes_nothing(reminder_mail, smtp, dovecot, clock, settings):
    prefix, milestone = first(reminder_mail)
    clock.move_to(dt.datetime.now(dt.UTC) + dt.timedelta(days=settings.REPLY_TOKEN_DAYS + 1))
    dovecot.deliver(reply_to(reminder_mail, f"{prefix}klar"))
    poll_replies()
    _unchanged(milestone)
    (answer,) = answers(smtp, reminder_mail["To"])
    assert "för gammal" in answer.get_body(("plain",)).get_content()


def test_a_replayed_reply_is_applied_once_and_answered_once(reminder_mail, smtp, dovecot):
    prefix, milestone = first(reminder_mail)
    reply = reply_to(reminder_mail, f"{prefix}påbörjad")
    dovecot.deliver(reply)
    poll_replies()
    dovecot.deliver(reply)  # the same mail again, Message-ID and all
    assert poll_replies() == 1
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.IN_PROGRESS
    assert MilestoneUpdate.objects.filter(milestone=milestone).count() == 1
    assert len(answers(smtp, reminder_mail["To"])) == 1
    assert InboundReply.objects.count() == 1
    assert dovecot.count(DONE_FOLDER) == 2


@pytest.mark.parametrize(
    ("subject", "headers"),
    [
        ("Automatiskt svar: Jag är på semester", {"Auto_Submitted": "auto-replied"}),
        ("Jag är på semester till 2 augusti", {}),
        ("Out of Office: back on Monday", {"X_Autoreply": "yes"}),
    ],
)
def test_an_automatic_reply_changes_nothing_and_is_not_answered(
    reminder_mail, smtp, dovecot, subject, headers
):
    prefix, milestone = first(reminder_mail)
    reply = reply_to(reminder_mail, "Jag är på semester till 2 augusti. klar", **headers)
    del reply["Subject"]
    reply["Subject"] = subject
    dovecot.deliver(reply)
    poll_replies()
    _unchanged(milestone)
    assert smtp.inbox.messages == []
    assert InboundReply.objects.get().outcome == InboundReply.Outcome.AUTOMATIC
    assert dovecot.count(DONE_FOLDER) == 1


def test_someone_who_turned_answering_off_gets_no_reply_address(seed004, smtp, dovecot):
    User.objects.update(answers_by_mail=False)
    sweep_inline(NOW)
    assert smtp.inbox.messages and not any(m["Reply-To"] for m in smtp.inbox.messages)


def test_a_reply_after_turning_answering_off_is_refused(reminder_mail, smtp, dovecot):
    prefix, milestone = first(reminder_mail)
    User.objects.filter(email=reminder_mail["To"]).update(answers_by_mail=False)
    dovecot.deliver(reply_to(reminder_mail, f"{prefix}klar"))
    poll_replies()
    _unchanged(milestone)
    (answer,) = answers(smtp, reminder_mail["To"])
    assert "stängt av" in answer.get_body(("plain",)).get_content()


def test_anything_else_is_a_comment_on_the_milestone(reminder_mail, smtp, dovecot):
    prefix, milestone = first(reminder_mail)
    dovecot.deliver(reply_to(reminder_mail, f"{prefix}Vi väntar på siffrorna från ekonomi."))
    poll_replies()
    (update,) = MilestoneUpdate.objects.filter(milestone=milestone)
    assert update.comment == "Vi väntar på siffrorna från ekonomi."
    assert update.from_status == update.to_status == milestone.status


def test_the_mail_that_work_can_begin_is_answered_by_its_numbers(seed004, smtp, dovecot):
    """Every mail about milestones carries a reply address, "arbetet kan börja" too: it lists
    the tidplan's open milestones the recipient may update, numbered, and "1 klar" answers."""
    from django.utils import timezone

    from reminders import events

    jan = User.objects.get(username="jan.strang")
    sweep_inline(timezone.now())  # what is due already goes first, in mails of its own
    smtp.inbox.messages.clear()
    events.notify_event(
        Reminder.Kind.ADOPTED,
        assignment=seed004,
        recipients=[jan],
        occurrence="test:adopted-again",
        path=f"/uppdrag/{seed004.pk}/",
        actor=User.objects.get(username="per.albertsson"),
    )
    sweep_inline(timezone.now())
    (mail,) = [parsed(m) for m in smtp.inbox.messages if m["To"] == jan.email]
    assert " ".join(str(mail["Subject"]).split()).startswith("Uppdraget är fastställt, arbetet")
    open_ = list(seed004.milestones.exclude(status__in=Milestone.CLOSED_STATUSES))
    assert list(token_of(mail).milestone_ids) == [m.pk for m in open_]  # the assignee's: all
    text = mail.get_body(("plain",)).get_content()
    assert f"1. {open_[0].title} ({open_[0].due:%Y-%m-%d})" in text
    assert "”2 klar”" in text  # how to answer
    smtp.inbox.messages.clear()

    dovecot.deliver(reply_to(mail, "1 klar"))
    assert poll_replies() == 1
    open_[0].refresh_from_db()
    assert open_[0].status == Milestone.Status.DONE
    (answer,) = answers(smtp, jan.email)
    assert "utfört" in subject_of(answer)
