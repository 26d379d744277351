"""Benchmark of the reminder sweep (issue 4), against PostgreSQL and Redis on this machine.

1. Builds a database `uppdrag_bench` at one tenth of the size (10,000 assignments, 40,000
   milestones, 100,000 reminder rows) with ~1,000 reminders due, and measures
   (a) finding and claiming the due set and (b) the time until every send task is in Redis.
2. Grows the history to full size (100,000 / 400,000 / 1,000,000) with the same due set and
   measures again, so the two figures show whether the sweep scales with what is due or with
   history. EXPLAIN must show the partial index on planned rows.
3. On the same 2 Celery worker processes: the rate of a task that does nothing, then a burst
   of 5,000 due reminders to 5,000 people (5,000 mails) through the send path to a local
   aiosmtpd sink: every one delivered, none twice (counted by Message-ID), in at most 120 s,
   and the e-mail rate as a share of the no-op rate. Then the same 5,000 reminders due for
   1,000 people, 5 each: 1,000 mails of 5 deadlines (issue 17), for comparison.

Run with `make bench`. Exits non-zero when a bar is missed.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import PG, SECRET_KEY, copy, recreate_database  # noqa: E402

DB_NAME = os.environ.get("BENCH_DB", "uppdrag_bench")
BROKER = os.environ.get("BENCH_BROKER", "redis://127.0.0.1:6379/15")
QUEUE = "bench-reminders"
DUE = 1000
BURST = 5000  # reminders in the e-mail burst
BURST_SECONDS = 120  # the bar for the burst
NOOPS = 5000  # no-op tasks to measure the workers' own rate
NOW = dt.datetime(2025, 11, 14, 8, 30, tzinfo=dt.UTC)


os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "CELERY_BROKER_URL": BROKER,
        # as in production (docker-compose.yml): the page cache, which a notification's
        # page-version bump writes to, is Redis, not the file cache of `make run`
        "CACHE_URL": os.environ.get("BENCH_CACHE", "redis://127.0.0.1:6379/14"),
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "LOG_LEVEL": "WARNING",
    }
)
recreate_database(DB_NAME)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

call_command("migrate", verbosity=0)

from reminders import dispatch  # noqa: E402
from reminders.models import Reminder  # noqa: E402

USERS = 5000  # one for each reminder of the burst
BUNDLED_PEOPLE = 1000  # the bundled burst: 5 reminders each


def seed_people() -> None:
    copy(
        "assignments_orgunit",
        ["id", "name", "kind", "parent_id", "is_archived"],
        [(1, "Koncernkontoret", "central_office", None, "f")],
    )
    now = "2025-01-01 00:00:00+00"
    copy(
        "assignments_user",
        [
            "id",
            "password",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "title",
            "org_unit_id",
            "language",
            "wants_digest",
        ],
        [
            (
                i,
                "!",
                "f",
                f"user{i}",
                "Person",
                str(i),
                f"user{i}@example.org",
                "f",
                "t",
                now,
                "",
                1,
                "",
                "t",
            )
            for i in range(1, USERS + 1)
        ],
    )


def seed(first_assignment: int, assignments: int, reminders: int, due: int) -> None:
    """Assignments with 4 milestones each and `reminders` outbox rows, `due` of them due."""
    created = "2025-01-01 00:00:00+00"
    copy(
        "assignments_assignment",
        [
            "id",
            "registration_number",
            "document_date",
            "issuing_unit_id",
            "title",
            "description",
            "purpose",
            "working_group_note",
            "communication",
            "schedule_note",
            "costs_and_financing",
            "decision_form",
            "decision_makers_label",
            "delivery_due",
            "assignee_id",
            "state",
            "is_public",
            "created_at",
            "updated_at",
        ],
        [
            (
                a,
                f"RS 2025-{a:07d}",
                "2025-01-10",
                1,
                f"Uppdrag {a}",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "2026-06-30",
                (a % USERS) + 1,
                "in_progress",
                "f",
                created,
                created,
            )
            for a in range(first_assignment, first_assignment + assignments)
        ],
    )
    first_milestone = (first_assignment - 1) * 4 + 1
    copy(
        "assignments_milestone",
        [
            "id",
            "assignment_id",
            "kind",
            "title",
            "period_label",
            "start",
            "due",
            "status",
            "position",
        ],
        [
            (
                m,
                first_assignment + (m - first_milestone) // 4,
                "compilation",
                f"Aktivitet {m}",
                "",
                "2025-11-01",
                "2025-11-28",
                "planned",
                (m - first_milestone) % 4,
            )
            for m in range(first_milestone, first_milestone + assignments * 4)
        ],
    )
    first_reminder = (first_assignment - 1) * 10 + 1
    history_states = ["sent", "sent", "sent", "cancelled", "sent", "sent", "cancelled"]

    def rows():
        for n in range(reminders):
            r = first_reminder + n
            milestone = first_milestone + (n % (assignments * 4))
            assignment = first_assignment + (n % (assignments * 4)) // 4
            if n < due:
                state, planned, sent = "planned", "2025-11-14 07:00:00+00", None
            elif n % 10 == 9:  # a share of the future: planned, not yet due
                state, planned, sent = "planned", "2025-12-20 07:00:00+00", None
            else:
                state = history_states[n % len(history_states)]
                planned = "2025-10-01 07:00:00+00"
                sent = planned if state == "sent" else None
            yield (
                r,
                f"milestone:{milestone}",
                "before_due",
                (r % USERS) + 1,
                "2025-11-28",
                0,
                n // (assignments * 4),
                assignment,
                milestone,
                "2025-11-28",
                planned,
                state,
                1 if sent else 0,
                "",
                sent,
                created,
            )

    copy(
        "reminders_reminder",
        [
            "id",
            "subject_key",
            "kind",
            "recipient_id",
            "due_version",
            "due_revision",
            "sequence",
            "assignment_id",
            "milestone_id",
            "due_date",
            "planned_at",
            "state",
            "attempts",
            "last_error",
            "sent_at",
            "created_at",
        ],
        rows(),
    )
    with connection.cursor() as cursor:
        for table in [
            "assignments_assignment",
            "assignments_milestone",
            "reminders_reminder",
            "assignments_user",
        ]:
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            cursor.execute(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))")
        # A settled database, as production's is: no autovacuum of the freshly loaded rows
        # and no flush of their dirty pages competing with the measurements below.
        cursor.execute("VACUUM (ANALYZE)")
        cursor.execute("CHECKPOINT")


def due_pks() -> list[int]:
    return list(
        Reminder.objects.filter(state="planned", planned_at__lte=NOW).values_list("pk", flat=True)
    )


def reset(pks) -> None:
    Reminder.objects.filter(pk__in=pks).update(
        state="planned",
        claim_token=None,
        lease_until=None,
        bundle=None,
        sent_at=None,
        attempts=0,
        in_app_at=None,
    )


def explain_claim(pks) -> str:
    """The plan of the claim statement itself, as the ORM writes it (EXPLAIN only plans it)."""
    from django.test.utils import CaptureQueriesContext

    reset(pks)
    with CaptureQueriesContext(connection) as queries:
        dispatch.claim_due(NOW)
    reset(pks)
    (claim,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + claim)
        return "\n".join(row[0] for row in cursor.fetchall())


def redis_client():
    import redis

    return redis.Redis.from_url(BROKER)


def measure(label: str, pks: list[int], repeats: int = 7) -> dict:
    claim_times, enqueue_times = [], []
    r = redis_client()
    for _ in range(repeats):
        reset(pks)
        r.delete(QUEUE)
        start = time.perf_counter()
        bundles = dispatch.claim_due(NOW)
        claim_times.append(time.perf_counter() - start)
        assert sum(len(b.pks) for b in bundles) == len(pks), (len(bundles), len(pks))
        reset(pks)
        r.delete(QUEUE)
        start = time.perf_counter()
        count = dispatch.sweep(now=NOW, queue=QUEUE)
        enqueue_times.append(time.perf_counter() - start)
        # one send task per person: the due rows of the data go to as many people
        assert count == len(pks) and r.llen(QUEUE) == len(bundles), (count, r.llen(QUEUE))
    r.delete(QUEUE)
    result = {
        "label": label,
        "rows": Reminder.objects.count(),
        "due": len(pks),
        "tasks": len(bundles),
        "claim_ms": statistics.median(claim_times) * 1000,
        "enqueue_s": statistics.median(enqueue_times),
    }
    print(
        f"  {label:<6} rows={result['rows']:>9,}  due={result['due']}  tasks={len(bundles)}  "
        f"(a) find+claim {result['claim_ms']:.1f} ms  (b) all tasks in Redis "
        f"{result['enqueue_s']:.3f} s"
    )
    return result


class Sink:
    """An aiosmtpd handler that counts the Message-IDs it receives."""

    def __init__(self):
        self.ids: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        for line in envelope.content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                with self.lock:
                    self.ids.append(line.split(b":", 1)[1].strip().decode())
                break
        return "250 OK"

    def distinct(self) -> int:
        with self.lock:
            return len(set(self.ids))

    def clear(self) -> None:
        with self.lock:
            self.ids.clear()


def start_workers(port: int) -> list[subprocess.Popen]:
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{port}"}
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    return [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                QUEUE,
                # as in production (docker-compose.yml): two processes of two threads each
                "--pool=threads",
                "--concurrency=2",
                "--loglevel=WARNING",
                "-n",
                f"bench{i}@%h",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=env,
            stdout=(results / f"worker-{i}.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        for i in range(2)
    ]


def wait_until_ready(names: list[str], timeout: float = 120) -> None:
    """Start the clock only when both workers answer: starting one (importing Django and
    the project) takes seconds, more when two start at once on 2 cores."""
    from config.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(app.control.ping(destination=names, timeout=0.5)) == len(names):
            return
    raise RuntimeError(f"workers not ready: {names}")


def executed(names: list[str], task: str) -> int:
    """How many `task` the workers have run (their own count, over the control channel)."""
    from config.celery import app

    stats = app.control.inspect(destination=names, timeout=1).stats() or {}
    return sum(worker["total"].get(task, 0) for worker in stats.values())


def noop_rate(names: list[str]) -> float:
    """Tasks a second the workers run of a task that does nothing (Celery's own
    `celery.accumulate`): what Celery, kombu and Redis cost a task on these workers."""
    from config.celery import app

    task = "celery.accumulate"
    before = executed(names, task)
    start = time.perf_counter()
    with app.producer_or_acquire() as producer, producer.batch(max_size=100):
        for _ in range(NOOPS):
            app.send_task(task, queue=QUEUE, producer=producer)
    broker = redis_client()
    while broker.llen(QUEUE):
        time.sleep(0.01)
    while executed(names, task) - before < NOOPS:
        time.sleep(0.05)
    return NOOPS / (time.perf_counter() - start)


def burst_pks(pks: list[int]) -> list[int]:
    """The due set and as many planned-later rows made due with it, BURST in all."""
    later = list(
        Reminder.objects.filter(state="planned", planned_at__gt=NOW)
        .order_by("pk")
        .values_list("pk", flat=True)[: BURST - len(pks)]
    )
    Reminder.objects.filter(pk__in=later).update(planned_at=NOW - dt.timedelta(hours=1))
    return pks + later


def send_to(pks: list[int], people: int) -> None:
    """Give the rows recipients in turn among the first `people` people (each row's subject
    and sequence are its own in this data, so no two rows meet in the unique key)."""
    Reminder.objects.bulk_update(
        [Reminder(pk=pk, recipient_id=(i % people) + 1) for i, pk in enumerate(pks)],
        ["recipient"],
        batch_size=1000,
    )
    reset(pks)


def burst(pks: list[int], sink: Sink, label: str) -> dict:
    """Sweep the due rows once and wait until every mail is in the sink and every row is
    marked sent."""
    mails = Reminder.objects.filter(pk__in=pks).values("recipient").distinct().count()
    sink.clear()
    redis_client().delete(QUEUE)
    start = time.perf_counter()
    dispatch.sweep(now=NOW, queue=QUEUE)
    # Wait without taking CPU from the workers: first until the sink holds every message
    # (in memory), then until every row is committed as sent, with one plain query.
    deadline = start + 3 * BURST_SECONDS
    while time.perf_counter() < deadline and sink.distinct() < mails:
        time.sleep(0.01)
    with connection.cursor() as cursor:
        while time.perf_counter() < deadline:
            cursor.execute(
                "SELECT count(*) FROM reminders_reminder WHERE id = ANY(%s) AND state = 'sent'",
                [pks],
            )
            sent = cursor.fetchone()[0]
            if sent == len(pks):
                break
            time.sleep(0.01)
    seconds = time.perf_counter() - start
    result = {
        "reminders": len(pks),
        "mails": mails,
        "sent": sent,
        "delivered": sink.distinct(),
        "duplicates": len(sink.ids) - sink.distinct(),
        "seconds": seconds,
        "per_second": mails / seconds,
    }
    print(
        f"  {label}: {len(pks)} reminders in {mails} mails in {seconds:.1f} s = "
        f"{result['per_second']:.0f} mails/s ({len(pks) / seconds:.0f} reminders/s), "
        f"{result['delivered']} mails delivered, {result['sent']} reminders marked sent, "
        f"{result['duplicates']} duplicates"
    )
    return result


def email_bursts(pks: list[int]) -> tuple[dict, dict, float]:
    """The no-op rate, the burst of one mail a reminder and the bundled burst, on the same
    two worker processes."""
    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    workers = start_workers(port)
    names = [f"bench{i}@{socket.gethostname()}" for i in range(2)]
    try:
        wait_until_ready(names)
        noop = noop_rate(names)
        print(f"  no-op task: {noop:.0f}/s on the 2 worker processes")
        send_to(pks, len(pks))
        single = burst(pks, sink, "e-mail burst, one reminder a person")
        print(f"    = {single['per_second'] / noop:.0%} of the no-op rate")
        send_to(pks, BUNDLED_PEOPLE)
        bundled = burst(pks, sink, f"bundled burst, {len(pks) // BUNDLED_PEOPLE} a person")
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        controller.stop()
    return single, bundled, noop


def main() -> int:
    started = time.perf_counter()
    seed_people()
    seed(first_assignment=1, assignments=10_000, reminders=100_000, due=DUE)
    pks = due_pks()
    print(f"tenth size built in {time.perf_counter() - started:.0f} s")
    tenth = measure("tenth", pks)
    seed(first_assignment=10_001, assignments=90_000, reminders=900_000, due=0)
    print(f"full size built in {time.perf_counter() - started:.0f} s")
    full = measure("full", pks)
    plan = explain_claim(pks)
    uses_index = "reminder_due_idx" in plan
    print("  EXPLAIN of the claim:\n    " + plan.replace("\n", "\n    "))
    mail, bundled, _noop = email_bursts(burst_pks(pks))

    bars = [
        ("(a) find+claim at full size < 100 ms", full["claim_ms"] < 100),
        ("(b) all send tasks in Redis at full size < 1 s", full["enqueue_s"] < 1),
        ("(a) full ≤ 1.5 × tenth", full["claim_ms"] <= 1.5 * tenth["claim_ms"]),
        ("claim uses the partial index reminder_due_idx", uses_index),
        (
            f"e-mail burst: all {BURST} delivered and marked sent, 0 duplicates",
            mail["duplicates"] == 0 and mail["delivered"] == mail["sent"] == BURST,
        ),
        (f"e-mail burst within {BURST_SECONDS} s", mail["seconds"] <= BURST_SECONDS),
        (
            f"bundled burst: {BUNDLED_PEOPLE} mails delivered, all {BURST} reminders marked "
            "sent, 0 duplicates",
            bundled["duplicates"] == 0
            and bundled["delivered"] == BUNDLED_PEOPLE
            and bundled["sent"] == BURST,
        ),
    ]
    print("bars:")
    for name, ok in bars:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return 0 if all(ok for _name, ok in bars) else 1


if __name__ == "__main__":
    sys.exit(main())
