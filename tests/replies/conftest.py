import datetime as dt
import email
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from tests.reminders.conftest import clock, people_, seed004, smtp  # noqa: F401 (fixtures)

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
