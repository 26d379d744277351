"""A registrar sets an absence for someone in the admin (workflow/admin.py): through the same
service as the person's own page, so the same refusals, beside the field, nothing saved; never
edited afterwards, ended early by an action that keeps it on record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assignments.models import Absence, AuditEntry, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/assignments/absence/add/"


@pytest.fixture
def registrar(seed004, client):
    user = User.objects.get(username="registrator")
    client.force_login(user)
    return user


def form(person, stand_in=None, days=30) -> dict:
    today = timezone.localdate()
    return {
        "person": person.pk,
        "starts": today.isoformat(),
        "ends": (today + dt.timedelta(days=days)).isoformat(),
        "stand_in": stand_in.pk if stand_in else "",
    }


def test_a_registrar_sets_one_for_someone_through_the_service(registrar, client, people):
    per = people.per_albertsson
    kim = UserFactory(username="kim.berg", first_name="Kim", last_name="Berg")

    response = client.post(ADD, form(per, kim))

    assert response.status_code == 302
    absence = Absence.objects.get()
    assert (absence.person, absence.stand_in) == (per, kim)
    entry = AuditEntry.objects.get(action="absence.set")
    assert entry.actor == registrar and entry.after["person"] == per.pk


def test_the_services_refusal_is_shown_beside_the_field(registrar, client, people):
    per = people.per_albertsson
    response = client.post(ADD, form(per, per))  # oneself as one's own stand-in
    assert response.status_code == 200
    assert "stand_in" in response.context["adminform"].form.errors
    response = client.post(ADD, form(per, days=-1))
    assert response.context["adminform"].form.errors["ends"] == [
        "Frånvaron kan inte sluta innan den börjar."
    ]
    assert not Absence.objects.exists()


def test_the_action_ends_it_and_nothing_edits_it(registrar, client, people):
    client.post(ADD, form(people.per_albertsson))
    absence = Absence.objects.get()
    change = f"/admin/assignments/absence/{absence.pk}/change/"
    assert client.post(change, form(people.jan_strang)).status_code == 403

    client.post(
        "/admin/assignments/absence/",
        {"action": "end_absences", "_selected_action": [absence.pk]},
    )

    absence.refresh_from_db()
    assert absence.ended_by == registrar and absence.person == people.per_albertsson
