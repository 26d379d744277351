"""The moments of the process people are told about at once (issue #17, 7): each in the app (a
notification, written with the event) and by e-mail (an outbox row, sent through the sweep to a
real SMTP server), to the right people, once; each kind can be turned off, escalations cannot."""

import datetime as dt

import pytest
from django.utils import timezone
from notifications.models import Notification

from assignments.models import Assignment, User, WorkingGroupMember
from reminders import dispatch, events, preferences
from reminders.models import EVENT_KINDS, NotificationPreference, Reminder
from tests.factories import UserFactory
from tests.seeding import load_demo
from workflow import services

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind
DNR = "RS 2024-05699"


@pytest.fixture
def draft(clock):
    """RS 2024-05699 registered as a draft, its process started on 1 Oct 2025."""
    load_demo("--draft", "--seed-only")
    return Assignment.objects.get(registration_number=DNR, state="draft")


def person(username: str) -> User:
    return User.objects.get(username=username)


def told_in_app(kind: str, assignment) -> set[str]:
    """Who has a notification of this kind about the assignment."""
    found = Notification.objects.filter(data__event=kind, target_object_id=str(assignment.pk))
    return {n.recipient.username for n in found}


def outbox(kind: str, assignment):
    return Reminder.objects.filter(kind=kind, assignment=assignment)


def send_due() -> list[str]:
    """A sweep as beat runs it every minute, each claimed row sent at once (inline)."""
    now = timezone.now()
    results = []
    dispatch.sweep(now=now, enqueue=lambda pk, token: results.append(dispatch.send(pk, token)))
    return results


def mails(smtp, username: str, containing: str) -> list:
    """The person's mails that tell this: by their subject, or a line of a bundle (the events
    of one sweep to one person are one mail, "Uppdrag: 2 händelser om …")."""
    found = []
    for message in smtp.inbox.to(f"{username}@example.org"):
        subject = " ".join(str(message["Subject"]).split())
        bundled = subject.startswith("Uppdrag: ") and containing in body(message)
        if containing in subject or bundled:
            found.append(message)
    return found


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def adopted(draft, reason="Enligt beslut i samordningsgruppen."):
    services.adopt_assignment(assignment=draft, actor=person("per.albertsson"), reason=reason)
    return Assignment.objects.get(pk=draft.pk)


def delivered(draft):
    assignment = adopted(draft)
    services.submit_delivery(assignment=assignment, actor=person("jan.strang"), summary="Förslag")
    return Assignment.objects.get(pk=draft.pk)


# -- each moment, in the app and by e-mail -----------------------------------------------------


def test_a_draft_waiting_for_adoption_is_told_to_every_commissioner(draft, smtp):
    commissioners = {p.username for p in draft.commissioners.all()}
    assert commissioners == {"anders.kullbratt", "per.albertsson"}
    assert told_in_app(Kind.ADOPTION_WAITING, draft) == commissioners
    rows = outbox(Kind.ADOPTION_WAITING, draft)
    assert {r.recipient.username for r in rows} == commissioners
    send_due()
    for username in commissioners:
        (mail,) = mails(smtp, username, f"Väntar på fastställelse: {draft.title}")
        row = rows.get(recipient__username=username)
        assert mail["Message-ID"] == row.message_id
        assert f"/uppdrag/{draft.pk}/" in body(mail)
    assert set(rows.values_list("state", flat=True)) == {Reminder.State.SENT}


def test_once_adopted_waiting_for_adoption_is_news_to_no_commissioner(draft, smtp):
    rows = outbox(Kind.ADOPTION_WAITING, draft)
    assert set(rows.values_list("state", flat=True)) == {Reminder.State.PLANNED}
    adopted(draft)  # by Per, before the sweep sent the mails
    assert set(rows.values_list("state", flat=True)) == {Reminder.State.CANCELLED}
    unread = Notification.objects.filter(
        data__event=Kind.ADOPTION_WAITING, target_object_id=str(draft.pk), unread=True
    )
    assert not unread.exists()
    send_due()
    assert not mails(smtp, "anders.kullbratt", "Väntar på fastställelse")


def test_adoption_tells_the_assignee_and_the_working_group_to_start(draft, smtp):
    assignment = adopted(draft, reason="Enligt beslut i RS.")
    working_group = set(
        WorkingGroupMember.objects.filter(assignment=draft, is_active=True).values_list(
            "person__username", flat=True
        )
    )
    expected = ({"jan.strang"} | working_group) - {"per.albertsson"}  # never the one who adopted
    assert len(expected) > 3
    assert told_in_app(Kind.ADOPTED, assignment) == expected
    assert {r.recipient.username for r in outbox(Kind.ADOPTED, assignment)} == expected
    send_due()
    (mail,) = mails(smtp, "jan.strang", "Uppdraget är fastställt, arbetet kan börja")
    assert "Fastställt av Per Albertsson: ”Enligt beslut i RS.”" in body(mail)


def test_a_task_handed_on_is_told_to_the_person_who_now_holds_it(draft, smtp):
    assignment = delivered(draft)
    kim = UserFactory(username="kim.berg", first_name="Kim", last_name="Berg")
    per = person("per.albertsson")
    task = next(
        t
        for t in services.open_tasks(assignment)
        if t.flow_task.name == "approve" and t.data["decision_maker"] == per.pk
    )
    services.reassign_task(task=task, actor=per, new_owner=kim, reason="Semester vecka 48")
    (notice,) = Notification.objects.filter(recipient=kim, data__event=Kind.TASK_DELEGATED)
    assert notice.data["url"] == f"/uppdrag/{assignment.pk}/beslut/"
    assert notice.data["params"]["task"] == "approve"
    send_due()
    (mail,) = mails(smtp, "kim.berg", "Beslutet om slutleveransen har lämnats till dig")
    assert "Lämnad av Per Albertsson: ”Semester vecka 48”" in body(mail)
    assert f"/uppdrag/{assignment.pk}/beslut/" in body(mail)


def test_a_submitted_delivery_asks_each_decision_maker_at_once(draft, smtp):
    assignment = delivered(draft)
    decision_makers = {"anders.kullbratt", "per.albertsson"}
    assert told_in_app(Kind.DECISION_REQUESTED, assignment) == decision_makers
    now = timezone.now()
    rows = outbox(Kind.DECISION_REQUESTED, assignment)
    assert {r.recipient.username for r in rows} == decision_makers
    assert all(r.planned_at <= now for r in rows)  # not after three working days
    # the reminder still follows, three working days later
    reminder = outbox(Kind.DECISION_WAITING, assignment).first()
    assert reminder.planned_at > now + dt.timedelta(days=2)
    send_due()
    for username in decision_makers:
        (mail,) = mails(smtp, username, f"Väntar på ditt beslut: {assignment.title}")
        assert "Lämnad av Jan Sträng." in body(mail)
        assert f"/uppdrag/{assignment.pk}/beslut/" in body(mail)


def test_a_returned_delivery_is_told_to_the_assignee_with_the_comment(draft, smtp):
    assignment = delivered(draft)
    delivery = assignment.deliveries.get()
    services.return_delivery(
        delivery=delivery, decided_by=person("per.albertsson"), comment="Komplettera kostnaderna."
    )
    assert told_in_app(Kind.DELIVERY_RETURNED, assignment) == {"jan.strang"}
    (notice,) = Notification.objects.filter(data__event=Kind.DELIVERY_RETURNED)
    assert notice.data["params"]["comment"] == "Komplettera kostnaderna."
    send_due()
    (mail,) = mails(smtp, "jan.strang", "Slutleveransen återremitterades")
    assert "Per Albertsson återremitterade: ”Komplettera kostnaderna.”" in body(mail)


def test_the_decision_is_told_to_everyone_on_the_distribution_list(draft, smtp):
    assignment = delivered(draft)
    delivery = assignment.deliveries.get()
    services.approve_delivery(delivery=delivery, decided_by=person("anders.kullbratt"))
    services.approve_delivery(delivery=delivery, decided_by=person("per.albertsson"))
    assert Assignment.objects.get(pk=draft.pk).state == Assignment.State.DECIDED
    distribution = set(assignment.distribution.values_list("person__username", flat=True))
    assert "ann-charlotte.jarnstrom" in distribution  # "för kännedom"
    assert "bjorn.jarbur" in distribution  # "för genomförande"
    expected = (distribution | {"jan.strang", "anders.kullbratt"}) - {"per.albertsson"}
    assert told_in_app(Kind.DECIDED, assignment) == expected
    send_due()
    (mail,) = mails(smtp, "ann-charlotte.jarnstrom", "Uppdraget är beslutat")
    assert "Beslutsdatum 1 okt 2025." in body(mail)


# -- "Väntar på ditt beslut" becomes read --------------------------------------------------------


def waiting_notices(who: User, assignment) -> set[str]:
    """The person's unread "waiting for your decision" notices about the assignment: the
    event's (at once) and the reminder's (three working days later)."""
    reminders = set(outbox(Kind.DECISION_WAITING, assignment).values_list("pk", flat=True))
    found = set()
    for notice in who.notifications.unread():
        data = notice.data or {}
        if data.get("event") == Kind.DECISION_REQUESTED:
            found |= {"event"} if notice.target_object_id == str(assignment.pk) else set()
        if data.get("reminder") in reminders:
            found.add("reminder")
    return found


def test_waiting_for_your_decision_becomes_read_when_that_person_answers(draft, clock):
    assignment = delivered(draft)
    delivery = assignment.deliveries.get()
    anders, per = person("anders.kullbratt"), person("per.albertsson")
    clock.move_to(dt.datetime(2025, 10, 6, 8, 0, tzinfo=dt.UTC))  # three working days later
    send_due()
    assert waiting_notices(anders, assignment) == {"event", "reminder"}
    assert waiting_notices(per, assignment) == {"event", "reminder"}
    services.approve_delivery(delivery=delivery, decided_by=anders)
    assert waiting_notices(anders, assignment) == set()
    assert waiting_notices(per, assignment) == {"event", "reminder"}  # Per has not answered
    services.return_delivery(delivery=delivery, decided_by=per, comment="Komplettera.")
    assert waiting_notices(per, assignment) == set()


# -- each kind can be turned off; escalations cannot ----------------------------------------


def test_a_kind_turned_off_is_not_told_that_way(draft, smtp):
    jan, anders = person("jan.strang"), person("anders.kullbratt")
    preferences.set_choices(person=jan, choices={Kind.ADOPTED: (False, True)})  # e-mail only
    preferences.set_choices(person=anders, choices={Kind.ADOPTED: (False, False)})  # neither
    assignment = adopted(draft)
    in_app = told_in_app(Kind.ADOPTED, assignment)
    by_email = {r.recipient.username for r in outbox(Kind.ADOPTED, assignment)}
    assert "jan.strang" not in in_app and "jan.strang" in by_email
    assert "anders.kullbratt" not in in_app and "anders.kullbratt" not in by_email
    assert "erica.sandberg" in in_app and "erica.sandberg" in by_email  # chose nothing: both
    # a choice made after the row was written still holds when it is sent
    preferences.set_choices(person=person("erica.sandberg"), choices={Kind.ADOPTED: (True, False)})
    send_due()
    assert mails(smtp, "jan.strang", "Uppdraget är fastställt")
    assert not mails(smtp, "erica.sandberg", "Uppdraget är fastställt")
    assert outbox(Kind.ADOPTED, assignment).get(recipient__username="erica.sandberg").state == (
        Reminder.State.CANCELLED
    )


def test_escalations_cannot_be_turned_off(draft, smtp, clock):
    per = person("per.albertsson")
    everything_off = dict.fromkeys(EVENT_KINDS, (False, False))
    preferences.set_choices(person=per, choices=everything_off)
    # no choice exists for them: not in the model's choices, so not on the settings page
    assert Kind.ESCALATION not in dict(NotificationPreference._meta.get_field("event").choices)
    with pytest.raises(Exception, match="event"):
        NotificationPreference(person=per, event=Kind.ESCALATION, in_app=False).full_clean()
    assignment = adopted(draft)
    escalation = outbox(Kind.ESCALATION, assignment).filter(recipient=per).order_by("planned_at")[0]
    clock.move_to(escalation.planned_at)
    send_due()
    escalation.refresh_from_db()
    assert escalation.state == Reminder.State.SENT
    assert mails(smtp, "per.albertsson", "Eskalering")
    assert per.notifications.filter(data__reminder=escalation.pk).exists()


def test_an_occurrence_told_twice_is_sent_once(draft):
    per = person("per.albertsson")
    for _ in range(2):
        events.notify_event(
            Kind.ADOPTION_WAITING,
            assignment=draft,
            recipients=[per],
            occurrence="audit:test",
            path="/",
        )
    assert outbox(Kind.ADOPTION_WAITING, draft).filter(due_version="audit:test").count() == 1


def test_a_person_who_has_left_or_caused_it_is_not_told(draft):
    anders = person("anders.kullbratt")
    anders.is_active = False
    anders.save()
    jan = person("jan.strang")
    told = events.notify_event(
        Kind.ADOPTED,
        assignment=draft,
        recipients=[anders, jan, jan, None],
        occurrence="audit:left",
        path="/",
        actor=jan,
    )
    assert told == 0
    assert not outbox(Kind.ADOPTED, draft).filter(due_version="audit:left").exists()


def test_cancelled_before_the_sweep_its_start_is_news_no_more(draft, smtp):
    assignment = adopted(draft)
    assert outbox(Kind.ADOPTED, assignment).filter(state=Reminder.State.PLANNED).exists()
    services.cancel_assignment(
        assignment=assignment, actor=person("per.albertsson"), reason="Prioriterades bort."
    )
    assert set(outbox(Kind.ADOPTED, assignment).values_list("state", flat=True)) == {
        Reminder.State.CANCELLED
    }
    send_due()
    assert not mails(smtp, "jan.strang", "Uppdraget är fastställt")
    assert told_in_app(Kind.ADOPTED, assignment)  # what happened stays in the app's history


def test_an_event_claimed_before_the_assignment_closed_is_asked_again_at_send_time(draft, smtp):
    assignment = adopted(draft)
    bundles = dispatch.claim_due(timezone.now())  # a worker has them, then it is cancelled
    services.cancel_assignment(
        assignment=assignment, actor=person("per.albertsson"), reason="Prioriterades bort."
    )
    outcomes = [dispatch.send(b.pks, b.token) for b in bundles]
    assert {o for outcome in outcomes for o in outcome.values()} == {"cancelled"}
    assert not smtp.inbox.messages
