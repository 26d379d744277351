"""Notifications read in the reader's language, when they are read (issue #17, 12): not in the
language of whoever caused them, nor of the recipient when they were written."""

import pytest
from django.urls import reverse
from django.utils import translation
from notifications.models import Notification
from notifications.signals import notify

from assignments.models import User
from reminders import notices
from reminders.channels import InAppChannel
from reminders.messages import compose
from reminders.models import Reminder
from workflow import services

pytestmark = pytest.mark.django_db


def person(username: str) -> User:
    return User.objects.get(username=username)


def page(client, name: str) -> str:
    return client.get(reverse(name)).content.decode()


@pytest.fixture
def returned(seed004):
    """Jan's delivery returned by Per, both reading Swedish when it happened."""
    jan, per = person("jan.strang"), person("per.albertsson")
    assert jan.language == "" and per.language == ""
    delivery = services.submit_delivery(assignment=seed004, actor=jan, summary="Förslag")
    services.return_delivery(delivery=delivery, decided_by=per, comment="Komplettera kostnaderna.")
    return Notification.objects.get(recipient=jan, data__event="delivery_returned")


def test_an_event_written_in_swedish_reads_in_english_for_a_reader_who_chose_english(
    client, returned, seed004
):
    assert returned.verb.startswith("Slutleveransen återremitterades")  # as it was written
    jan = person("jan.strang")
    jan.language = "en"
    jan.save()
    client.force_login(jan)
    expected = f"Final delivery returned for revision: {seed004.title} (RS 2024-05699)"
    for name in ("notification_list", "home"):
        html = page(client, name)
        assert expected in html, name
        assert "Per Albertsson returned it: “Komplettera kostnaderna.”" in html, name
        assert "Slutleveransen återremitterades" not in html, name


def test_the_same_event_reads_in_swedish_to_a_reader_who_reads_swedish(client, returned):
    jan = person("jan.strang")
    jan.language = "en"
    jan.save()
    client.force_login(jan)
    assert "Final delivery returned" in page(client, "notification_list")
    client.post(reverse("language"), {"language": "sv", "next": "/"})
    html = page(client, "notification_list")
    assert "Slutleveransen återremitterades" in html
    assert "Per Albertsson återremitterade: ”Komplettera kostnaderna.”" in html


def test_a_reminder_written_in_swedish_reads_in_english_when_read_in_english(client, seed004):
    reminder = Reminder.objects.filter(
        kind=Reminder.Kind.BEFORE_DUE, recipient__username="jan.strang"
    ).first()
    InAppChannel().deliver(reminder, compose(reminder))  # written in Swedish, Jan's language
    notice = Notification.objects.get(data__reminder=reminder.pk)
    assert notice.verb.startswith("Påminnelse:")
    jan = person("jan.strang")
    jan.language = "en"
    jan.save()
    client.force_login(jan)
    html = page(client, "notification_list")
    assert "Reminder: " in html and "Påminnelse:" not in html


def test_a_notification_without_its_event_shows_its_verb(client, seed004):
    jan = person("jan.strang")
    notify.send(jan, recipient=jan, verb="En äldre notis", event="decision_waiting")
    jan.language = "en"
    jan.save()
    client.force_login(jan)
    assert "En äldre notis" in page(client, "notification_list")


def test_a_page_of_notifications_is_written_with_one_query(seed004, django_assert_num_queries):
    jan = person("jan.strang")
    for reminder in Reminder.objects.filter(recipient=jan, kind=Reminder.Kind.BEFORE_DUE)[:5]:
        InAppChannel().deliver(reminder, compose(reminder))
    found = list(jan.notifications.all())
    assert len(found) >= 5
    with translation.override("en"), django_assert_num_queries(1):
        readable = notices.readable(found)
    assert all(n.text.startswith("Reminder") for n in readable if n.data.get("reminder"))
