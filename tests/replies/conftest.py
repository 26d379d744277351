import datetime as dt
import email
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from assignments.models import Milestone
from reminders import reply_address
from tests.reminders.conftest import clock, people_, seed004, smtp  # noqa: F401 (fixtures)
from tests.reminders.test_dispatch import at, sweep_inline

from .dovecot import PASSWORD, USER, Dovecot

REPLY_ADDRESS = "uppdrag+{token}@region.example"
DONE_FOLDER = "Uppdrag-hanterade"


@pytest.fixture
def dovecot(settings):
    server = Dovecot()
    server.start()
    settings.REPLY_ADDRESS = REPLY_ADDRESS
    settings.REPLY_IMAP_HOST = "127.0.0.1"
    settings.REPLY_IMAP_PORT = server.port
    settings.REPLY_IMAP_SSL = False
    settings.REPLY_IMAP_USER = USER
    settings.REPLY_IMAP_PASSWORD = PASSWORD
    settings.REPLY_IMAP_DONE_FOLDER = DONE_FOLDER
    yield server
    server.stop()


def parsed(message) -> EmailMessage:
    return email.message_from_bytes(message.as_bytes(), policy=policy.default)


def reply_to(
    original: EmailMessage,
    body: str,
    *,
    sender: str | None = None,
    to: str | None = None,
    **headers,
) -> EmailMessage:
    """A reply as a mail program writes it: the answer on top, the original quoted below."""
    reply = EmailMessage()
    reply["From"] = sender or original["To"]
    reply["To"] = to or original["Reply-To"]
    reply["Subject"] = "SV: " + original["Subject"]
    reply["Message-ID"] = make_msgid(domain="region.example")
    reply["In-Reply-To"] = original["Message-ID"]
    reply["Date"] = email.utils.format_datetime(dt.datetime.now(dt.UTC))
    for name, value in headers.items():
        reply[name.replace("_", "-")] = value
    quoted = "\n".join(
        "> " + line for line in original.get_body(("plain",)).get_content().splitlines()
    )
    reply.set_content(
        f"{body}\n\nMed vänliga hälsningar\nPer Albertsson\n\n"
        f"Den {original['Date']} skrev Uppdrag <uppdrag@localhost>:\n{quoted}\n"
    )
    return reply


NOW = at("2025-11-14")  # ten working days before "Sammanställning" of seed 004


@pytest.fixture
def reminder_mail(seed004, smtp, dovecot):  # noqa: F811 (the fixtures imported above)
    """The first reminder mailed on NOW that carries a reply address, parsed."""
    sweep_inline(NOW)
    mails = [parsed(m) for m in smtp.inbox.messages if m["Reply-To"]]
    assert mails, "no reminder carried a reply address"
    smtp.inbox.messages.clear()
    return mails[0]


def token_of(mail) -> reply_address.ReplyToken:
    return reply_address.read_token(reply_address.token_of(mail["Reply-To"]))


def first(mail) -> tuple[str, Milestone]:
    """The prefix naming the mail's first milestone ("" in a mail of one) and that milestone."""
    token = token_of(mail)
    prefix = "" if len(token.milestone_ids) == 1 else "1 "
    return prefix, Milestone.objects.get(pk=token.milestone_for(1))


def answers(server, to: str) -> list:
    return [m for m in server.inbox.messages if m["To"] == to]
