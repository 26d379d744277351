"""The in-app channel writes the notifications library's row itself (one prepared INSERT):
it must be the row notify.send() writes."""

import datetime as dt

import pytest
from notifications.models import Notification
from notifications.signals import notify

from assignments.models import User
from reminders import services
from reminders.channels import InAppChannel
from reminders.messages import compose
from reminders.models import Reminder
from workflow import services as workflow


def notify_send(reminder: Reminder, message) -> None:
    """The library's own way, with the arguments the channel used to pass it."""
    notify.send(
        reminder.assignment or reminder.recipient,
        recipient=reminder.recipient,
        verb=message.subject,
        target=reminder.milestone or reminder.delivery or reminder.assignment,
        description=message.link,
        reminder=reminder.pk,
        url=message.link,
    )


def columns(notification: Notification) -> dict:
    return {
        field.attname: getattr(notification, field.attname)
        for field in Notification._meta.concrete_fields
        if field.attname not in ("id", "timestamp")
    }


@pytest.mark.django_db
def test_the_row_is_the_row_notify_send_writes(seed004, clock):
    jan = User.objects.get(username="jan.strang")
    workflow.submit_delivery(assignment=seed004, actor=jan, summary="Förslag")  # decision rows
    services.plan_digests(dt.date(2025, 10, 1))  # digest rows: no assignment, no target
    kinds = set()
    for kind in (Reminder.Kind.BEFORE_DUE, Reminder.Kind.DECISION_WAITING, Reminder.Kind.DIGEST):
        reminder = Reminder.objects.filter(kind=kind).order_by("pk").first()
        message = compose(reminder)
        InAppChannel().deliver(reminder, message)
        ours = Notification.objects.latest("pk")
        notify_send(reminder, message)
        theirs = Notification.objects.latest("pk")
        assert ours.pk != theirs.pk
        assert columns(ours) == columns(theirs), kind
        assert abs(ours.timestamp - theirs.timestamp) < dt.timedelta(seconds=5)
        assert ours.data == {"reminder": reminder.pk, "url": message.link}
        assert ours.recipient == reminder.recipient and ours.unread and not ours.deleted
        kinds.add((kind, ours.target_content_type_id is None))
    assert kinds == {
        (Reminder.Kind.BEFORE_DUE, False),
        (Reminder.Kind.DECISION_WAITING, False),
        (Reminder.Kind.DIGEST, True),
    }
