"""The in-app channel: the notifications library's notification, written by notify.send(),
leads to the deadline and shows on the recipient's pages at once."""

import pytest
from django.db import transaction
from notifications.models import Notification

from assignments import page_cache
from assignments.models import User
from reminders.channels import InAppChannel
from reminders.messages import compose
from reminders.models import Reminder


@pytest.mark.django_db
def test_the_notification_names_the_reminder_and_leads_to_its_deadline(seed004, clock):
    reminder = Reminder.objects.filter(kind=Reminder.Kind.BEFORE_DUE, milestone__isnull=False)[0]
    message = compose(reminder)
    InAppChannel().deliver(reminder, message)
    notification = Notification.objects.get(recipient=reminder.recipient)
    assert notification.verb == message.subject
    assert notification.description == message.link
    assert notification.actor == reminder.assignment
    assert notification.target == reminder.milestone
    assert notification.data == {"reminder": reminder.pk, "url": message.link}
    assert notification.unread and not notification.deleted


@pytest.mark.django_db(transaction=True)
def test_the_recipients_page_version_changes_when_the_row_commits(seed004, clock):
    reminder = Reminder.objects.filter(kind=Reminder.Kind.BEFORE_DUE).order_by("pk").first()
    someone_else = User.objects.exclude(pk=reminder.recipient_id).first()
    before = page_cache.versions(reminder.recipient_id)
    others = page_cache.versions(someone_else.pk)
    with transaction.atomic():
        InAppChannel().deliver(reminder, compose(reminder))
        assert page_cache.versions(reminder.recipient_id) == before  # not before the commit
    after = page_cache.versions(reminder.recipient_id)
    assert after[0] == before[0] and after[1] != before[1]  # the person's own, not global
    assert page_cache.versions(someone_else.pk) == others
