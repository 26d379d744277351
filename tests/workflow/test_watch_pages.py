""" "Påminn mig" (workflow/views/watch.py): the form with its presets, the person's own watch
dates on the start page and on the page, removing one; nobody sees or removes anyone else's."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from assignments.models import AuditEntry
from reminders import watch_dates
from reminders.models import WatchDate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOTE = "Stäm av med Skaraborg före mötet."
FRIDAY = dt.datetime(2025, 10, 3, 9, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(FRIDAY, tick=False) as traveller:
        yield traveller


def client_of(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_a_reader_sets_one_on_a_milestone_with_a_preset_and_sees_it_alone(seed004, people, clock):
    reader = people["ann-charlotte.jarnstrom"]
    milestone = seed004.milestones.order_by("pk").first()
    url = reverse("workflow:watch", args=[seed004.pk])
    client = client_of(reader)
    page = client.get(url, {"milstolpe": milestone.pk})
    assert page.status_code == 200
    assert f'<option value="{milestone.pk}" selected>' in page.content.decode()

    response = client.post(url, {"about": milestone.pk, "when": "tomorrow", "note": NOTE})

    assert response.status_code == 302
    assert response["Location"].endswith(f"#milestone-{milestone.pk}")
    watch = WatchDate.objects.get()
    assert (watch.person, watch.milestone, watch.day) == (reader, milestone, dt.date(2025, 10, 6))
    assert NOTE in client.get("/").content.decode()  # "Mina bevakningar"
    for other in (people["jan.strang"], people["per.albertsson"]):
        assert NOTE not in client_of(other).get("/").content.decode()
        assert NOTE not in client_of(other).get(url).content.decode()
    audit_page = client_of(people["jan.strang"]).get(reverse("workflow:audit", args=[seed004.pk]))
    assert NOTE not in audit_page.content.decode()


def test_a_day_in_the_past_or_no_day_is_refused_with_the_form_again(seed004, people, clock):
    client = client_of(people["jan.strang"])
    url = reverse("workflow:watch", args=[seed004.pk])
    for data in ({"when": "other", "day": "2025-10-01"}, {"when": "other"}):
        response = client.post(url, {"about": "", "note": NOTE, **data})
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
    assert not WatchDate.objects.exists()


def test_a_preset_on_the_assignment_itself_counts_from_its_final_delivery(seed004, people, clock):
    response = client_of(people["jan.strang"]).post(
        reverse("workflow:watch", args=[seed004.pk]), {"about": "", "when": "before_due"}
    )
    assert response.status_code == 302
    watch = WatchDate.objects.get()
    assert watch.milestone is None
    assert watch.day == watch_dates.preset_day("before_due", today=None, due=seed004.delivery_due)


def test_nobody_else_removes_it_and_its_person_does_audited(seed004, people, clock):
    jan = people["jan.strang"]
    watch = watch_dates.set_watch_date(
        person=jan, assignment=seed004, day=dt.date(2025, 10, 10), note=NOTE
    )
    url = reverse("workflow:cancel_watch", args=[watch.pk])
    assert client_of(people["per.albertsson"]).post(url).status_code == 404
    assert (
        client_of(UserFactory()).get(reverse("workflow:watch", args=[seed004.pk])).status_code
        == 404
    )

    response = client_of(jan).post(url, {"next": "/"})

    assert response.status_code == 302 and response["Location"] == "/"
    watch.refresh_from_db()
    assert watch.is_cancelled
    assert AuditEntry.objects.filter(action="watch_date.cancelled", actor=jan).count() == 1
    assert NOTE not in client_of(jan).get("/").content.decode()
