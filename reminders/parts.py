"""What every reminder's message is made of, and how its dates and links read.

The composers (messages for deadlines and digests, events for the process's events,
monthly_report for the commissioners' report) build these; messages.compose chooses the
composer by the reminder's kind. Kept apart from messages so that a composer needs nothing of
the module that calls it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone

from .models import Reminder


@dataclass
class Entry:
    """One reminder as a line: its notification in the app, and an item of a bundled mail."""

    reminder: Reminder
    subject: str
    link: str
    due: str  # the deadline as registered, "" when the reminder has none
    detail: str = ""  # what an event adds to its line (who, the comment), "" for a deadline


@dataclass
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass
class Message:
    subject: str
    text: str
    html: str
    link: str
    ics: bytes | None
    entries: list[Entry] = field(default_factory=list)  # in the order of the reminders given
    attachments: list[Attachment] = field(default_factory=list)  # besides the .ics
    # The milestone of each number the mail gives (1 first; None for a line without one): what
    # a reply names by number (reminders.reply_address, replies/). Empty: nothing to answer.
    numbered: list[int | None] = field(default_factory=list)


def date_text(day: dt.date, today: dt.date | None = None) -> str:
    """A date as the pages write it ("31 aug"), with the year ("31 aug 2025") when it is not
    this year's, in the active language."""
    today = today or timezone.localdate()
    return formats.date_format(day, "MONTH_DAY_FORMAT" if day.year == today.year else "DATE_FORMAT")


def decision_url(assignment_id: int) -> str:
    """The absolute link to the decision form of an assignment's submitted delivery."""
    return settings.SITE_URL + reverse("workflow:decision", args=[assignment_id])
