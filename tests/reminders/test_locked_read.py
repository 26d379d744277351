"""dispatch._locked() reads the row with hand-written SQL: it must give what the ORM gives."""

import datetime as dt

import pytest
from django.db import transaction

from assignments.models import User
from reminders import dispatch, services
from reminders.models import Reminder
from workflow import services as workflow

pytestmark = pytest.mark.django_db


def orm_read(pk: int) -> Reminder:
    return Reminder.objects.select_related("recipient", "assignment", "milestone").get(pk=pk)


def test_the_locked_read_gives_what_the_orm_gives(seed004, clock):
    jan = User.objects.get(username="jan.strang")
    workflow.submit_delivery(assignment=seed004, actor=jan, summary="Förslag")  # decision rows
    services.plan_digests(dt.date(2025, 10, 1))  # digest rows: no assignment, no milestone
    kinds = set()
    for pk in Reminder.objects.values_list("pk", flat=True):
        with transaction.atomic():
            ours = dispatch._locked(pk)
        theirs = orm_read(pk)
        kinds.add((ours.kind, ours.milestone_id is None, ours.assignment_id is None))
        for field in Reminder._meta.concrete_fields:
            assert getattr(ours, field.attname) == getattr(theirs, field.attname), field
        for relation, attnames in dispatch._RELATED_FIELDS.items():
            mine, orm = getattr(ours, relation), getattr(theirs, relation)
            assert (mine is None) == (orm is None), relation
            if mine is not None:
                assert type(mine) is type(orm)
                assert mine._state.db == orm._state.db and not mine._state.adding
                for attname in attnames:
                    assert getattr(mine, attname) == getattr(orm, attname), (relation, attname)
        assert ours.delivery == theirs.delivery  # not joined: loaded when asked for
    assert {kind for kind, *_ in kinds} >= {"before_due", "decision_waiting", "digest"}
    assert ("digest", True, True) in kinds


def test_a_missing_row_reads_as_none(db):
    with transaction.atomic():
        assert dispatch._locked(10**9) is None
