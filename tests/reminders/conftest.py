import datetime as dt
import email
import threading
import time
from email import policy as email_policy

import pytest
import time_machine
from aiosmtpd.controller import Controller

from assignments.models import Assignment
from tests.environment import free_port
from tests.seeding import load_demo


class Inbox:
    """An aiosmtpd handler that keeps every accepted message, parsed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.arrivals: list[float] = []  # time.monotonic() of each
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's API)
        message = email.message_from_bytes(envelope.content, policy=email_policy.default)
        with self.lock:
            self.messages.append(message)
            self.arrivals.append(time.monotonic())
        return "250 Message accepted for delivery"

    def by_message_id(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for message in self.messages:
            counts[message["Message-ID"]] = counts.get(message["Message-ID"], 0) + 1
        return counts

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


class SmtpServer:
    """A real SMTP server on 127.0.0.1 that a test can stop and start again on its port."""

    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


# Ten working days before "Sammanställning" (due Sunday 2025-11-30, in practice Fri 28 Nov).
TEN_DAYS_BEFORE = dt.datetime(2025, 11, 14, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture
def clock():
    with time_machine.travel(
        dt.datetime(2025, 10, 1, 9, 0, tzinfo=dt.UTC), tick=False
    ) as traveller:
        yield traveller


@pytest.fixture
def seed004(db, clock):
    """RS 2024-05699 (without the generated demo assignments, which are placed relative to the
    day) loaded and adopted on 1 Oct 2025, so its reminders are planned from then; registered
    on the day it was written (12 Aug 2025), so every deadline of its tidplan is reminded of
    (one already past on registration would not be)."""
    load_demo("--seed-only")
    told_at_once()
    return registered_as_written()


def told_at_once() -> None:
    """What is due now sent as the sweep of this minute sends it: after loading seed 004,
    the adoption's events ("arbetet kan börja" to the assignee and the working group; no
    deadline is due yet, registered that day), so a test of deadlines starts with an outbox of
    deadlines. The mails go to Django's dummy backend: the test's own SMTP server, if it has
    one, receives only what the test does, and Django's outbox too."""
    from django.test.utils import override_settings
    from django.utils import timezone

    from reminders import dispatch

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        now = timezone.now()
        dispatch.sweep(now=now, enqueue=lambda pks, token: dispatch.send(pks, token, now=now))


def registered_as_written() -> Assignment:
    """Seed 004 as if registered on the day it was written (12 Aug 2025), its reminders
    planned again: every deadline of its tidplan is then one to remind of."""
    from reminders.services import replan_assignment

    seed = Assignment.objects.get(registration_number="RS 2024-05699", state="adopted")
    registered = dt.datetime(2025, 8, 12, 8, 0, tzinfo=dt.UTC)
    Assignment.objects.filter(pk=seed.pk).update(created_at=registered)
    seed.refresh_from_db()
    replan_assignment(seed)
    return seed


@pytest.fixture
def people_(db):
    from assignments.models import User

    return lambda username: User.objects.get(username=username)
