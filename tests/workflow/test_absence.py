"""Absence (frånvaro) with a stand-in (ersättare): Swedish July. Both decision-makers are away
with stand-ins they chose; a delivery submitted meanwhile waits with the stand-ins, who decide
it, and the record names both."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assignments.models import Approval, Assignment
from tests.factories import UserFactory
from workflow import services

pytestmark = pytest.mark.django_db


def approval_owners(assignment) -> dict[str, str]:
    return {
        str(t.data["decision_maker"]): t.owner.username
        for t in services.open_tasks(assignment)
        if t.flow_task.name == "approve"
    }


def test_a_delivery_in_both_decision_makers_absence_is_decided_by_their_stand_ins(seed004, people):
    anders, per = people.anders_kullbratt, people.per_albertsson
    kim = UserFactory(username="kim.berg", first_name="Kim", last_name="Berg")
    lena = UserFactory(username="lena.ek", first_name="Lena", last_name="Ek")
    today = timezone.localdate()
    july = (today - dt.timedelta(days=3), today + dt.timedelta(days=28))
    services.set_absence(person=per, starts=july[0], ends=july[1], stand_in=kim)
    services.set_absence(person=anders, starts=july[0], ends=july[1], stand_in=lena)

    services.adopt_assignment(assignment=seed004, actor=anders)
    mail.outbox.clear()
    delivery = services.submit_delivery(
        assignment=seed004, actor=people.jan_strang, summary="Förslag"
    )

    assert approval_owners(seed004) == {str(per.pk): "kim.berg", str(anders.pk): "lena.ek"}
    for stand_in in (kim, lena):
        services.approve_delivery(delivery=delivery, decided_by=stand_in, decided_on=today)
    seed004.refresh_from_db()
    assert seed004.state == Assignment.State.DECIDED
    lines = {a.answered_by for a in Approval.objects.filter(delivery=delivery)}
    assert lines == {
        "Per Albertsson, genom ersättare Kim Berg",
        "Anders Kullbratt, genom ersättare Lena Ek",
    }


def test_a_stand_in_the_rules_refuse_leaves_the_approval_with_its_decision_maker(seed004, people):
    anders, per = people.anders_kullbratt, people.per_albertsson
    today = timezone.localdate()
    # another decision-maker of the same delivery is never a stand-in (N different people)
    services.set_absence(person=per, starts=today, ends=today, stand_in=anders)
    services.adopt_assignment(assignment=seed004, actor=anders)
    services.submit_delivery(assignment=seed004, actor=people.jan_strang, summary="Förslag")
    assert approval_owners(seed004)[str(per.pk)] == "per.albertsson"


def test_an_absence_that_ends_before_it_starts_is_refused(seed004, people):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.set_absence(
            person=people.per_albertsson, starts=today, ends=today - dt.timedelta(days=1)
        )


def test_ending_an_absence_early_hands_the_approval_back(seed004, people):
    anders, per = people.anders_kullbratt, people.per_albertsson
    kim = UserFactory(username="kim.berg", first_name="Kim", last_name="Berg")
    today = timezone.localdate()
    absence = services.set_absence(
        person=per, starts=today, ends=today + dt.timedelta(days=20), stand_in=kim
    )
    services.adopt_assignment(assignment=seed004, actor=anders)
    services.submit_delivery(assignment=seed004, actor=people.jan_strang, summary="Förslag")
    assert approval_owners(seed004)[str(per.pk)] == "kim.berg"

    services.end_absence(absence=absence, actor=per)

    assert approval_owners(seed004)[str(per.pk)] == "per.albertsson"
    absence.refresh_from_db()
    assert absence.ended_by == per and absence.ends == today + dt.timedelta(days=20)
    assert services.away_with_stand_in(per.pk) is None


def test_only_a_registrar_sets_an_absence_for_someone_else(seed004, people):
    per, jan = people.per_albertsson, people.jan_strang
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.set_absence(person=per, starts=today, ends=today, actor=jan)
    absence = services.set_absence(person=per, starts=today, ends=today, actor=people.registrator)
    assert absence.person == per
