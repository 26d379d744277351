"""The reminders admin: the registrar reads the outbox and the policy; a superuser acts on them."""

import pytest
from django.urls import reverse

from assignments.models import AuditEntry, User
from reminders.models import Reminder, ReminderPolicy
from tests.factories import UserFactory
from tests.seeding import load_demo

from .conftest import registered_as_written

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrar_client(client):
    load_demo("--seed-only")
    registered_as_written()
    client.force_login(User.objects.get(username="registrator"))
    return client


def test_registrar_reads_the_outbox_and_the_policies(registrar_client):
    assert Reminder.objects.exists()
    reminder = Reminder.objects.first()
    policy = ReminderPolicy.objects.first()
    for url in (
        reverse("admin:reminders_reminder_changelist"),
        reverse("admin:reminders_reminder_change", args=[reminder.pk]),
        reverse("admin:reminders_reminderpolicy_changelist"),
        reverse("admin:reminders_reminderpolicy_change", args=[policy.pk]),
    ):
        assert registrar_client.get(url).status_code == 200, url


def test_registrar_cannot_cancel_reminders(registrar_client):
    reminder = Reminder.objects.filter(state=Reminder.State.PLANNED).first()
    page = registrar_client.get(reverse("admin:reminders_reminder_changelist"))
    assert "cancel_unsent" not in page.content.decode()
    registrar_client.post(
        reverse("admin:reminders_reminder_changelist"),
        {"action": "cancel_unsent", "_selected_action": [reminder.pk]},
    )
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.PLANNED
    assert not AuditEntry.objects.filter(action="reminder.cancelled").exists()


def test_registrar_cannot_change_a_policy(registrar_client):
    policy = ReminderPolicy.objects.get(subject="compilation")
    response = registrar_client.post(
        reverse("admin:reminders_reminderpolicy_change", args=[policy.pk]),
        {"subject": "compilation", "lead_working_days": "[1]", "send_hour": "3"},
    )
    assert response.status_code == 403
    policy.refresh_from_db()
    assert policy.send_hour == 8


def test_superuser_cancels_a_reminder_with_an_audit_entry(client):
    load_demo("--seed-only")
    registered_as_written()
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    reminder = Reminder.objects.filter(state=Reminder.State.PLANNED).first()
    client.post(
        reverse("admin:reminders_reminder_changelist"),
        {"action": "cancel_unsent", "_selected_action": [reminder.pk]},
    )
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.CANCELLED
    entry = AuditEntry.objects.get(action="reminder.cancelled")
    assert entry.actor == root
