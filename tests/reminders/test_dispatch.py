import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from notifications.models import Notification

from assignments.models import User
from reminders import dispatch
from reminders.models import Reminder
from workflow import services as workflow
from workflow.services import change_milestone_status

pytestmark = pytest.mark.django_db

CET = dt.timezone(dt.timedelta(hours=1))


def at(day: str, hour: int = 8, minute: int = 30) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=CET)


def sweep_inline(now) -> list[str]:
    results = []
    dispatch.sweep(
        now=now, enqueue=lambda pk, token: results.append(dispatch.send(pk, token, now=now))
    )
    return results


def subject_of(message) -> str:
    """The decoded subject, with header folding undone as a mail client shows it."""
    return " ".join(str(message["Subject"]).split())


def subjects(smtp, username: str, containing: str = "") -> list[str]:
    return [
        subject_of(m)
        for m in smtp.inbox.to(f"{username}@example.org")
        if containing in subject_of(m)
    ]


def test_walk_through_the_compilation_deadline_of_seed_004(seed004, smtp, clock):
    compilation = seed004.milestones.get(kind="compilation")
    clock.move_to(at("2025-11-13"))
    sweep_inline(at("2025-11-13"))  # everything older (the overdue seminars) goes first
    smtp.inbox.messages.clear()

    clock.move_to(at("2025-11-14"))
    sweep_inline(at("2025-11-14"))
    mails = [m for m in smtp.inbox.messages if "Sammanställning" in subject_of(m)]
    assert [(m["To"], subject_of(m)) for m in mails] == [
        (
            "jan.strang@example.org",
            "Påminnelse: Sammanställning (RS 2024-05699) ska vara klar 28 nov",
        )
    ]
    mail = mails[0]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert f"/uppdrag/{seed004.pk}/process/#milestone-{compilation.pk}" in body
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert f"#milestone-{compilation.pk}" in html
    ics = next(p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar")
    assert "DTSTART;VALUE=DATE:20251128" in ics.get_content()
    jan = User.objects.get(username="jan.strang")
    assert Notification.objects.filter(recipient=jan, verb=subject_of(mail)).count() == 1

    sweep_inline(at("2025-11-14", minute=31))  # a second sweep sends nothing again
    assert len([m for m in smtp.inbox.messages if "Sammanställning" in subject_of(m)]) == 1

    for day, expected in [
        ("2025-11-25", "Påminnelse: Sammanställning (RS 2024-05699) ska vara klar 28 nov"),
        ("2025-11-28", "Påminnelse: Sammanställning (RS 2024-05699) ska vara klar i dag, 28 nov"),
        ("2025-12-01", "Försenad: Sammanställning (RS 2024-05699) skulle ha varit klar 28 nov"),
    ]:
        clock.move_to(at(day))
        sweep_inline(at(day))
        assert subjects(smtp, "jan.strang", "Sammanställning")[-1] == expected

    clock.move_to(at("2025-12-05"))
    sweep_inline(at("2025-12-05"))
    for decision_maker in ["anders.kullbratt", "per.albertsson"]:
        assert subjects(smtp, decision_maker, "Eskalering: Sammanställning") == [
            "Eskalering: Sammanställning (RS 2024-05699) är försenad sedan 28 nov"
        ]

    delivery = workflow.submit_delivery(assignment=seed004, actor=jan, summary="Förslag")
    assert delivery.status == "submitted"
    clock.move_to(at("2025-12-10"))  # submitted Fri 5 Dec: three working days later
    sweep_inline(at("2025-12-10"))
    for decision_maker in ["anders.kullbratt", "per.albertsson"]:
        # told when it was submitted (issue #17, 7), reminded three working days later
        assert subjects(smtp, decision_maker, "Väntar på ditt beslut") == [
            f"Väntar på ditt beslut: {seed004.title} (RS 2024-05699)",
            "Väntar på ditt beslut: slutleverans (RS 2024-05699)",
        ]
    assert subjects(smtp, "ann-charlotte.jarnstrom") == []
    assert all(count == 1 for count in smtp.inbox.by_message_id().values())


def test_a_redelivered_send_message_sends_nothing_twice(seed004, smtp, clock):
    now = at("2025-11-14")
    claimed = dispatch.claim_due(now)
    assert claimed
    pk, token = claimed[-1]
    assert dispatch.send(pk, token, now=now) == "sent"
    assert dispatch.send(pk, token, now=now) == "skipped"
    assert len(smtp.inbox.messages) == 1


def test_a_row_whose_worker_died_is_reclaimed_after_its_lease(seed004, smtp, clock):
    now = at("2025-11-14")
    claimed = dispatch.claim_due(now)  # the worker that claimed these dies here
    assert dispatch.sweep(now=now + dt.timedelta(minutes=5), enqueue=lambda *a: None) == 0
    later = now + dispatch.LEASE + dt.timedelta(minutes=1)
    results = sweep_inline(later)
    assert results.count("sent") == len(claimed)
    stale_pk, stale_token = claimed[0]
    assert dispatch.send(stale_pk, stale_token, now=later) == "skipped"
    assert all(count == 1 for count in smtp.inbox.by_message_id().values())
    assert len(smtp.inbox.messages) == len(claimed)


def test_smtp_down_for_a_while_then_back_delivers_each_once(seed004, smtp, clock):
    now = at("2025-11-14")
    smtp.stop()
    results = sweep_inline(now)
    assert results and set(results) == {"retry"}
    failed = Reminder.objects.filter(attempts=1, state="planned").exclude(last_error="")
    assert failed.count() == len(results)
    smtp.start()
    assert sweep_inline(now + dt.timedelta(minutes=1)) == []  # backing off, not hammering
    later = now + dt.timedelta(minutes=3)
    assert sweep_inline(later).count("sent") == len(results)
    assert len(smtp.inbox.messages) == len(results)
    assert all(count == 1 for count in smtp.inbox.by_message_id().values())


def test_after_the_last_attempt_a_reminder_is_failed_and_visible(seed004, smtp, clock):
    now = at("2025-11-14")
    smtp.stop()
    for attempt in range(dispatch.MAX_ATTEMPTS):
        sweep_inline(now)
        now += dispatch.backoff(attempt + 1) + dt.timedelta(minutes=1)
    assert Reminder.objects.filter(state="failed", attempts=dispatch.MAX_ATTEMPTS).exists()
    assert "ConnectionRefusedError" in Reminder.objects.filter(state="failed").first().last_error


def test_message_id_is_stable_for_a_row(seed004):
    row = Reminder.objects.filter(state="planned").first()
    assert row.message_id == Reminder.objects.get(pk=row.pk).message_id
    assert row.message_id.startswith(f"<reminder-{row.pk}.")


def test_a_milestone_done_after_the_claim_is_not_reminded(seed004, smtp, clock):
    now = at("2025-11-14")
    claimed = dict(dispatch.claim_due(now))
    compilation = seed004.milestones.get(kind="compilation")
    row = Reminder.objects.get(milestone=compilation, state="sending")
    change_milestone_status(
        milestone=compilation, actor=User.objects.get(username="jan.strang"), to_status="done"
    )
    assert dispatch.send(row.pk, claimed[row.pk], now=now) == "cancelled"
    assert not [m for m in smtp.inbox.messages if "Sammanställning" in subject_of(m)]


def _claimed_decision_reminders(seed004, now) -> tuple[dict, dict]:
    """The claim at `now`, and its decision-waiting rows by recipient's username."""
    claimed = dict(dispatch.claim_due(now))
    rows = Reminder.objects.filter(
        kind="decision_waiting", assignment=seed004, state="sending", pk__in=claimed
    )
    return claimed, {row.recipient.username: row for row in rows}


def test_a_decision_reminder_claimed_before_the_answer_is_not_sent_after_it(seed004, smtp):
    people = {u.username: u for u in User.objects.all()}
    delivery = workflow.submit_delivery(
        assignment=seed004, actor=people["jan.strang"], summary="Förslag"
    )
    claimed, rows = _claimed_decision_reminders(seed004, at("2025-10-06"))
    assert set(rows) == {"anders.kullbratt", "per.albertsson"}
    workflow.approve_delivery(delivery=delivery, decided_by=people["anders.kullbratt"])
    anders, per = rows["anders.kullbratt"], rows["per.albertsson"]
    assert dispatch.send(anders.pk, claimed[anders.pk], now=at("2025-10-06")) == "cancelled"
    assert dispatch.send(per.pk, claimed[per.pk], now=at("2025-10-06")) == "sent"
    assert [m["To"] for m in smtp.inbox.messages] == ["per.albertsson@example.org"]


def test_a_stand_ins_decision_reminder_claimed_before_their_answer_is_not_sent_after_it(
    seed004, smtp
):
    people = {u.username: u for u in User.objects.all()}
    delivery = workflow.submit_delivery(
        assignment=seed004, actor=people["jan.strang"], summary="Förslag"
    )
    task = next(
        t
        for t in workflow.open_tasks(seed004)
        if t.data.get("decision_maker") == people["per.albertsson"].pk
    )
    workflow.reassign_task(
        task=task,
        actor=people["per.albertsson"],
        new_owner=people["regiondirektor"],
        reason="Semester",
    )
    claimed, rows = _claimed_decision_reminders(seed004, at("2025-10-06"))
    assert set(rows) == {"anders.kullbratt", "regiondirektor"}
    workflow.approve_delivery(delivery=delivery, decided_by=people["regiondirektor"])  # for Per
    stand_in, anders = rows["regiondirektor"], rows["anders.kullbratt"]
    assert dispatch.send(stand_in.pk, claimed[stand_in.pk], now=at("2025-10-06")) == "cancelled"
    assert dispatch.send(anders.pk, claimed[anders.pk], now=at("2025-10-06")) == "sent"


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_in_parallel_claim_each_row_once(smtp, clock):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    now = at("2025-12-10")
    due = Reminder.objects.filter(state="planned", planned_at__lte=now).count()
    assert due > 5
    claims: list[list] = []
    barrier = threading.Barrier(2)

    def sweeper():
        barrier.wait(timeout=10)
        try:
            claims.append(dispatch.claim_due(now, limit=3))
            claims.append(dispatch.claim_due(now))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    pks = [pk for claim in claims for pk, _token in claim]
    assert len(pks) == due
    assert len(set(pks)) == due


@pytest.mark.postgres
def test_the_claim_is_one_update_of_the_rows_its_subquery_locks_or_skips(seed004, clock):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        claimed = dispatch.claim_due(at("2025-11-14"), limit=3)
    assert len(claimed) == 3
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    (update,) = updates
    assert 'WHERE "reminders_reminder"."id" IN (SELECT' in update
    assert update.endswith("LIMIT 3 FOR UPDATE SKIP LOCKED)")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sweep_skips_the_rows_another_sweep_holds_without_waiting_for_it(clock):
    """While one sweep's claim is not yet committed, a second one takes the other due rows at
    once (SKIP LOCKED); waiting on the first one's locks would run into the lock timeout."""
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    now = at("2025-12-10")
    due = Reminder.objects.filter(state="planned", planned_at__lte=now).count()
    assert due > 3
    first_claimed = threading.Event()
    second_done = threading.Event()
    first: list = []

    def first_sweep():
        try:
            with transaction.atomic():
                first.extend(dispatch.claim_due(now, limit=3))
                first_claimed.set()
                second_done.wait(timeout=30)  # holding its row locks until the second is done
        finally:
            connection.close()

    thread = threading.Thread(target=first_sweep)
    thread.start()
    try:
        assert first_claimed.wait(timeout=30)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '5s'")
            second = dispatch.claim_due(now)
    finally:
        second_done.set()
        thread.join(timeout=30)
    assert len(first) == 3 and len(second) == due - 3
    assert not {pk for pk, _ in first} & {pk for pk, _ in second}


def test_with_a_rate_limit_a_sweep_claims_no_more_than_half_a_lease_of_sending(
    seed004, smtp, clock, settings
):
    """A burst waits in the outbox, not in the broker, where rows would outlive their lease."""
    settings.EMAIL_RATE_LIMIT = "1/m"  # 10-minute lease: 5 in flight at most
    now = at("2025-12-10")
    due = Reminder.objects.filter(state="planned", planned_at__lte=now).count()
    assert due > 7
    assert dispatch.sweep(now=now, enqueue=lambda pk, token: None) == 5
    assert dispatch.sweep(now=now, enqueue=lambda pk, token: None) == 0  # none sent yet
    sending = Reminder.objects.filter(state="sending").order_by("pk")
    for reminder in sending[:2]:
        assert dispatch.send(reminder.pk, str(reminder.claim_token), now=now) == "sent"
    assert dispatch.sweep(now=now, enqueue=lambda pk, token: None) == 2
    settings.EMAIL_RATE_LIMIT = None
    assert dispatch.sweep(now=now, enqueue=lambda pk, token: None) == due - 7
