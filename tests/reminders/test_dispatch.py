import datetime as dt
import re
import threading
import uuid

import pytest
from django.db import connection, transaction
from notifications.models import Notification

from assignments.models import User
from reminders import dispatch
from reminders.models import Reminder, message_id_of
from workflow import services as workflow
from workflow.services import change_milestone_status

pytestmark = pytest.mark.django_db

CET = dt.timezone(dt.timedelta(hours=1))


def at(day: str, hour: int = 8, minute: int = 30) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=CET)


def sweep_inline(now) -> list[str]:
    """Sweep and send each bundle in this process: what happened to each row."""
    results = []
    dispatch.sweep(
        now=now,
        enqueue=lambda pks, token: results.extend(dispatch.send(pks, token, now=now).values()),
    )
    return results


def tokens(bundles) -> dict[int, str]:
    """Each claimed row and the token of the claim that holds it."""
    return {pk: bundle.token for bundle in bundles for pk in bundle.pks}


def send_row(pk: int, bundles, now) -> str:
    """Send one claimed row on its own (a part of its bundle), as a test wants it."""
    return dispatch.send([pk], tokens(bundles)[pk], now=now)[pk]


def listed(message) -> list[str]:
    """The reminders a mail holds, as their subjects: a bundle lists them numbered, one
    reminder is the subject itself."""
    body = message.get_body(preferencelist=("plain",)).get_content()
    lines = re.findall(r"^\d+\. (.+?)\r?$", body, flags=re.MULTILINE)
    return lines or [subject_of(message)]


def subject_of(message) -> str:
    """The decoded subject, with header folding undone as a mail client shows it."""
    return " ".join(str(message["Subject"]).split())


def subjects(smtp, username: str, containing: str = "") -> list[str]:
    """The reminders a person was mailed, in the order the mails came."""
    return [
        line
        for m in smtp.inbox.to(f"{username}@example.org")
        for line in listed(m)
        if containing in line
    ]


def mails_listing(smtp, containing: str) -> list:
    return [m for m in smtp.inbox.messages if any(containing in line for line in listed(m))]


def test_walk_through_the_compilation_deadline_of_seed_004(seed004, smtp, clock):
    compilation = seed004.milestones.get(kind="compilation")
    clock.move_to(at("2025-11-13"))
    sweep_inline(at("2025-11-13"))  # everything older (the overdue seminars) goes first
    smtp.inbox.messages.clear()

    clock.move_to(at("2025-11-14"))
    sweep_inline(at("2025-11-14"))
    mails = mails_listing(smtp, "Sammanställning")
    assert [
        (m["To"], [line for line in listed(m) if "Sammanställning" in line]) for m in mails
    ] == [
        (
            "jan.strang@example.org",
            ["Påminnelse: Sammanställning (RS 2024-05699) ska vara klar 30 nov"],
        )
    ]
    mail = mails[0]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert f"/uppdrag/{seed004.pk}/process/#milestone-{compilation.pk}" in body
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert f"#milestone-{compilation.pk}" in html
    ics = next(p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar")
    # the deadline as registered (Sunday 30 Nov), though the reminders go by working days
    assert "DTSTART;VALUE=DATE:20251130" in ics.get_content()
    jan = User.objects.get(username="jan.strang")
    verb = "Påminnelse: Sammanställning (RS 2024-05699) ska vara klar 30 nov"
    assert Notification.objects.filter(recipient=jan, verb=verb).count() == 1

    sweep_inline(at("2025-11-14", minute=31))  # a second sweep sends nothing again
    assert len(mails_listing(smtp, "Sammanställning")) == 1

    for day, expected in [
        ("2025-11-25", "Påminnelse: Sammanställning (RS 2024-05699) ska vara klar 30 nov"),
        (
            "2025-11-28",  # Friday: the working day before the Sunday it is due
            "Påminnelse: Sammanställning (RS 2024-05699) ska vara klar 30 nov, "
            "i dag är sista arbetsdagen före",
        ),
        ("2025-12-01", "Försenad: Sammanställning (RS 2024-05699) skulle ha varit klar 30 nov"),
    ]:
        clock.move_to(at(day))
        sweep_inline(at(day))
        assert subjects(smtp, "jan.strang", "Sammanställning")[-1] == expected

    clock.move_to(at("2025-12-05"))
    sweep_inline(at("2025-12-05"))
    for decision_maker in ["anders.kullbratt", "per.albertsson"]:
        assert subjects(smtp, decision_maker, "Eskalering: Sammanställning") == [
            "Eskalering: Sammanställning (RS 2024-05699) är försenad sedan 30 nov"
        ]

    delivery = workflow.submit_delivery(assignment=seed004, actor=jan, summary="Förslag")
    assert delivery.status == "submitted"
    sweep_inline(at("2025-12-05", minute=31))  # the next minute's sweep: told at once
    for decision_maker in ["anders.kullbratt", "per.albertsson"]:
        assert subjects(smtp, decision_maker, "Väntar på ditt beslut") == [
            f"Väntar på ditt beslut: {seed004.title} (RS 2024-05699)"
        ]
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
    bundle = claimed[-1]
    assert set(dispatch.send(bundle.pks, bundle.token, now=now).values()) == {"sent"}
    assert set(dispatch.send(bundle.pks, bundle.token, now=now).values()) == {"skipped"}
    assert len(smtp.inbox.messages) == 1


def test_a_row_whose_worker_died_is_reclaimed_after_its_lease(seed004, smtp, clock):
    now = at("2025-11-14")
    claimed = dispatch.claim_due(now)  # the worker that claimed these dies here
    assert dispatch.sweep(now=now + dt.timedelta(minutes=5), enqueue=lambda *a: None) == 0
    later = now + dispatch.LEASE + dt.timedelta(minutes=1)
    results = sweep_inline(later)
    assert results.count("sent") == len(tokens(claimed))
    stale = claimed[0]
    assert set(dispatch.send(stale.pks, stale.token, now=later).values()) == {"skipped"}
    assert all(count == 1 for count in smtp.inbox.by_message_id().values())
    assert len(smtp.inbox.messages) == len(claimed)  # a mail per bundle, the same bundles


def test_smtp_down_for_a_while_then_back_delivers_each_once(seed004, smtp, clock):
    now = at("2025-11-14")
    smtp.stop()
    results = sweep_inline(now)
    assert results and set(results) == {"retry"}
    failed = Reminder.objects.filter(attempts=1, state="planned").exclude(last_error="")
    assert failed.count() == len(results)
    people = {row.recipient_id for row in failed}
    smtp.start()
    assert sweep_inline(now + dt.timedelta(minutes=1)) == []  # backing off, not hammering
    later = now + dt.timedelta(minutes=3)
    assert sweep_inline(later).count("sent") == len(results)
    assert len(smtp.inbox.messages) == len(people)  # still one mail a person
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
    claimed = dispatch.claim_due(now)
    compilation = seed004.milestones.get(kind="compilation")
    row = Reminder.objects.get(milestone=compilation, state="sending")
    change_milestone_status(
        milestone=compilation, actor=User.objects.get(username="jan.strang"), to_status="done"
    )
    (bundle,) = [b for b in claimed if row.pk in b.pks]
    outcome = dispatch.send(bundle.pks, bundle.token, now=now)
    assert outcome[row.pk] == "cancelled"
    assert set(outcome.values()) == {"sent", "cancelled"}  # the rest of Jan's mail went
    assert not mails_listing(smtp, "Sammanställning")


def _claimed_decision_reminders(seed004, now) -> tuple[dict, dict]:
    """The claim at `now`, and its decision-waiting rows by recipient's username."""
    claimed = tokens(dispatch.claim_due(now))
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
    assert dispatch.send([anders.pk], claimed[anders.pk], now=at("2025-10-06")) == {
        anders.pk: "cancelled"
    }
    assert dispatch.send([per.pk], claimed[per.pk], now=at("2025-10-06")) == {per.pk: "sent"}
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
    assert dispatch.send([stand_in.pk], claimed[stand_in.pk], now=at("2025-10-06")) == {
        stand_in.pk: "cancelled"
    }
    assert dispatch.send([anders.pk], claimed[anders.pk], now=at("2025-10-06")) == {
        anders.pk: "sent"
    }


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_in_parallel_claim_each_row_once(smtp, clock):
    from django.core.management import call_command

    call_command("load_demo", "--seed-only", verbosity=0)
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
    pks = [pk for claim in claims for pk in tokens(claim)]
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

    call_command("load_demo", "--seed-only", verbosity=0)
    now = at("2025-12-10")
    due = Reminder.objects.filter(state="planned", planned_at__lte=now).count()
    assert due > 3
    first_claimed = threading.Event()
    second_done = threading.Event()
    first: list = []

    def first_sweep():
        try:
            with transaction.atomic():
                first.extend(tokens(dispatch.claim_due(now, limit=3)))
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
    assert len(first) == 3 and len(tokens(second)) == due - 3
    assert not set(first) & set(tokens(second))


def test_with_a_rate_limit_a_sweep_claims_no_more_than_half_a_lease_of_sending(
    seed004, smtp, clock, settings
):
    """A burst waits in the outbox, not in the broker, where rows would outlive their lease."""
    settings.EMAIL_RATE_LIMIT = "1/m"  # 10-minute lease: 5 in flight at most
    now = at("2025-12-10")
    due = Reminder.objects.filter(state="planned", planned_at__lte=now).count()
    assert due > 7
    assert dispatch.sweep(now=now, enqueue=lambda pks, token: None) == 5
    assert dispatch.sweep(now=now, enqueue=lambda pks, token: None) == 0  # none sent yet
    sending = Reminder.objects.filter(state="sending").order_by("pk")
    for reminder in sending[:2]:
        outcome = dispatch.send([reminder.pk], str(reminder.claim_token), now=now)
        assert outcome == {reminder.pk: "sent"}
    assert dispatch.sweep(now=now, enqueue=lambda pks, token: None) == 2
    settings.EMAIL_RATE_LIMIT = None
    assert dispatch.sweep(now=now, enqueue=lambda pks, token: None) == due - 7


# --- one mail a person a sweep (#17 item 8) -----------------------------------------------


def rows_of(bundle) -> list[Reminder]:
    return list(Reminder.objects.filter(pk__in=bundle.pks).order_by("pk"))


def test_the_reminders_due_for_one_person_in_a_sweep_are_one_bundle(seed004, clock):
    now = at("2025-12-10")
    due = list(Reminder.objects.filter(state="planned", planned_at__lte=now))
    bundles = dispatch.claim_due(now)
    recipients = [{row.recipient_id for row in rows_of(bundle)} for bundle in bundles]
    assert all(len(people) == 1 for people in recipients)
    assert len(bundles) == len({row.recipient_id for row in due})  # one each
    assert sorted(tokens(bundles)) == sorted(row.pk for row in due)
    assert {bundle.token for bundle in bundles} == {bundles[0].token}  # the one claim's
    per = next(b for b in bundles if rows_of(b)[0].recipient.username == "per.albertsson")
    assert [row.kind for row in rows_of(per)] == ["escalation"] * 4
    assert {row.bundle for row in rows_of(per)} == {uuid.UUID(per.token)}


def test_a_digest_is_a_mail_of_its_own(seed004, clock):
    from reminders.services import plan_digests

    plan_digests(dt.date(2025, 10, 1))
    jan = User.objects.get(username="jan.strang")
    now = dt.datetime(2025, 10, 1, 9, 0, tzinfo=dt.UTC)
    due = Reminder.objects.filter(recipient=jan, state="planned", planned_at__lte=now)
    assert {row.kind for row in due} > {"digest"}
    bundles = [b for b in dispatch.claim_due(now) if rows_of(b)[0].recipient == jan]
    kinds = sorted([row.kind for row in rows_of(b)] for b in bundles)
    assert ["digest"] in kinds and len(bundles) == 2


def test_rows_back_after_a_lost_send_keep_their_mail_and_what_fell_due_since_goes_apart(
    seed004, smtp, clock
):
    now = at("2025-11-14")
    per = User.objects.get(username="per.albertsson")
    (first,) = [b for b in dispatch.claim_due(now) if rows_of(b)[0].recipient == per]
    assert len(first.pks) == 2  # the worker that had it died
    fell_due = (
        Reminder.objects.filter(recipient=per, state="planned", planned_at__gt=now)
        .order_by("planned_at")
        .first()
    )
    fell_due.planned_at = now + dt.timedelta(minutes=5)
    fell_due.save(update_fields=["planned_at"])
    later = now + dispatch.LEASE + dt.timedelta(minutes=1)
    handed = []
    dispatch.sweep(now=later, enqueue=lambda pks, token: handed.append(sorted(pks)))
    pers = [pks for pks in handed if Reminder.objects.get(pk=pks[0]).recipient == per]
    assert sorted(pers) == sorted([list(first.pks), [fell_due.pk]])


def test_a_mails_message_id_is_the_same_for_the_same_rows_and_another_for_other_rows(seed004):
    a, b, c = Reminder.objects.filter(state="planned").order_by("pk")[:3]
    assert message_id_of([a, b]) == message_id_of([b, a]) == message_id_of([a, b])
    assert message_id_of([a, b]).startswith(f"<reminders-{a.pk}.2.")
    assert len({message_id_of(rows) for rows in ([a, b], [a, c], [a, b, c], [a])}) == 4
    assert message_id_of([a]) == a.message_id  # a mail of one reminder keeps its row's id


def test_one_mail_lists_each_reminder_and_the_app_shows_each(seed004, smtp, clock):
    now = at("2025-12-10")
    per = User.objects.get(username="per.albertsson")
    rows = list(Reminder.objects.filter(recipient=per, state="planned", planned_at__lte=now))
    sweep_inline(now)
    (mail,) = smtp.inbox.to("per.albertsson@example.org")
    assert mail["Message-ID"] == message_id_of(rows)
    assert len(listed(mail)) == len(rows) == 4
    # the reminders' notices (not the event's, "väntar på fastställelse", from the draft)
    notifications = Notification.objects.filter(recipient=per, data__has_key="reminder")
    assert sorted(notifications.values_list("verb", flat=True)) == sorted(listed(mail))
    assert sorted(n.data["reminder"] for n in notifications) == sorted(r.pk for r in rows)


def test_a_refusal_fails_or_retries_every_reminder_of_the_mail(seed004, smtp, clock):
    now = at("2025-12-10")
    per = User.objects.get(username="per.albertsson")
    smtp.stop()
    sweep_inline(now)
    rows = Reminder.objects.filter(
        recipient=per, planned_at__lte=now + dispatch.backoff(1), kind__in=dispatch.BUNDLED_KINDS
    ).exclude(state="cancelled")  # events settled before the sweep are in no mail
    assert {(row.state, row.attempts) for row in rows} == {("planned", 1)}
    smtp.start()
    sweep_inline(now + dispatch.backoff(1))
    (mail,) = smtp.inbox.to("per.albertsson@example.org")  # still one mail, the same rows
    assert mail["Message-ID"] == message_id_of(list(rows))
    assert {row.state for row in rows.all()} == {"sent"}


def test_a_row_cancelled_from_its_mail_and_planned_again_goes_with_the_next_one(seed004, clock):
    from workflow.services import change_milestone_status

    now = at("2025-11-14")
    jan = User.objects.get(username="jan.strang")
    compilation = seed004.milestones.get(kind="compilation")
    bundles = dispatch.claim_due(now)
    row = Reminder.objects.get(milestone=compilation, state="sending")
    change_milestone_status(milestone=compilation, actor=jan, to_status="done")
    assert send_row(row.pk, bundles, now) == "cancelled"
    change_milestone_status(
        milestone=compilation, actor=jan, to_status="in_progress", comment="Mer att göra"
    )
    row.refresh_from_db()
    assert row.state == "planned" and row.bundle is None
