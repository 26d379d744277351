"""The e-mail channel against a real SMTP server (aiosmtpd) that answers as mail relays do: a
throttling or greylisting reply (421, 450, 451, 452) is tried again after a back-off, a 5xx
fails the reminder at once."""

import datetime as dt
import email
import socketserver
import threading
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core import mail as django_mail
from notifications.models import Notification

from config.checks import run_checks
from reminders import dispatch, relay_record
from reminders.channels import EmailChannel
from reminders.messages import compose
from reminders.models import Reminder

from .test_dispatch import at, subject_of, sweep_inline

pytestmark = pytest.mark.django_db

NOW = at("2025-11-14")


def test_the_mail_has_text_html_and_the_ics_and_a_message_id_of_its_own(seed004, clock):
    reminder = Reminder.objects.filter(milestone__isnull=False, state="planned").first()
    message = compose(reminder)
    EmailChannel().deliver([reminder], message)
    (sent,) = django_mail.outbox
    parsed = email.message_from_bytes(sent.message().as_bytes(), policy=policy.default)
    assert parsed["To"] == reminder.recipient.email
    assert subject_of(parsed) == message.subject
    assert parsed["Message-ID"] == reminder.message_id
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed.get_body(preferencelist=("plain",)).get_content() == message.text
    assert parsed.get_body(preferencelist=("html",)).get_content() == message.html
    (ics,) = parsed.iter_attachments()
    assert ics.get_filename() == "deadline.ics"
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_param("method") == "PUBLISH"  # as the calendar's METHOD (RFC 6047)
    assert ics.get_payload(decode=True) == message.ics


class Relay:
    """Answers `command` (MAIL, RCPT or DATA) with `reply` the first `times` times (every
    time when None), and accepts everything else."""

    def __init__(self, command: str, reply: str, times: int | None = None):
        self.command, self.reply, self.times = command, reply, times
        self.refused = 0
        self.accepted: list[str] = []

    def _refuses(self, command: str) -> bool:
        if command != self.command or (self.times is not None and self.refused >= self.times):
            return False
        self.refused += 1
        return True

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        if self._refuses("MAIL"):
            return self.reply
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self._refuses("RCPT"):
            return self.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self._refuses("DATA"):
            return self.reply
        self.accepted.append(envelope.rcpt_tos[0])
        return "250 Message accepted for delivery"


@pytest.fixture
def relay(smtp):
    """Replaces the test's SMTP server with one that answers as told, on the same port."""
    smtp.stop()
    controllers = []

    def start(command, reply, times=None) -> Relay:
        handler = Relay(command, reply, times)
        controller = Controller(handler, hostname="127.0.0.1", port=smtp.port)
        controller.start()
        controllers.append(controller)
        return handler

    yield start
    for controller in controllers:
        controller.stop()


@pytest.mark.parametrize(
    ("command", "reply"),
    [
        ("MAIL", "421 4.7.0 Too many messages, try again later"),
        ("MAIL", "451 4.7.500 Server busy"),
        ("RCPT", "450 4.2.0 Greylisted, try again later"),
        ("RCPT", "451 4.3.0 Temporary lookup failure"),
        ("RCPT", "452 4.5.3 Too many recipients"),
        ("DATA", "421 4.4.2 Connection dropped"),
        ("DATA", "451 4.7.1 Rate limited"),
        ("DATA", "452 4.3.1 Insufficient system storage"),
    ],
)
def test_a_transient_reply_is_tried_again_after_a_back_off(seed004, relay, command, reply):
    server = relay(command, reply)
    results = sweep_inline(NOW)
    assert results and set(results) == {"retry"}
    rows = Reminder.objects.filter(last_error__contains=reply.split()[0])
    assert rows.count() == len(results)
    for row in rows:
        assert row.state == "planned" and row.attempts == 1
        assert row.planned_at == NOW + dispatch.backoff(1)
    assert server.accepted == []
    assert sweep_inline(NOW + dt.timedelta(minutes=1)) == []  # backing off, not hammering


@pytest.mark.parametrize(
    ("command", "reply"),
    [
        ("MAIL", "550 5.7.1 Sender not allowed"),
        ("RCPT", "550 5.1.1 No such user"),
        ("RCPT", "553 5.1.3 Bad recipient address syntax"),
        ("DATA", "554 5.6.0 Message rejected as spam"),
        ("DATA", "552 5.3.4 Message too big"),
    ],
)
def test_a_permanent_reply_fails_at_once(seed004, relay, command, reply):
    server = relay(command, reply)
    results = sweep_inline(NOW)
    assert results and set(results) == {"failed"}
    failed = Reminder.objects.filter(state="failed")
    # each person's mail tried once, not six times
    assert server.refused == len({row.recipient_id for row in failed})
    assert failed.count() == len(results)
    assert all(row.attempts == 1 and reply.split()[0] in row.last_error for row in failed)
    # the app still shows each of them, once
    shown = Notification.objects.filter(data__reminder__in=[r.pk for r in failed])
    assert shown.count() == failed.count()


def test_a_greylisted_reminder_is_delivered_once_after_its_back_off(seed004, relay):
    due = list(Reminder.objects.filter(state="planned", planned_at__lte=NOW))
    people = len({row.recipient_id for row in due})  # a mail each
    server = relay("RCPT", "450 4.2.0 Greylisted, try again later", times=people)
    assert sweep_inline(NOW) == ["retry"] * len(due)
    later = NOW + dispatch.backoff(1)
    assert sweep_inline(later) == ["sent"] * len(due)
    assert len(server.accepted) == people
    assert Reminder.objects.filter(state="sent", attempts=2).count() == len(due)


def test_a_refusal_for_now_fails_the_relay_check_until_a_mail_goes_through(seed004, relay):
    due = list(Reminder.objects.filter(state="planned", planned_at__lte=NOW))
    people = len({row.recipient_id for row in due})
    relay("MAIL", "451 4.7.500 Server busy", times=people)
    sweep_inline(NOW)
    assert [check.ok for check in run_checks(["relay"])] == [False]
    sweep_inline(NOW + dispatch.backoff(1))
    assert [check.ok for check in run_checks(["relay"])] == [True]


def test_a_permanent_refusal_says_nothing_of_the_relay(seed004, relay):
    before = relay_record.last_handoff()  # the seed's own mails, taken
    relay("RCPT", "550 5.1.1 No such user")
    assert set(sweep_inline(NOW)) == {"failed"}
    assert relay_record.last_handoff() == before
    assert [check.ok for check in run_checks(["relay"])] == [True]


class Busy(socketserver.BaseRequestHandler):
    """A relay that turns every connection away with 421 before the greeting."""

    def handle(self):
        self.request.sendall(b"421 4.3.2 Too many connections, try again later\r\n")


class BusyServer(socketserver.TCPServer):
    allow_reuse_address = True  # the port the test's SMTP server has just let go


def test_a_relay_turning_the_connection_away_is_tried_again(seed004, smtp):
    smtp.stop()
    server = BusyServer(("127.0.0.1", smtp.port), Busy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        results = sweep_inline(NOW)
    finally:
        server.shutdown()
        server.server_close()
    assert results and set(results) == {"retry"}
    assert all(
        "421" in row.last_error for row in Reminder.objects.filter(state="planned", attempts=1)
    )
