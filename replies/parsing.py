"""Reading a reply: is it a person's answer at all, what it says above the quote and the
signature, and which commands it gives ("klar", "påbörjad", "ny tid 2027-01-15 skäl", else a
comment), in Swedish or English, each for a number of the mail it answers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr

from mailparser_reply import EmailReplyParser

DONE, STARTED, MOVE, COMMENT = "done", "started", "move", "comment"

# RFC 3834's Auto-Submitted, and what the common responders set instead of or besides it.
_AUTOMATIC_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress-Reply")
_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
_AUTOMATIC_SUBJECT = re.compile(
    r"^\s*(?:(?:automatiskt svar|autosvar|automatic reply|auto(?:matic)?[- ]?reply|"
    r"out of (?:the )?office|frånvaro(?:meddelande)?|abwesend|autoreply)\b|"
    r".*\b(?:jag är på semester|jag är ledig|jag är inte på kontoret|i am on (?:vacation|holiday)|"
    r"i'm on (?:vacation|holiday)|out of office)\b)",
    re.IGNORECASE,
)


def is_automatic(mail: EmailMessage) -> bool:
    """A vacation notice, a delivery report, a list's mail: never an answer."""
    submitted = (mail.get("Auto-Submitted") or "no").strip().lower()
    if submitted != "no":
        return True
    if any(mail.get(name) for name in _AUTOMATIC_HEADERS):
        return True
    if (mail.get("X-MS-Exchange-Generated-Message-Source") or "").strip():
        return True
    if (mail.get("Precedence") or "").strip().lower() in _PRECEDENCE:
        return True
    if mail.get_content_type() == "multipart/report":
        return True
    sender = parseaddr(mail.get("From") or "")[1].lower()
    if sender.startswith(("mailer-daemon@", "postmaster@")) or not sender:
        return True
    return bool(_AUTOMATIC_SUBJECT.match(mail.get("Subject") or ""))


def plain_text(mail: EmailMessage) -> str:
    """The mail's text: its text/plain part, else its HTML with the tags taken out."""
    part = mail.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = part.get_content()
    if part.get_content_type() == "text/html":
        text = re.sub(r"(?is)<(script|style).*?</\1>", "", text)
        text = re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", text)
        text = re.sub(r"<[^>]+>", "", text)
    return text


_PARSER = EmailReplyParser(languages=["sv", "en"])


def answer_of(text: str) -> str:
    """What the person wrote above the quoted mail and their signature."""
    if not text.strip():
        return ""
    replies = _PARSER.read(text=text.replace("\r\n", "\n")).replies
    answer = replies[0].body if replies else text
    return answer.strip()


@dataclass
class Command:
    number: int | None  # the mail's number it names; None: the mail has one milestone
    action: str  # DONE, STARTED, MOVE or COMMENT
    text: str  # the line(s) as written
    date: dt.date | None = None
    reason: str = ""
    unreadable_date: bool = False


_DATE = r"(\d{4}-\d{1,2}-\d{1,2})"
_DONE = re.compile(
    rf"^(?:klar|klart|färdig|done|finished|complete[d]?)\b[\s:,.!-]*(?:{_DATE})?", re.I
)
_STARTED = re.compile(r"^(?:påbörjad|påbörjat|pågår|startad|started|in progress)\b", re.I)
_MOVE = re.compile(
    r"^(?:ny tid|nytt datum|nytt slutdatum|new date|new due date)\b[\s:,-]*(\S+)?[\s:,.-]*(.*)$",
    re.I | re.S,
)
_NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[.:)]?\s+(\S.*)$", re.S)


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError:
        return None


def command_of(text: str, number: int | None) -> Command:
    text = text.strip()
    if match := _MOVE.match(text):
        day = _date(match[1] or "") if re.fullmatch(_DATE, match[1] or "") else None
        return Command(
            number,
            MOVE,
            text,
            date=day,
            reason=(match[2] or "").strip(),
            unreadable_date=day is None,
        )
    if match := _DONE.match(text):
        return Command(number, DONE, text, date=_date(match[1]) if match[1] else None)
    if _STARTED.match(text):
        return Command(number, STARTED, text)
    return Command(number, COMMENT, text)


def commands_of(answer: str, numbered: int) -> list[Command]:
    """The commands of an answer to a mail with `numbered` numbers: in a mail of one milestone
    the whole answer is one command (a leading "1" allowed); in a bundle each paragraph or line
    that starts with a number is one, and text before the first number is a comment on all."""
    answer = answer.strip()
    if not answer:
        return []
    if numbered <= 1:
        match = _NUMBERED.match(answer)
        if match and match[1] == "1":
            answer = match[2]
        return [command_of(answer, 1)]
    commands: list[Command] = []
    loose: list[str] = []
    for line in answer.splitlines():
        match = _NUMBERED.match(line)
        if match:
            commands.append(command_of(match[2], int(match[1])))
        elif commands and line.strip():
            last = commands[-1]  # a line more of the command above
            commands[-1] = command_of(f"{last.text}\n{line.strip()}", last.number)
        elif line.strip():
            loose.append(line.strip())
    if loose:
        commands.insert(0, Command(None, COMMENT, "\n".join(loose)))
    return commands
