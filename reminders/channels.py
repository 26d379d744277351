"""Delivery channels: one small class per channel with one method, deliver(reminder, message).

An e-mail channel raises on failure (the dispatcher records it and retries later); the in-app
channel writes a notification row in the same transaction that marks the reminder sent, so it
exists exactly once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from notifications.signals import notify

from .messages import Message
from .models import Reminder


class EmailChannel:
    def deliver(self, reminder: Reminder, message: Message) -> None:
        email = EmailMultiAlternatives(
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
        email.send(fail_silently=False)


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
