"""The in-app channel: the notifications library's notification, written by notify.send(),
leads to the deadline."""

import pytest
from notifications.models import Notification

from reminders.channels import InAppChannel
from reminders.messages import compose
from reminders.models import Reminder


@pytest.mark.django_db
def test_the_notification_names_the_reminder_and_leads_to_its_deadline(seed004, clock):
    reminder = Reminder.objects.filter(kind=Reminder.Kind.BEFORE_DUE, milestone__isnull=False)[0]
    message = compose(reminder)
    InAppChannel().deliver(reminder, message)
    notification = Notification.objects.get(
        recipient=reminder.recipient, data__reminder=reminder.pk
    )
    assert notification.verb == message.subject
    assert notification.description == message.link
    assert notification.actor == reminder.assignment
    assert notification.target == reminder.milestone
    assert notification.data == {"reminder": reminder.pk, "url": message.link}
    assert notification.unread and not notification.deleted
