"""Delivery channels: one small class per channel with one method, deliver(reminder, message).

The e-mail channel raises on failure (the dispatcher records it and retries later, or fails the
reminder at once on a permanent refusal); the in-app channel writes the notification in the
same transaction that records the attempt (sent, or to be retried), and the row remembers it,
so it exists exactly once.
"""

from __future__ import annotations

from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from notifications.signals import notify

from .messages import Message
from .models import Reminder


class EmailChannel:
    """The reminder as text and HTML, with the deadline as an .ics, through Django's e-mail
    backend (SMTP in production: one connection per reminder)."""

    def deliver(self, reminder: Reminder, message: Message) -> None:
        self.mail(reminder, message).send()

    @staticmethod
    def mail(reminder: Reminder, message: Message) -> EmailMultiAlternatives:
        mail = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[reminder.recipient.email],
            headers={
                # the same for every attempt, so a resend is recognisable as the same message
                "Message-ID": reminder.message_id,
                # RFC 3834: sent by a program, so vacation responders do not answer it
                "Auto-Submitted": "auto-generated",
            },
        )
        mail.attach_alternative(message.html, "text/html")
        if message.ics:
            # RFC 6047: the Content-Type names the method the calendar's METHOD names
            ics = MIMEText(message.ics.decode(), "calendar", "utf-8")
            ics.set_param("method", "PUBLISH")
            ics.add_header("Content-Disposition", "attachment", filename="deadline.ics")
            mail.attach(ics)
        return mail


class InAppChannel:
    """The notifications library's notification, written with its notify.send()."""

    def deliver(self, reminder: Reminder, message: Message) -> None:
        notify.send(
            reminder.assignment or reminder.recipient,
            recipient=reminder.recipient,
            verb=message.subject,
            target=reminder.milestone or reminder.delivery or reminder.assignment,
            description=message.link,
            reminder=reminder.pk,
            url=message.link,
        )
