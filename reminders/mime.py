"""A reminder e-mail written as MIME bytes directly.

A reminder always has the same shape: a subject, a plain-text and an HTML body, and sometimes
an .ics file. Writing it through Django's EmailMessage and the stdlib email package cost about
a third of the CPU of a send (header objects, quoted-printable length checks character by
character, the generator's folding), more than composing the message itself. Here the
message is written from fixed parts:

    multipart/mixed                (only when there is an attachment)
      multipart/alternative
        text/plain; charset=utf-8  base64, CRLF line ends
        text/html; charset=utf-8   base64, CRLF line ends
      text/calendar ...            base64, Content-Disposition: attachment

Headers are US-ASCII: a subject that is not plain ASCII of a short line is written as RFC 2047
encoded-words (UTF-8, base64), each at most 75 characters, on folded lines. Addresses go
through Django's sanitize_address (punycode, encoded display names), remembered per address.
Bodies are base64, so no line length, dot or "From " rule of SMTP applies to them. Tests parse
the result with the email package's strict policy (tests/reminders/test_mime.py).
"""

from __future__ import annotations

import base64
import functools
import re
import secrets
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from email.utils import formatdate

from django.conf import settings
from django.core.mail.message import sanitize_address

CRLF = b"\r\n"
# An encoded-word is "=?utf-8?b?" + base64 + "?=": 12 characters around the base64, which for
# 42 bytes of text is 56 characters, 68 in all (RFC 2047 allows 75), so that even the first
# line, after "Subject: ", stays within 78 characters.
_WORD_BYTES = 42
_PLAIN_SUBJECT_MAX = 78 - len("Subject: ")


@dataclass(frozen=True)
class Attachment:
    filename: str  # plain ASCII, no quotes
    content: bytes
    content_type: str  # with its parameters, e.g. "text/calendar; charset=utf-8"


@dataclass
class Mail:
    from_email: str
    to: str
    subject: str
    text: str
    html: str
    message_id: str
    attachments: list[Attachment] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


# A bare address of plain ASCII, local part a dot-atom, domain in lower case: Django's
# sanitize_address() returns it unchanged (tests/reminders/test_mime.py checks that).
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+"
)


def address(value: str) -> str:
    """An address as a header and the SMTP envelope take it: Django's own rules (punycode,
    an encoded display name), which parse the address with the email package's header parser;
    a plain address, nearly every recipient's, is taken as it is."""
    if _PLAIN_ADDRESS.fullmatch(value):
        return value
    return _sanitized(value)


@functools.lru_cache(maxsize=256)
def _sanitized(value: str) -> str:
    _check_header("address", value)
    # a long display name comes back folded, with the email package's line ends
    return sanitize_address(value, "utf-8").replace("\r\n", "\n").replace("\n", "\r\n")


def _check_header(name: str, value: str) -> None:
    if "\r" in value or "\n" in value:
        raise ValueError(f"A header may not contain a line break: {name}")


def encoded_words(value: str) -> str:
    """A header value as RFC 2047 encoded-words, split between characters, never inside one."""
    data = value.encode()
    words = []
    while data:
        cut = min(_WORD_BYTES, len(data))
        while cut < len(data) and data[cut] & 0xC0 == 0x80:  # inside a UTF-8 sequence
            cut -= 1
        words.append("=?utf-8?b?" + base64.b64encode(data[:cut]).decode() + "?=")
        data = data[cut:]
    return "\r\n ".join(words)


def subject_header(value: str) -> str:
    _check_header("Subject", value)
    if value.isascii() and len(value) <= _PLAIN_SUBJECT_MAX and "=?" not in value:
        return value
    return encoded_words(value)


def _crlf(text: str) -> bytes:
    """Text in its canonical MIME form: every line break a CRLF (RFC 2046, 4.1.1)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n").encode()


def _base64_body(content: bytes) -> bytes:
    # encodebytes() writes lines of 76 characters ended by "\n"
    return base64.encodebytes(content).replace(b"\n", CRLF)


def _part(content_type: str, content: bytes, extra: str = "") -> bytes:
    head = f"Content-Type: {content_type}\r\nContent-Transfer-Encoding: base64\r\n{extra}\r\n"
    return head.encode() + _base64_body(content)


def _multipart(subtype: str, boundary: str, parts: list[bytes]) -> tuple[str, bytes]:
    delimiter = f"--{boundary}\r\n".encode()
    body = b"".join(delimiter + part for part in parts) + f"--{boundary}--\r\n".encode()
    return f'multipart/{subtype};\r\n boundary="{boundary}"', body


def _boundary() -> str:
    # "=_" cannot occur in base64 or in a header, so no part can contain the boundary.
    return f"=_{secrets.token_hex(16)}"


def render(mail: Mail) -> bytes:
    """The message, as the bytes handed to the SMTP server (CRLF line ends)."""
    alternative_type, alternative = _multipart(
        "alternative",
        _boundary(),
        [
            _part('text/plain; charset="utf-8"', _crlf(mail.text)),
            _part('text/html; charset="utf-8"', _crlf(mail.html)),
        ],
    )
    if mail.attachments:
        parts = [f"Content-Type: {alternative_type}\r\n\r\n".encode() + alternative]
        for attachment in mail.attachments:
            _check_header("attachment", attachment.content_type + attachment.filename)
            if not attachment.filename.isascii() or '"' in attachment.filename:
                raise ValueError("An attachment's file name must be plain ASCII.")
            disposition = f'Content-Disposition: attachment; filename="{attachment.filename}"\r\n'
            parts.append(_part(attachment.content_type, attachment.content, disposition))
        content_type, body = _multipart("mixed", _boundary(), parts)
    else:
        content_type, body = alternative_type, alternative
    for name, value in [("Message-ID", mail.message_id), *mail.headers.items()]:
        _check_header(name, value)
    headers = {
        "From": address(mail.from_email),
        "To": address(mail.to),
        "Subject": subject_header(mail.subject),
        "Date": formatdate(localtime=settings.EMAIL_USE_LOCALTIME),
        "Message-ID": mail.message_id,
        **mail.headers,
        "MIME-Version": "1.0",
        "Content-Type": content_type,
    }
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return head.encode("ascii") + CRLF + body


class Written(Message):
    """A written message parsed for reading, that writes itself back as the bytes it came
    from (for Django's console and in-memory backends)."""

    raw: bytes = b""

    def as_bytes(self, unixfrom=False, policy=None) -> bytes:
        return self.raw


def parsed(raw: bytes) -> Written:
    message = message_from_bytes(raw, _class=Written)
    message.raw = raw
    return message
