"""dispatch._locked() reads the row with hand-written SQL: it must give what the ORM gives."""

import datetime as dt

import pytest
from django.db import transaction

from assignments.models import User
from reminders import dispatch, services, statements
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


@pytest.mark.parametrize("names", [dispatch._SENT_FIELDS, dispatch._RETRY_FIELDS, ("state",)])
def test_the_write_stores_what_save_would(seed004, clock, names):
    """statements.update() is save(update_fields=...) without the ORM's compile: the row must
    read back the same either way, and no other column or row may change."""
    import uuid

    first, second = Reminder.objects.order_by("pk")[:2]
    others_before = list(Reminder.objects.exclude(pk__in=[first.pk, second.pk]).values())
    values = {
        "state": Reminder.State.SENT,
        "attempts": 3,
        "sent_at": dt.datetime(2025, 11, 14, 7, 31, 12, 345678, tzinfo=dt.UTC),
        "claim_token": None,
        "lease_until": None,
        "last_error": "SMTPServerDisconnected: åäö",
        "planned_at": dt.datetime(2025, 11, 14, 8, 0, tzinfo=dt.UTC),
        "in_app_at": dt.datetime(2025, 11, 14, 7, 31, 12, 2, tzinfo=dt.UTC),
    }
    for reminder in (first, second):
        reminder.claim_token = uuid.uuid4()
        reminder.save(update_fields=["claim_token"])
        for name in names:
            setattr(reminder, name, values[name])
    before = Reminder.objects.values().get(pk=first.pk)
    with transaction.atomic():
        statements.update(first, names)
    second.save(update_fields=list(names))
    ours = Reminder.objects.values().get(pk=first.pk)
    theirs = Reminder.objects.values().get(pk=second.pk)
    for name in names:
        assert ours[name] == theirs[name] == values[name], name
    untouched = {f.attname for f in Reminder._meta.concrete_fields} - set(names)
    assert {k: before[k] for k in untouched} == {k: ours[k] for k in untouched}
    assert list(Reminder.objects.exclude(pk__in=[first.pk, second.pk]).values()) == others_before
