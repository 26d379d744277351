"""The reply address of a mail about milestones: a signed token for its recipient, the
milestones it numbers and an expiry, in settings.REPLY_ADDRESS ("uppdrag+{token}@…").

The token is what a reply is judged by (replies/): it names who the mail went to and which
milestone each number of the mail stands for, and it is signed, so a reply cannot name
another person or milestone, and it stops being good after REPLY_TOKEN_DAYS. It is short and
made of letters, digits, "-", "_" and ".", so it fits in an address's local part.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils import timezone

SALT = "uppdrag.replies.reply-to"
_SEP = "."
_VALUE = re.compile(r"(\d+)_((?:\d+-)*\d+)_(\d+)")


@dataclass(frozen=True)
class ReplyToken:
    recipient_id: int
    milestone_ids: tuple[int, ...]  # by the mail's numbers, 1 first; 0: a line with no milestone
    expires: dt.date

    def milestone_for(self, number: int) -> int | None:
        if 1 <= number <= len(self.milestone_ids):
            return self.milestone_ids[number - 1] or None
        return None


class BadToken(Exception):
    """The token was altered, is not one of ours, or has expired (`expired` says which)."""

    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "bad signature")
        self.expired = expired


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT, sep=_SEP)


def make_token(recipient_id: int, milestone_ids: Sequence[int | None], today=None) -> str:
    today = today or timezone.localdate()
    expires = today + dt.timedelta(days=settings.REPLY_TOKEN_DAYS)
    ids = "-".join(str(pk or 0) for pk in milestone_ids)
    return _signer().sign(f"{recipient_id}_{ids}_{expires.toordinal()}")


def read_token(token: str, today=None) -> ReplyToken:
    """The token's content, or BadToken: the signature is checked before anything is read."""
    try:
        value = _signer().unsign(token)
    except signing.BadSignature as error:
        raise BadToken() from error
    match = _VALUE.fullmatch(value)
    if not match:
        raise BadToken()
    expires = dt.date.fromordinal(int(match[3]))
    if expires < (today or timezone.localdate()):
        raise BadToken(expired=True)
    ids = tuple(int(pk) for pk in match[2].split("-"))
    return ReplyToken(int(match[1]), ids, expires)


def answers_by_mail(recipient) -> bool:
    """Whether mails to the person carry a reply address (replies are set up, and the person
    has not turned answering by mail off)."""
    template = settings.REPLY_ADDRESS
    return bool(template and "{token}" in template and getattr(recipient, "answers_by_mail", False))


def reply_address(recipient, milestone_ids: Sequence[int | None]) -> str | None:
    """The Reply-To for a mail to `recipient` numbering these milestones; None when replies
    are not set up, the person has turned answering by mail off, or nothing is a milestone."""
    if not answers_by_mail(recipient) or not any(milestone_ids):
        return None
    return settings.REPLY_ADDRESS.replace("{token}", make_token(recipient.pk, milestone_ids))


def token_of(address: str) -> str | None:
    """The token in an address made from settings.REPLY_ADDRESS, or None."""
    template = settings.REPLY_ADDRESS
    if not template or "{token}" not in template:
        return None
    before, after = template.split("{token}", 1)
    pattern = re.escape(before) + r"([A-Za-z0-9_.:\-]+)" + re.escape(after)
    match = re.fullmatch(pattern, address.strip(), flags=re.IGNORECASE)
    return match[1] if match else None
