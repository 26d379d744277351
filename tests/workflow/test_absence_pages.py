"""Frånvaro (workflow/views/absence.py): a person sets, sees and ends their own absence and
chooses a stand-in; the service's refusals are shown beside the fields, nothing saved; nobody
ends anyone else's."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from assignments.models import Absence, AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2027, 6, 28, 9, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def per():
    return UserFactory(username="per.albertsson", first_name="Per", last_name="Albertsson")


@pytest.fixture
def anna():
    return UserFactory(username="anna.lind", first_name="Anna", last_name="Lind")


def client_of(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_settings_lead_to_the_absence_page(per, clock):
    page = client_of(per).get(reverse("user_settings")).content.decode()
    assert reverse("absence") in page


def test_a_person_sets_july_with_a_stand_in_and_sees_it(per, anna, clock):
    client = client_of(per)
    response = client.post(
        reverse("absence"), {"starts": "2027-07-01", "ends": "2027-07-31", "stand_in": anna.pk}
    )
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert (absence.person, absence.starts, absence.ends, absence.stand_in) == (
        per,
        dt.date(2027, 7, 1),
        dt.date(2027, 7, 31),
        anna,
    )
    assert AuditEntry.objects.filter(action="absence.set", actor=per).count() == 1
    page = client.get(reverse("absence")).content.decode()
    assert "2027-07-01–2027-07-31" in page
    assert "ersättare Anna Lind" in page


def test_an_absence_that_ends_before_it_starts_is_refused_beside_its_field(per, anna, clock):
    response = client_of(per).post(
        reverse("absence"), {"starts": "2027-07-31", "ends": "2027-07-01", "stand_in": anna.pk}
    )
    assert response.status_code == 400
    assert not Absence.objects.exists()
    form = response.context["form"]
    assert form.errors["ends"] == ["Frånvaron kan inte sluta innan den börjar."]


def test_oneself_and_a_person_who_has_left_are_no_stand_ins(per, anna, clock):
    anna.is_active = False
    anna.save()
    client = client_of(per)
    page = client.get(reverse("absence")).content.decode()
    assert f'value="{per.pk}"' not in page and f'value="{anna.pk}"' not in page
    for stand_in in (per, anna):
        response = client.post(
            reverse("absence"),
            {"starts": "2027-07-01", "ends": "2027-07-31", "stand_in": stand_in.pk},
        )
        assert response.status_code == 400
        assert "stand_in" in response.context["form"].errors
    assert not Absence.objects.exists()


def test_ending_it_early_keeps_it_on_record_and_audits_it(per, anna, clock):
    client = client_of(per)
    client.post(
        reverse("absence"), {"starts": "2027-06-28", "ends": "2027-07-31", "stand_in": anna.pk}
    )
    absence = Absence.objects.get()

    response = client.post(reverse("absence_end", args=[absence.pk]))

    assert response.status_code == 302
    absence.refresh_from_db()
    assert absence.ended_at == MONDAY and absence.ended_by == per
    assert absence.ends == dt.date(2027, 7, 31)  # as it was set: nothing rewritten
    assert AuditEntry.objects.filter(action="absence.ended", actor=per).count() == 1
    assert "Du har ingen frånvaro inlagd." in client.get(reverse("absence")).content.decode()


def test_nobody_ends_someone_elses_absence(per, anna, clock):
    client_of(per).post(reverse("absence"), {"starts": "2027-07-01", "ends": "2027-07-31"})
    absence = Absence.objects.get()
    assert client_of(anna).post(reverse("absence_end", args=[absence.pk])).status_code == 404
    absence.refresh_from_db()
    assert absence.ended_at is None
