"""Delivery channels: one small class per channel with one method, deliver(…, message).

The e-mail channel sends one mail for the reminders of one person that go out together (a
bundle; most often one reminder) and raises on failure (the dispatcher records it on each row
and retries later, or fails them at once on a permanent refusal). The in-app channel writes one
notification per reminder, in the same transaction that records the attempt (sent, or to be
retried), and the row remembers it, so it exists exactly once.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from notifications.signals import notify

from .models import Reminder, message_id_of
from .parts import Entry, Message
from .reply_address import reply_address


class EmailChannel:
    """The reminders of one recipient as one mail, text and HTML, with their deadlines as an
    .ics, through Django's e-mail backend (SMTP in production: one connection per mail)."""

    def deliver(self, reminders: Sequence[Reminder], message: Message) -> None:
        self.mail(reminders, message).send()

    @staticmethod
    def mail(reminders: Sequence[Reminder], message: Message) -> EmailMultiAlternatives:
        mail = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[reminders[0].recipient.email],
            headers={
                # the same for every attempt with the same rows, so a resend is recognisable
                # as the same message
                "Message-ID": message_id_of(reminders),
                # RFC 3834: sent by a program, so vacation responders do not answer it
                "Auto-Submitted": "auto-generated",
            },
        )
        # Answering the mail is updating its milestones (replies/): the address carries a
        # signed token for this recipient and the milestone of each number of the mail.
        reply_to = reply_address(reminders[0].recipient, message.numbered)
        if reply_to:
            mail.reply_to = [reply_to]
        mail.attach_alternative(message.html, "text/html")
        if message.ics:
            # RFC 6047: the Content-Type names the method the calendar's METHOD names
            ics = MIMEText(message.ics.decode(), "calendar", "utf-8")
            ics.set_param("method", "PUBLISH")
            name = "deadline.ics" if len(reminders) == 1 else "deadlines.ics"
            ics.add_header("Content-Disposition", "attachment", filename=name)
            mail.attach(ics)
        for attachment in message.attachments:
            mail.attach(attachment.filename, attachment.content, attachment.mimetype)
        return mail


class InAppChannel:
    """The notifications library's notification, written with its notify.send(): one per
    reminder, also when the e-mail bundles several."""

    def deliver(self, reminder: Reminder, message: Message | Entry) -> None:
        notify.send(
            reminder.assignment or reminder.recipient,
            recipient=reminder.recipient,
            verb=message.subject,
            target=reminder.milestone or reminder.delivery or reminder.assignment,
            description=message.link,
            reminder=reminder.pk,
            url=message.link,
        )
