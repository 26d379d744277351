"""How a notification reads: in the reader's language, when it is read (issue #17, 12).

The notifications library keeps a notification's `verb` as text, written when the notification
was created in the language of whoever it was for then. What we write keeps more in its `data`:
an event's kind and parameters (reminders.events) or the reminder it tells (reminders.channels).
The pages show that, written again in the language active for the reader; a notification
without it (older ones) shows its verb.
"""

from __future__ import annotations

from collections.abc import Iterable

from notifications.models import Notification

from . import events, messages
from .models import EVENT_KINDS, Reminder


def readable(notifications: Iterable[Notification]) -> list[Notification]:
    """The notifications, each with `text` (its line) and `detail` (what it adds: who, a
    comment, a date) in the active language. One query for all their reminders."""
    notifications = list(notifications)
    wanted = {_reminder_id(n) for n in notifications} - {None}
    reminders = (
        Reminder.objects.select_related("assignment", "milestone", "watch_date").in_bulk(wanted)
        if wanted
        else {}
    )
    for notification in notifications:
        data = notification.data or {}
        notification.text, notification.detail = notification.verb, ""
        params = data.get("params")
        if data.get("event") in EVENT_KINDS and isinstance(params, dict):
            notification.text = events.text(data["event"], params)
            notification.detail = events.detail(data["event"], params)
        elif (reminder := reminders.get(_reminder_id(notification))) is not None:
            notification.text = messages.subject(reminder)
            notification.detail = messages.note_of(reminder)  # a watch date's own note
    return notifications


def _reminder_id(notification: Notification) -> int | None:
    value = (notification.data or {}).get("reminder")
    return value if isinstance(value, int) else None
