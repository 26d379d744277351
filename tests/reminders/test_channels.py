"""The e-mail channel: the reminder as Django's EmailMultiAlternatives."""

import email
from email import policy

import pytest
from django.core import mail as django_mail

from reminders.channels import EmailChannel
from reminders.messages import compose
from reminders.models import Reminder

from .test_dispatch import subject_of

pytestmark = pytest.mark.django_db


def test_the_mail_has_text_html_and_the_ics_and_a_message_id_of_its_own(seed004, clock):
    reminder = Reminder.objects.filter(milestone__isnull=False, state="planned").first()
    message = compose(reminder)
    EmailChannel().deliver(reminder, message)
    (sent,) = django_mail.outbox
    parsed = email.message_from_bytes(sent.message().as_bytes(), policy=policy.default)
    assert parsed["To"] == reminder.recipient.email
    assert subject_of(parsed) == message.subject
    assert parsed["Message-ID"] == reminder.message_id
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed.get_body(preferencelist=("plain",)).get_content() == message.text
    assert parsed.get_body(preferencelist=("html",)).get_content() == message.html
    (ics,) = parsed.iter_attachments()
    assert ics.get_filename() == "deadline.ics"
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_param("method") == "PUBLISH"  # as the calendar's METHOD (RFC 6047)
    assert ics.get_payload(decode=True) == message.ics
