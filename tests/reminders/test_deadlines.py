"""A deadline's reminders during an absence (reminders/deadlines.py): they go to the stand-in as
well, for the days the person is away, and the mail says for whom; ended early, no more."""

import datetime as dt

import pytest

from tests.factories import UserFactory
from workflow import services

from .test_dispatch import at, sweep_inline

pytestmark = pytest.mark.django_db

COMPILATION = "Sammanställning"


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def mails(smtp, username: str) -> list:
    return [m for m in smtp.inbox.to(f"{username}@example.org") if COMPILATION in body(m)]


@pytest.fixture
def kim(db):
    return UserFactory(
        username="kim.berg", first_name="Kim", last_name="Berg", email="kim.berg@example.org"
    )


def test_the_stand_in_gets_the_absent_persons_reminder_and_is_told_why(
    seed004, smtp, clock, people_, kim
):
    jan = people_("jan.strang")
    services.set_absence(
        person=jan, starts=dt.date(2025, 11, 10), ends=dt.date(2025, 11, 21), stand_in=kim
    )
    clock.move_to(at("2025-11-13"))
    sweep_inline(at("2025-11-13"))
    smtp.inbox.messages.clear()

    clock.move_to(at("2025-11-14"))  # ten working days before the compilation's deadline
    sweep_inline(at("2025-11-14"))

    assert len(mails(smtp, "jan.strang")) == 1
    (mail,) = mails(smtp, "kim.berg")
    assert (
        "Du får det här som ersättare för Jan Sträng, som är frånvarande till 2025-11-21."
        in " ".join(body(mail).split())
    )
    assert "som ersättare" not in body(mails(smtp, "jan.strang")[0])


def test_a_reminder_after_the_absence_goes_to_its_person_alone(seed004, smtp, clock, people_, kim):
    jan = people_("jan.strang")
    services.set_absence(
        person=jan, starts=dt.date(2025, 11, 3), ends=dt.date(2025, 11, 13), stand_in=kim
    )
    clock.move_to(at("2025-11-13"))
    sweep_inline(at("2025-11-13"))
    smtp.inbox.messages.clear()

    clock.move_to(at("2025-11-14"))
    sweep_inline(at("2025-11-14"))

    assert len(mails(smtp, "jan.strang")) == 1
    assert mails(smtp, "kim.berg") == []


def test_an_absence_ended_early_sends_the_stand_in_nothing_more(seed004, smtp, clock, people_, kim):
    jan = people_("jan.strang")
    absence = services.set_absence(
        person=jan, starts=dt.date(2025, 11, 10), ends=dt.date(2025, 11, 21), stand_in=kim
    )
    services.end_absence(absence=absence, actor=jan)
    clock.move_to(at("2025-11-13"))
    sweep_inline(at("2025-11-13"))
    smtp.inbox.messages.clear()

    clock.move_to(at("2025-11-14"))
    sweep_inline(at("2025-11-14"))

    assert len(mails(smtp, "jan.strang")) == 1
    assert mails(smtp, "kim.berg") == []
