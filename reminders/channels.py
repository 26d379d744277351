"""Delivery channels: one small class per channel with one method, deliver(reminder, message).

An e-mail channel raises on failure (the dispatcher records it and retries later); the in-app
channel writes a notification row in the same transaction that records the attempt (sent, or
to be retried), and the row remembers it, so it exists exactly once.
"""

from __future__ import annotations

import contextlib
import smtplib
import threading

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.utils import timezone
from notifications.swappable import load_notification_model

from . import mime, statements
from .messages import Message
from .models import Reminder

Notification = load_notification_model()
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


class RawEmail(EmailMessage):
    """An e-mail whose bytes are already written (reminders/mime.py), for the backends other
    than SMTP: the console when developing, the in-memory outbox. Its subject and body stay
    readable on the object; message() gives the written bytes, parsed."""

    def __init__(self, mail: mime.Mail, raw: bytes):
        super().__init__(
            subject=mail.subject, body=mail.text, from_email=mail.from_email, to=[mail.to]
        )
        self.raw = raw

    def message(self, **kwargs):
        return mime.parsed(self.raw)


class EmailChannel:
    """Writes the message once (reminders/mime.py) and hands the bytes to the kept SMTP
    connection of Django's SMTP backend, as that backend's own send does; any other backend
    gets them wrapped in a RawEmail."""

    def deliver(self, reminder: Reminder, message: Message) -> None:
        mail = self.mail(reminder, message)
        raw = mime.render(mail)
        try:
            self._send(mail, raw)
        except (smtplib.SMTPServerDisconnected, ConnectionError):
            # The kept connection went stale (server restart, idle timeout) before this mail
            # was handed over: one fresh connection, then any error goes to the caller.
            drop_connection()
            try:
                self._send(mail, raw)
            except Exception:
                drop_connection()
                raise
        except Exception:
            drop_connection()
            raise

    @staticmethod
    def _send(mail: mime.Mail, raw: bytes) -> None:
        backend = _connection()
        if isinstance(backend, SMTPBackend):
            backend.connection.sendmail(mime.address(mail.from_email), [mime.address(mail.to)], raw)
        else:
            backend.send_messages([RawEmail(mail, raw)])

    @staticmethod
    def mail(reminder: Reminder, message: Message) -> mime.Mail:
        attachments = []
        if message.ics:
            attachments.append(
                mime.Attachment(
                    "deadline.ics", message.ics, 'text/calendar; charset="utf-8"; method=PUBLISH'
                )
            )
        return mime.Mail(
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=reminder.recipient.email,
            subject=message.subject,
            text=message.text,
            html=message.html,
            message_id=reminder.message_id,
            attachments=attachments,
            # RFC 3834: sent by a program, so vacation responders do not answer it.
            headers={"Auto-Submitted": "auto-generated"},
        )


class InAppChannel:
    """The notifications library's Notification row for the reminder: the row notify.send()
    writes (tests compare the two column by column), built the way the library's handler
    builds it and written with one INSERT prepared once per process (reminders/statements.py).
    notify.send() compiled its INSERT anew for every reminder: a seventh of the send's
    instructions (5.03 M against 4.29 M, callgrind)."""

    def deliver(self, reminder: Reminder, message: Message) -> None:
        actor = reminder.assignment or reminder.recipient
        target = reminder.milestone or reminder.delivery or reminder.assignment
        content_type = ContentType.objects.get_for_model
        notification = Notification(
            recipient=reminder.recipient,
            actor_content_type=content_type(actor),
            actor_object_id=actor.pk,
            verb=message.subject,
            public=True,
            description=message.link,
            timestamp=timezone.now(),
            level=Notification.LEVELS.info,
            target_content_type=content_type(target) if target else None,
            target_object_id=target.pk if target else None,
            data={"reminder": reminder.pk, "url": message.link},
        )
        statements.insert(notification)
