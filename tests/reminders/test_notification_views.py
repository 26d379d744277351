"""The notification centre and the in-app notifications of process events."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from notifications.models import Notification
from notifications.signals import notify

from assignments.models import User
from tests.factories import UserFactory
from workflow import services

pytestmark = pytest.mark.django_db


def person(username):
    return User.objects.get(username=username)


def test_process_events_notify_the_right_people(demo):
    jan, per, anders = person("jan.strang"), person("per.albertsson"), person("anders.kullbratt")
    delivery = services.submit_delivery(assignment=demo, actor=jan, summary="Förslag")
    waiting = Notification.objects.filter(
        data__event="decision_requested", target_object_id=str(demo.pk)
    )
    assert {n.recipient for n in waiting} == set(demo.decision_makers.all())
    assert {per, anders} <= {n.recipient for n in waiting}
    assert all(n.data["url"] == f"/uppdrag/{demo.pk}/beslut/" for n in waiting)

    services.return_delivery(delivery=delivery, decided_by=per, comment="Komplettera")
    returned = Notification.objects.get(
        data__event="delivery_returned", target_object_id=str(demo.pk)
    )
    assert returned.recipient == jan
    assert returned.verb.startswith("Slutleveransen återremitterades")

    delivery = services.submit_delivery(assignment=demo, actor=jan, summary="Version 2")
    services.approve_delivery(delivery=delivery, decided_by=anders)
    services.approve_delivery(delivery=delivery, decided_by=per)
    decided = Notification.objects.filter(data__event="decided", target_object_id=str(demo.pk))
    # the assignee, the commissioners and the distribution list, not the one who closed it
    people = {n.recipient for n in decided}
    assert {jan, anders, person("ann-charlotte.jarnstrom")} <= people
    assert per not in people


def test_the_stored_verb_is_in_the_recipients_language(demo):
    """For a reader that shows only the library's verb (the admin); our pages render the
    event in their reader's language (test_notices.py)."""
    per = person("per.albertsson")
    per.language = "en"
    per.save()
    services.submit_delivery(assignment=demo, actor=person("jan.strang"), summary="Förslag")
    notice = Notification.objects.get(
        recipient=per, data__event="decision_requested", target_object_id=str(demo.pk)
    )
    assert notice.verb.startswith("Awaiting your decision")


@pytest.fixture
def two_people(db):
    me, other = UserFactory(), UserFactory()
    mine = [
        notify.send(other, recipient=me, verb=f"Notis {i}", url="/uppdrag/1/") for i in range(3)
    ]
    notify.send(me, recipient=other, verb="Inte din")
    assert mine
    return me, other


def test_centre_lists_only_my_notifications_and_the_bell_counts_them(client, two_people):
    me, _other = two_people
    client.force_login(me)
    page = client.get(reverse("notification_list")).content.decode()
    assert "Notis 0" in page and "Notis 2" in page and "Inte din" not in page
    assert '<span id="notification-count" class="uppdrag-bell__count">3</span>' in page


def test_open_marks_read_and_follows_the_link(client, two_people):
    me, _other = two_people
    client.force_login(me)
    notification = me.notifications.first()
    response = client.post(reverse("notification_open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/uppdrag/1/"
    notification.refresh_from_db()
    assert notification.unread is False


def test_a_get_shows_the_notification_and_leaves_it_unread(client, two_people):
    """Issue 27: a link previewer or prefetch that GETs the address marks nothing read."""
    me, _other = two_people
    client.force_login(me)
    notification = me.notifications.first()
    response = client.get(reverse("notification_open", args=[notification.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert notification.verb in page
    assert f'action="{reverse("notification_open", args=[notification.pk])}"' in page
    notification.refresh_from_db()
    assert notification.unread is True


def test_the_list_opens_a_notification_by_a_form(client, two_people):
    me, _other = two_people
    client.force_login(me)
    page = client.get(reverse("notification_list")).content.decode()
    for notification in me.notifications.all():
        url = reverse("notification_open", args=[notification.pk])
        assert f'<form method="post" action="{url}"' in page
        assert f'href="{url}"' not in page


def test_mark_read_unread_and_all(client, two_people):
    me, _other = two_people
    client.force_login(me)
    notification = me.notifications.first()
    client.post(reverse("notification_read", args=[notification.pk]))
    assert me.notifications.unread().count() == 2
    client.post(reverse("notification_read", args=[notification.pk]), {"unread": "1"})
    assert me.notifications.unread().count() == 3
    response = client.post(reverse("notification_read_all"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notification_list")
    assert me.notifications.unread().count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "3 notiser markerade som lästa." in page
    notification.refresh_from_db()
    notification.mark_as_unread()
    response = client.post(reverse("notification_read_all"), follow=True)
    assert "1 notis markerad som läst." in response.content.decode()


def test_someone_elses_notification_is_a_404_and_unchanged(client, two_people):
    me, other = two_people
    client.force_login(me)
    theirs = other.notifications.get()
    assert client.post(reverse("notification_read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notification_open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notification_open", args=[theirs.pk])).status_code == 404
    client.post(reverse("notification_read_all"))
    theirs.refresh_from_db()
    assert theirs.unread is True


def test_marking_read_needs_csrf(two_people):
    me, _other = two_people
    client = Client(enforce_csrf_checks=True)
    client.force_login(me)
    assert client.post(reverse("notification_read_all")).status_code == 403
    assert me.notifications.unread().count() == 3


# -- the settings page: what a person is told about ------------------------------------------


def all_on() -> dict[str, str]:
    from reminders.models import EVENT_KINDS

    return {f"{kind}-{channel}": "on" for kind in EVENT_KINDS for channel in ("in_app", "by_email")}


def test_settings_offer_each_kind_in_the_app_and_by_email_and_escalations_always(client, db):
    me = UserFactory()
    client.force_login(me)
    html = client.get(reverse("user_settings")).content.decode()
    for kind in ("adoption_waiting", "adopted", "task_delegated", "decision_requested"):
        assert f'id="choice-{kind}"' in html
        for channel in ("in_app", "by_email"):
            assert f'name="{kind}-{channel}" id="id_{kind}-{channel}" checked' in html
            assert f'<label for="id_{kind}-{channel}"' in html
    assert 'id="choice-escalation"' in html and "Skickas alltid" in html
    assert 'name="escalation' not in html


def test_settings_store_each_choice_with_an_audit_entry_told_in_words(client, db):
    from assignments.history import describe
    from assignments.models import AuditEntry
    from reminders import preferences

    me = UserFactory(first_name="Jan", last_name="Sträng")
    client.force_login(me)
    data = {**all_on(), "language": "sv", "wants_digest": "on"}
    del data["decided-by_email"], data["adopted-in_app"]
    data["escalation-in_app"] = ""  # a forged choice for escalations changes nothing
    response = client.post(reverse("user_settings"), data)
    assert response.status_code == 302
    chosen = preferences.choices_of(me)
    assert chosen["decided"] == (True, False) and chosen["adopted"] == (False, True)
    assert chosen["decision_requested"] == (True, True)
    assert set(me.notification_preferences.values_list("event", flat=True)) == {
        "decided",
        "adopted",
    }
    entries = AuditEntry.objects.filter(action="notifications.choice_changed").order_by("pk")
    assert entries.count() == 2
    with translation.override("sv"):
        line = describe([entries.get(after__event="decided")])[0]
    assert line.text == "Jan Sträng ändrade sina val för notiser: Uppdraget beslutat"
    assert [(c.label, c.before, c.after) for c in line.changes] == [("Via e-post", "ja", "nej")]
    with translation.override("en"):
        line = describe([entries.get(after__event="decided")])[0]
    assert line.text == "Jan Sträng changed their notification choices: Assignment decided"
    # saving the same choices again changes and audits nothing
    client.post(reverse("user_settings"), data)
    assert AuditEntry.objects.filter(action="notifications.choice_changed").count() == 2


def test_settings_with_an_error_keep_the_choices_typed_and_store_nothing(client, db):
    from reminders import preferences

    me = UserFactory()
    client.force_login(me)
    data = {**all_on(), "language": "xx"}
    del data["adopted-by_email"]
    response = client.post(reverse("user_settings"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'name="adopted-by_email" id="id_adopted-by_email">' in html  # as typed: unchecked
    assert preferences.choices_of(me)["adopted"] == (True, True)
