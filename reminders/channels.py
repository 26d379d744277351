"""Delivery channels: one small class per channel with one method, deliver(reminder, message).

An e-mail channel raises on failure (the dispatcher records it and retries later); the in-app
channel writes a notification row in the same transaction that marks the reminder sent, so it
exists exactly once.
"""

from __future__ import annotations

import contextlib
import secrets
import smtplib
import threading

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from notifications.signals import notify

from .messages import Message
from .models import Reminder

_local = threading.local()


def _connection():
    """One SMTP connection per worker thread, kept open between reminders: connecting and
    greeting the server costs more than sending a reminder."""
    connection = getattr(_local, "connection", None)
    if connection is None:
        connection = get_connection(fail_silently=False)
        connection.open()
        _local.connection = connection
    return connection


def drop_connection() -> None:
    connection = getattr(_local, "connection", None)
    _local.connection = None
    if connection is not None:
        with contextlib.suppress(Exception):  # already broken; a new one replaces it
            connection.close()


class ReminderEmail(EmailMultiAlternatives):
    """An e-mail whose multipart boundaries are chosen before it is written. Left unset, the
    email package picks each while writing the message and compiles a regular expression for
    it to check that the text does not contain it: a new pattern for each of the two
    multiparts of every reminder, ~0.5 ms of a send's ~10. A random 128-bit boundary does
    not occur in the text unless someone knows it beforehand; "=_" cannot occur in
    quoted-printable or base64 at all."""

    def message(self):
        msg = super().message()
        for part in msg.walk():
            if part.is_multipart():
                part.set_boundary(f"=_{secrets.token_hex(16)}")
        return msg


class EmailChannel:
    def deliver(self, reminder: Reminder, message: Message) -> None:
        email = self._build(reminder, message)
        try:
            email.connection = _connection()
            email.send(fail_silently=False)
        except (smtplib.SMTPServerDisconnected, ConnectionError):
            # The kept connection went stale (server restart, idle timeout) before this mail
            # was handed over: one fresh connection, then any error goes to the caller.
            drop_connection()
            email.connection = _connection()
            try:
                email.send(fail_silently=False)
            except Exception:
                drop_connection()
                raise
        except Exception:
            drop_connection()
            raise

    def _build(self, reminder: Reminder, message: Message) -> EmailMultiAlternatives:
        email = ReminderEmail(
            subject=message.subject,
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[reminder.recipient.email],
            headers={"Message-ID": reminder.message_id},
        )
        email.attach_alternative(message.html, "text/html")
        if message.ics:
            email.attach(
                "deadline.ics", message.ics, "text/calendar; charset=utf-8; method=PUBLISH"
            )
        return email


class InAppChannel:
    def deliver(self, reminder: Reminder, message: Message) -> None:
        target = reminder.milestone or reminder.delivery or reminder.assignment
        notify.send(
            reminder.assignment or reminder.recipient,
            recipient=reminder.recipient,
            verb=message.subject,
            target=target,
            description=message.link,
            reminder=reminder.pk,
            url=message.link,
        )
