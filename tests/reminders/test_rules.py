"""Who gets which reminder, and the policy's bounds and edits: the rules around the outbox."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from notifications.models import Notification

from assignments.models import AuditEntry, Milestone, User
from reminders import dispatch
from reminders.deadlines import plan_for_milestone
from reminders.models import EVENT_KINDS, Reminder, ReminderPolicy
from reminders.services import plan_digests
from tests.factories import UserFactory

from .test_dispatch import at, send_row, sweep_inline
from .test_services import local, planned

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def policy_form(**changes) -> dict:
    values = {
        "subject": "compilation",
        "lead_working_days": "[10, 3]",
        "remind_on_due_day": "on",
        "remind_overdue": "on",
        "overdue_repeat_days": "7",
        "escalate_after_working_days": "5",
        "decision_wait_working_days": "3",
        "send_hour": "8",
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


# --- the policy -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("send_hour", "24", "mindre än eller lika med 23"),
        ("overdue_repeat_days", "0", "större än eller lika med 1"),
    ],
)
def test_the_admin_refuses_an_hour_or_a_repeat_out_of_bounds(
    admin_client, seed004, field, value, error
):
    policy = ReminderPolicy.objects.get(subject="compilation")
    before = list(Reminder.objects.values_list("pk", "state", "planned_at"))
    response = admin_client.post(
        reverse("admin:reminders_reminderpolicy_change", args=[policy.pk]),
        policy_form(**{field: value}),
    )
    assert response.status_code == 200  # the form again, with its error, in Swedish
    assert error in response.content.decode()
    policy.refresh_from_db()
    assert (policy.send_hour, policy.overdue_repeat_days) == (8, 7)
    assert list(Reminder.objects.values_list("pk", "state", "planned_at")) == before
    assert not AuditEntry.objects.filter(object_type="reminders.ReminderPolicy").exists()


@pytest.mark.parametrize(("field", "value"), [("send_hour", 24), ("overdue_repeat_days", 0)])
def test_the_database_refuses_them_too(field, value):
    with pytest.raises(ValidationError) as refused:
        ReminderPolicy(subject="delivery", **{field: value}).full_clean()
    assert field in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderPolicy.objects.create(subject="delivery", **{field: value})


def test_editing_a_policy_replans_the_open_deadlines_with_an_audit_entry(admin_client, seed004):
    compilation = seed004.milestones.get(kind="compilation")
    policy = ReminderPolicy.objects.get(subject="compilation")
    response = admin_client.post(
        reverse("admin:reminders_reminderpolicy_change", args=[policy.pk]),
        policy_form(lead_working_days="[5]", send_hour="9"),
        follow=True,
    )
    assert response.status_code == 200
    open_compilations = Milestone.objects.filter(
        kind="compilation", assignment__state__in=["adopted", "in_progress"]
    ).exclude(status__in=Milestone.CLOSED_STATUSES)
    assert open_compilations.count() >= 1
    assert f"Påminnelserna för {open_compilations.count()} öpp" in response.content.decode(), (
        response.content.decode()
    )
    rows = planned(seed004, milestone=compilation)
    assert {(r.kind, r.sequence): local(r) for r in rows if r.kind == "before_due"} == {
        ("before_due", 5): "2025-11-21 09:00"
    }
    assert {local(r)[-5:] for r in rows} == {"09:00"}  # the hour moved on every row
    assert (
        Reminder.objects.filter(
            milestone=compilation, kind="before_due", sequence__in=[10, 3], state="cancelled"
        ).count()
        == 2
    )
    # other milestones' rows keep their own policy
    other = planned(seed004, milestone__isnull=False).exclude(milestone=compilation)
    assert other.exists() and {local(r)[-5:] for r in other} == {"08:00"}
    entry = AuditEntry.objects.get(object_type="reminders.ReminderPolicy")
    assert entry.action == "admin.changed"
    assert (entry.before, entry.after) == (
        {"lead_working_days": [10, 3], "send_hour": 8},
        {"lead_working_days": [5], "send_hour": 9},
    )


def test_a_weekly_overdue_reminder_that_lands_on_a_holiday_goes_the_next_working_day(
    seed004, smtp, clock
):
    # Sammanställning is due 2025-11-30; set the weekly repeat so the second one lands on
    # Christmas Eve: the first goes Mon 1 Dec 08:00, then 23 days later is Wed 24 Dec.
    ReminderPolicy.objects.filter(subject="compilation").update(overdue_repeat_days=23)
    compilation = seed004.milestones.get(kind="compilation")
    plan_for_milestone(compilation)
    first = Reminder.objects.get(milestone=compilation, kind="overdue", sequence=0)
    now = at("2025-12-01", 8, 1)
    first.planned_at = now
    first.save(update_fields=["planned_at"])
    assert send_row(first.pk, dispatch.claim_due(now), now) == "sent"
    follow_up = Reminder.objects.get(milestone=compilation, kind="overdue", sequence=1)
    assert local(follow_up) == "2025-12-29 08:00"  # 24-26 Dec and the weekend are not working


# --- who gets what ----------------------------------------------------------------------


def test_assignee_and_responsible_person_both_get_due_and_overdue_reminders(seed004):
    compilation = seed004.milestones.get(kind="compilation")
    someone = UserFactory(username="lisa.responsible")
    compilation.responsible = someone
    compilation.save()
    plan_for_milestone(compilation)  # as the admin's save does (test_replanning.py)
    rows = planned(seed004, milestone=compilation)
    by_person = {}
    for row in rows:
        by_person.setdefault(row.recipient.username, set()).add(row.kind)
    deadline_kinds = {"before_due", "due_day", "overdue"}
    assert by_person["jan.strang"] == deadline_kinds  # the assignee
    assert by_person["lisa.responsible"] == deadline_kinds
    assert by_person["anders.kullbratt"] == {"escalation"}
    # the assignee responsible for their own milestone is reminded once, not twice
    compilation.responsible = seed004.assignee
    compilation.save()
    plan_for_milestone(compilation)
    assert not planned(seed004, milestone=compilation, recipient=someone).exists()
    assert planned(seed004, milestone=compilation, kind="due_day").count() == 1


def test_people_who_have_left_get_no_reminders(seed004, smtp, clock):
    compilation = seed004.milestones.get(kind="compilation")
    per = User.objects.get(username="per.albertsson")
    escalation = Reminder.objects.get(milestone=compilation, kind="escalation", recipient=per)
    per.is_active = False
    per.save()
    # planned before they left: cancelled at send time, nothing sent, nothing in the app
    now = at("2025-12-05")
    Reminder.objects.exclude(pk=escalation.pk).filter(state="planned").update(
        planned_at=at("2026-06-01")
    )
    assert sweep_inline(now) == ["cancelled"]
    escalation.refresh_from_db()
    assert escalation.state == "cancelled"
    assert smtp.inbox.messages == []
    assert not Notification.objects.filter(recipient=per, data__reminder=escalation.pk).exists()
    # and planning again does not bring it back
    plan_for_milestone(compilation)
    assert not planned(seed004, milestone=compilation, recipient=per).exists()
    assert planned(seed004, milestone=compilation, kind="escalation").exists()  # the other one


# --- delivery channels ------------------------------------------------------------------


def test_the_app_shows_a_reminder_while_the_mail_server_is_down_and_only_once(seed004, smtp):
    now = at("2025-11-14")
    smtp.stop()
    results = sweep_inline(now)
    assert results and set(results) == {"retry"}
    reminders = list(Reminder.objects.filter(attempts=1, state="planned"))
    assert len(reminders) == len(results)
    # each in the app at once (an event's notice was written with the event itself)
    shown = [r for r in reminders if not r.is_event]
    assert shown
    assert Notification.objects.filter(data__reminder__in=[r.pk for r in shown]).count() == (
        len(shown)
    )
    smtp.start()
    assert sweep_inline(now + dt.timedelta(minutes=3)).count("sent") == len(results)
    assert len(smtp.inbox.messages) == len({r.recipient_id for r in reminders})  # one a person
    for reminder in Reminder.objects.filter(pk__in=[r.pk for r in reminders]):
        assert reminder.state == "sent"
        in_app = 0 if reminder.is_event else 1
        assert Notification.objects.filter(data__reminder=reminder.pk).count() == in_app


class RefusingInbox:
    """A server that has no mailbox for anyone: 550 to every RCPT."""

    def __init__(self):
        self.rcpts = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        self.rcpts += 1
        return "550 5.1.1 No such user"


def test_a_refused_address_fails_at_once_and_the_app_still_shows_it(seed004, smtp):
    from aiosmtpd.controller import Controller

    smtp.stop()
    refusing = RefusingInbox()
    controller = Controller(refusing, hostname="127.0.0.1", port=smtp.port)
    controller.start()
    try:
        results = sweep_inline(at("2025-11-14"))
    finally:
        controller.stop()
    assert results and set(results) == {"failed"}
    failed = Reminder.objects.filter(state="failed")
    # each person's mail tried once, not six times
    assert refusing.rcpts == len({r.recipient_id for r in failed})
    assert failed.count() == len(results)
    assert all(r.attempts == 1 and "550" in r.last_error for r in failed)
    shown = failed.exclude(kind__in=EVENT_KINDS)  # an event's notice came with the event
    assert Notification.objects.filter(data__reminder__in=[r.pk for r in shown]).count() == (
        shown.count()
    )


def test_a_decision_waiting_reminder_links_to_the_decision_form(seed004, clock):
    from reminders.messages import compose
    from workflow import services as workflow

    workflow.submit_delivery(
        assignment=seed004, actor=User.objects.get(username="jan.strang"), summary="Förslag"
    )
    reminder = Reminder.objects.filter(kind="decision_waiting", assignment=seed004).first()
    message = compose(reminder)
    assert message.link.endswith(reverse("workflow:decision", args=[seed004.pk]))
    assert message.link in message.text and message.link in message.html


def test_the_decision_reminder_follows_a_delegated_task_to_the_stand_in(seed004, clock):
    from workflow import services as workflow

    jan, anders, per = (
        User.objects.get(username=name)
        for name in ("jan.strang", "anders.kullbratt", "per.albertsson")
    )
    stand_in = User.objects.get(username="regiondirektor")
    delivery = workflow.submit_delivery(assignment=seed004, actor=jan, summary="Förslag")
    waiting = Reminder.objects.filter(kind="decision_waiting", delivery=delivery)
    assert {r.recipient for r in waiting.filter(state="planned")} == {anders, per}
    task = next(t for t in workflow.open_tasks(seed004) if t.data.get("decision_maker") == per.pk)
    workflow.reassign_task(task=task, actor=per, new_owner=stand_in, reason="Semester")
    assert {r.recipient for r in waiting.filter(state="planned")} == {anders, stand_in}
    assert waiting.get(recipient=per).state == "cancelled"
    row = waiting.get(recipient=stand_in)
    workflow.approve_delivery(delivery=delivery, decided_by=stand_in)  # for Per
    row.refresh_from_db()
    assert row.state == "cancelled"
    assert {r.recipient for r in waiting.filter(state="planned")} == {anders}


# --- the digest ---------------------------------------------------------------------------


def test_a_late_digest_opt_out_is_respected_at_send_time(seed004, smtp):
    day = dt.date(2025, 10, 1)
    plan_digests(day)
    reader = User.objects.get(username="ann-charlotte.jarnstrom")
    reader.wants_digest = False
    reader.save()
    now = dt.datetime(2025, 10, 1, 9, 0, tzinfo=dt.UTC)
    results = sweep_inline(now)
    assert "cancelled" in results
    assert smtp.inbox.to("ann-charlotte.jarnstrom@example.org") == []
    assert smtp.inbox.to("jan.strang@example.org")  # the others' digests went


def test_the_digest_names_the_final_delivery_with_links_and_is_mail_only(seed004, smtp):
    day = dt.date(2025, 11, 17)  # the final delivery (senast 2025-12-01) within 15 working days
    with_clock = dt.datetime(2025, 11, 17, 7, 0, tzinfo=dt.UTC)
    plan_digests(day)
    results = sweep_inline(with_clock)
    assert results and set(results) == {"sent"}
    (mail,) = [
        m for m in smtp.inbox.to("jan.strang@example.org") if "sammanfattning" in m["Subject"]
    ]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Slutleverans (RS 2024-05699), klar senast 1 dec" in text
    assert f"/{seed004.pk}/process/#milestone-" in text
    assert "/installningar/" in text
    html = mail.get_body(preferencelist=("html",)).get_content()
    process = reverse("workflow:process", args=[seed004.pk])
    assert (
        f'{process}">Slutleverans</a> (<span style="white-space:nowrap;">RS 2024-05699</span>)'
        in html
    )
    digests = Reminder.objects.filter(kind="digest", state="sent")
    assert digests.count() >= 2
    assert not Notification.objects.filter(data__reminder__in=[d.pk for d in digests]).exists()
    assert Notification.objects.filter(data__reminder__isnull=False).exists()  # the others


def test_a_reader_gets_no_digest_while_nothing_is_coming_up(seed004):
    # Every deadline moved to the end of June 2026: on 1 Oct 2025 nothing is within the
    # digest's 15 working days, so the reader is not mailed about a quiet assignment.
    quiet_day = dt.date(2025, 10, 1)
    for milestone in seed004.milestones.all():
        milestone.due = dt.date(2026, 6, 30)
        milestone.start = min(milestone.start or milestone.due, milestone.due)
        milestone.save()
    seed004.delivery_due = dt.date(2026, 6, 30)
    seed004.save()
    plan_digests(quiet_day)
    assert not Reminder.objects.filter(
        kind="digest", recipient__username="ann-charlotte.jarnstrom"
    ).exists()
    plan_digests(dt.date(2026, 6, 22))  # six working days before: there is something now
    assert Reminder.objects.filter(
        kind="digest", recipient__username="ann-charlotte.jarnstrom"
    ).exists()


# --- the outbox in the admin ------------------------------------------------------------


def test_retry_and_cancel_in_the_admin_write_audit_entries(admin_client, seed004):
    failed, waiting = Reminder.objects.filter(state="planned").order_by("pk")[:2]
    Reminder.objects.filter(pk=failed.pk).update(state="failed", attempts=6, last_error="boom")
    url = reverse("admin:reminders_reminder_changelist")
    response = admin_client.post(
        url, {"action": "retry_failed", "_selected_action": [failed.pk, waiting.pk]}, follow=True
    )
    assert "1 påminnelse planeras om." in response.content.decode()
    failed.refresh_from_db()
    assert failed.state == "planned" and failed.attempts == 0
    response = admin_client.post(
        url, {"action": "cancel_unsent", "_selected_action": [waiting.pk]}, follow=True
    )
    assert "1 påminnelse avbröts." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == "cancelled"
    entries = AuditEntry.objects.filter(object_type="reminders.Reminder").order_by("pk")
    assert [(e.action, e.object_id, e.before["state"], e.after["state"]) for e in entries] == [
        ("reminder.retried", str(failed.pk), "failed", "planned"),
        ("reminder.cancelled", str(waiting.pk), "planned", "cancelled"),
    ]
    assert all(e.actor.username == "root" for e in entries)
