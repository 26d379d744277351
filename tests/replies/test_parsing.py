"""Automatic replies (replies/parsing.is_automatic): an out-of-office answer to one of Uppdrag's
mails is recognised by any one of its marks, as Outlook, Exchange and the common responders
send them, and never read as an answer; a person's own reply is."""

from email import message_from_string
from email import policy as email_policy

import pytest

from replies.parsing import is_automatic

REMINDER = "Påminnelse: Sammanställning (RS 2024-05699) ska vara klar 30 nov"

# An Exchange/Outlook out-of-office answer, headers as Exchange Online writes them.
OUTLOOK_AUTO_REPLY = f"""\
From: Per Albertsson <per.albertsson@example.org>
To: uppdrag+abc123@region.example
Subject: Automatiskt svar: {REMINDER}
Date: Mon, 12 Jul 2027 08:31:02 +0000
Message-ID: <DB9PR0@eurprd07.prod.outlook.com>
In-Reply-To: <reminder-1@uppdrag.example>
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
X-MS-Exchange-Inbox-Rules-Loop: per.albertsson@example.org
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit
MIME-Version: 1.0

Jag är på semester till och med 31 juli och läser inte min e-post. Brådskande: Kim Berg.
"""


def mail(subject: str = f"Re: {REMINDER}", body: str = "klar", **headers: str):
    lines = [
        "From: Per Albertsson <per.albertsson@example.org>",
        "To: uppdrag+abc123@region.example",
        f"Subject: {subject}",
        "Message-ID: <reply-1@example.org>",
        *(f"{name.replace('_', '-')}: {value}" for name, value in headers.items()),
        'Content-Type: text/plain; charset="utf-8"',
        "",
        body,
    ]
    return message_from_string("\n".join(lines), policy=email_policy.default)


def test_outlooks_out_of_office_answer_is_automatic():
    assert is_automatic(message_from_string(OUTLOOK_AUTO_REPLY, policy=email_policy.default))


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"X_Autoreply": "yes"},
        {"Precedence": "auto_reply"},
        {"X_Autorespond": "Out of office"},
    ],
    ids=["Auto-Submitted", "X-Autoreply", "Precedence", "X-Autorespond"],
)
def test_each_mark_of_an_automatic_reply_alone_is_enough(headers):
    assert is_automatic(mail(body="Jag är på semester. klar", **headers))


@pytest.mark.parametrize(
    "subject",
    [
        f"Automatiskt svar: {REMINDER}",
        f"Automatic reply: {REMINDER}",
        "Out of Office: tillbaka 2 augusti",
        "Jag är på semester till 2 augusti",
    ],
)
def test_an_out_of_office_subject_alone_is_enough(subject):
    assert is_automatic(mail(subject=subject))


def test_a_persons_own_answer_is_not_automatic():
    assert not is_automatic(mail(Auto_Submitted="no"))
    assert not is_automatic(mail())
