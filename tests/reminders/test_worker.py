"""End to end with a real Celery worker process, a real broker and a real SMTP server.

The worker runs in its own process against the test database; the test moves only its own
clock (time-machine), so it passes `now` to the sweep, and the send does not depend on time.
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import icalendar
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from assignments.models import Assignment, User
from reminders import dispatch
from reminders.models import Reminder
from reminders.tasks import send_reminders
from tests.environment import free_port
from tests.reminders.test_dispatch import listed

from .conftest import registered_as_written, told_at_once

ROOT = Path(__file__).resolve().parents[2]
CET = dt.timezone(dt.timedelta(hours=1))
NOV_14 = dt.datetime(2025, 11, 14, 8, 30, tzinfo=CET)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}{password}@{host}/{db['NAME']}"


# How long a wait may see no progress at all before the test gives up. On a loaded machine
# everything takes longer, but a worker that is starting or sending keeps using CPU and rows
# keep changing state: waits follow that, not a guess of the wall-clock time.
STALL = 60.0
# Only a worker that keeps working without ever finishing would run into this.
LIMIT = 600.0


def cpu_seconds(pid: int) -> float:
    """The CPU time a process has used so far (Linux /proc), 0 once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def cpu_progress(pid: int, step: float = 0.5):
    """Progress of a process as the half-seconds of CPU it has used: an idle worker polling
    its broker uses far less than that in STALL seconds."""
    return lambda: int(cpu_seconds(pid) / step)


def wait_until(predicate, *, progress, what: str, interval: float = 0.1) -> None:
    """Wait until predicate() holds; give up when progress() has not changed for STALL
    seconds."""
    seen, since, start = progress(), time.monotonic(), time.monotonic()
    while not predicate():
        time.sleep(interval)
        now = time.monotonic()
        if (current := progress()) != seen:
            seen, since = current, now
        elif now - since > STALL:
            raise AssertionError(f"no progress in {STALL:.0f} s while waiting for {what}")
        if now - start > LIMIT:
            raise AssertionError(f"still waiting for {what} after {LIMIT:.0f} s")


def sweep_until_sent(now, enqueue, pks, worker) -> None:
    """Sweep as beat does, every minute (here every half second, at the same `now`), until
    every reminder is sent. A sweep skips a row that another transaction holds locked at that
    instant (SKIP LOCKED): a worker checking a stale message against the row, for one. The
    next sweep takes it, as in production a minute later; rows already claimed again are not
    taken twice, since their new lease has not ended at `now`. Progress: rows sent, and the
    worker's CPU."""
    worker_cpu = cpu_progress(worker.process.pid)

    def all_sent_after_a_sweep() -> bool:
        dispatch.sweep(now=now, enqueue=enqueue)
        return sent_count(pks) == len(pks)

    try:
        wait_until(
            all_sent_after_a_sweep,
            progress=lambda: (sent_count(pks), worker_cpu()),
            what="all reminders sent",
            interval=0.5,
        )
    except AssertionError as error:
        # what the rows and the worker were doing, to tell a lost row from a slow machine
        states = list(
            Reminder.objects.filter(pk__in=pks)
            .values_list("pk", "state", "attempts", "planned_at", "lease_until", "last_error")
            .exclude(state=Reminder.State.SENT)
        )
        log = worker.log.read_text(errors="replace").splitlines()[-40:]
        raise AssertionError("\n".join([str(error), *map(str, states), *log])) from error


class Worker:
    """`celery -A config worker` in its own process, on its own queue."""

    def __init__(self, tmp_path, smtp_port, broker, queue, fault="", rate_limit=""):
        self.log = tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "SITE_URL": settings.SITE_URL,
            "UPPDRAG_FAULT": fault,
            "EMAIL_RATE_LIMIT": rate_limit,
            "DEBUG": "false",
        }
        env.pop("CELERY_TASK_ALWAYS_EAGER", None)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                queue,
                "--pool=solo",
                "--loglevel=INFO",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        wait_until(
            lambda: "ready." in self.log.read_text() or self.process.poll() is not None,
            progress=lambda: (self.log.stat().st_size, self.cpu()),
            what="worker ready",
        )
        assert self.process.poll() is None, self.log.read_text()

    def cpu(self):
        return cpu_progress(self.process.pid)()

    def wait_for_crash(self):
        wait_until(
            lambda: self.process.poll() is not None, progress=self.cpu, what="the worker to crash"
        )
        assert self.process.returncode == -signal.SIGKILL

    def stop(self):
        """A warm shutdown, as a deployment stops a worker. Celery's event loop sees the
        signal at its next turn, up to a second later, and nothing of the test waits on what
        the worker does then (it finishes no task: each test waits for its rows first), so the
        test goes on meanwhile; `reap` waits for the worker's end before the next one starts
        and at the module's end."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            stopping.append(self)

    def reap(self):
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


stopping: list[Worker] = []  # sent SIGTERM, not yet ended


def reap_stopped_workers():
    while stopping:
        stopping.pop().reap()


@pytest.fixture(autouse=True, scope="module")
def _workers_end_with_the_module():
    """No worker outlives its module: the test database, which it is connected to, is
    dropped at the end of the run."""
    yield
    reap_stopped_workers()


@pytest.fixture
def broker():
    return settings.CELERY_BROKER_URL


@pytest.fixture
def queue():
    return f"test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def workers(tmp_path, smtp):
    started = []

    def start(broker, queue, fault="", rate_limit=""):
        reap_stopped_workers()  # one test's workers at a time on the machine
        worker = Worker(tmp_path, smtp.port, broker, queue, fault, rate_limit)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def demo(clock):
    call_command("load_demo", "--seed-only", verbosity=0)
    told_at_once()  # the adoption's events
    registered_as_written()  # every deadline of its tidplan one to remind of


def enqueue_to(queue, broker=None):
    def enqueue(pks, token):
        options = {"queue": queue}
        if broker:
            from config.celery import app

            with app.connection_for_write(broker) as conn:
                send_reminders.apply_async((list(pks), token), connection=conn, **options)
        else:
            send_reminders.apply_async((list(pks), token), **options)

    return enqueue


def sent_count(pks) -> int:
    return Reminder.objects.filter(pk__in=pks, state="sent").count()


def claimed_pks(now) -> list[int]:
    return list(
        Reminder.objects.filter(state="planned", planned_at__lte=now).values_list("pk", flat=True)
    )


def people(pks) -> int:
    """How many people these reminders go to: the mails of one sweep."""
    return Reminder.objects.filter(pk__in=pks).values("recipient").distinct().count()


def deadlines(pks) -> int:
    """How many lines the mails of these reminders list: each person's deadlines, once."""
    rows = Reminder.objects.filter(pk__in=pks)
    return rows.values("recipient", "subject_key").distinct().count()


def test_sweep_through_the_broker_and_a_worker_delivers_each_reminder_once(
    demo, smtp, workers, broker, queue
):
    pks = claimed_pks(NOV_14)
    assert len(pks) > people(pks)  # some people have several reminders due
    worker = workers(broker, queue)
    # the production hand-off: one task per person's bundle
    assert dispatch.sweep(now=NOV_14, queue=queue) == len(pks)
    wait_until(
        lambda: sent_count(pks) == len(pks),
        progress=lambda: (sent_count(pks), worker.cpu()),
        what="all reminders sent",
    )
    assert len(smtp.inbox.messages) == people(pks)
    assert len({m["To"] for m in smtp.inbox.messages}) == people(pks)  # one mail each
    assert set(smtp.inbox.by_message_id().values()) == {1}
    assert sum(len(listed(m)) for m in smtp.inbox.messages) == deadlines(pks)
    compilation = [
        m for m in smtp.inbox.messages if any("Sammanställning" in line for line in listed(m))
    ]
    assert len(compilation) == 1 and compilation[0]["To"] == "jan.strang@example.org"


def test_one_mail_lists_each_deadline_due_for_a_person_in_the_sweep(
    demo, smtp, workers, broker, queue
):
    """Per Albertsson's escalations of four overdue milestones: one mail listing the four, a
    calendar event for each deadline, and the four in the app."""
    now = NOV_14 + dt.timedelta(days=26)  # 10 Dec
    per = User.objects.get(username="per.albertsson")
    pks = claimed_pks(now)
    escalations = Reminder.objects.filter(pk__in=pks, recipient=per)
    assert [row.kind for row in escalations] == ["escalation"] * 4
    worker = workers(broker, queue)
    dispatch.sweep(now=now, queue=queue)
    wait_until(
        lambda: sent_count(pks) == len(pks),
        progress=lambda: (sent_count(pks), worker.cpu()),
        what="all reminders sent",
    )
    (mail,) = smtp.inbox.to("per.albertsson@example.org")
    assert mail["Subject"] == "Uppdrag: 4 påminnelser om RS 2024-05699"
    lines = listed(mail)
    assert len(lines) == 4 and all(line.startswith("Eskalering: ") for line in lines)
    (ics,) = mail.iter_attachments()
    events = icalendar.Calendar.from_ical(ics.get_payload(decode=True)).walk("VEVENT")
    assert sorted(str(event["UID"]).split("@")[0] for event in events) == sorted(
        row.subject_key.replace(":", "-") for row in escalations
    )
    in_app = per.notifications.filter(data__reminder__in=[row.pk for row in escalations])
    assert sorted(in_app.values_list("verb", flat=True)) == sorted(lines)


def test_a_connection_the_database_closed_is_replaced_before_the_next_task(
    demo, smtp, workers, broker, queue
):
    """PostgreSQL restarts between two tasks (here it ends the worker's connection): the next
    task checks the connection it reuses and opens a new one, instead of failing and leaving
    its reminders to wait out their lease (bench/soak.py found that)."""
    per = User.objects.get(username="per.albertsson")
    due = Reminder.objects.filter(state="planned", planned_at__lte=NOV_14)
    later = NOV_14 + dt.timedelta(days=60)
    others = list(due.exclude(recipient=per).values_list("pk", flat=True))
    Reminder.objects.filter(pk__in=others).update(planned_at=later)
    pers = claimed_pks(NOV_14)
    worker = workers(broker, queue)
    dispatch.sweep(now=NOV_14, queue=queue)
    wait_until(
        lambda: sent_count(pers) == len(pers),
        progress=lambda: (sent_count(pers), worker.cpu()),
        what="Per's reminders sent",
    )
    with connection.cursor() as cursor:  # the server ends every other connection to this database
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] >= 1
    Reminder.objects.filter(pk__in=others).update(planned_at=NOV_14)
    dispatch.sweep(now=NOV_14, queue=queue)
    wait_until(
        lambda: sent_count(others) == len(others),
        progress=lambda: (sent_count(others), worker.cpu()),
        what="the other reminders sent",
    )
    assert "OperationalError" not in worker.log.read_text()


def test_a_bundle_resent_after_a_crash_is_the_same_mail_and_what_fell_due_since_goes_apart(
    demo, smtp, workers, broker, queue
):
    """The worker dies after the server accepted Per's mail of two escalations. After the
    lease the mail is sent again as it was (the same Message-ID, the same two deadlines),
    although another escalation of Per's fell due in between: that one is a mail of its own,
    not a third line under the Message-ID the reader already has."""
    per = User.objects.get(username="per.albertsson")
    due = Reminder.objects.filter(state="planned", planned_at__lte=NOV_14)
    due.exclude(recipient=per).update(planned_at=NOV_14 + dt.timedelta(days=60))  # out of the way
    pers = claimed_pks(NOV_14)
    assert len(pers) == 2
    crashing = workers(broker, queue, fault="after_send")
    dispatch.sweep(now=NOV_14, enqueue=enqueue_to(queue))
    crashing.wait_for_crash()
    (first,) = smtp.inbox.messages
    assert len(listed(first)) == 2
    fell_due = (
        Reminder.objects.filter(recipient=per, state="planned", planned_at__gt=NOV_14)
        .order_by("planned_at")
        .first()
    )
    fell_due.planned_at = NOV_14 + dt.timedelta(minutes=5)
    fell_due.save(update_fields=["planned_at"])
    worker = workers(broker, queue)
    after_lease = NOV_14 + dispatch.LEASE + dt.timedelta(minutes=1)
    sweep_until_sent(after_lease, enqueue_to(queue), [*pers, fell_due.pk], worker)
    mails = smtp.inbox.to("per.albertsson@example.org")
    assert len(mails) == 3
    again = [m for m in mails[1:] if m["Message-ID"] == first["Message-ID"]]
    assert len(again) == 1 and listed(again[0]) == listed(first)
    (apart,) = [m for m in mails if m["Message-ID"] != first["Message-ID"]]
    assert len(listed(apart)) == 1 and listed(apart)[0] not in listed(first)


def test_an_event_goes_out_through_the_outbox_and_a_worker_at_once(
    demo, smtp, workers, broker, queue
):
    """Issue #17, 7: a submitted delivery asks its decision-makers at once, by e-mail through
    the outbox (committed with the delivery, sent by the worker with the row's Message-ID)."""
    from django.utils import timezone

    from assignments.models import User
    from workflow import services

    seed = Assignment.objects.get(registration_number="RS 2024-05699", state="adopted")
    jan = User.objects.get(username="jan.strang")
    services.submit_delivery(assignment=seed, actor=jan, summary="Slutrapport med förslag.")
    now = timezone.now()
    asked = Reminder.objects.filter(kind=Reminder.Kind.DECISION_REQUESTED, assignment=seed)
    assert {r.recipient.username for r in asked} == {"anders.kullbratt", "per.albertsson"}
    pks = claimed_pks(now)
    assert set(asked.values_list("pk", flat=True)) <= set(pks)
    worker = workers(broker, queue)
    assert dispatch.sweep(now=now, queue=queue) == len(pks)
    wait_until(
        lambda: sent_count(pks) == len(pks),
        progress=lambda: (sent_count(pks), worker.cpu()),
        what="all due rows sent",
    )
    assert set(smtp.inbox.by_message_id().values()) == {1}
    for row in asked:
        (mail,) = [m for m in smtp.inbox.messages if m["Message-ID"] == row.message_id]
        assert mail["To"] == row.recipient.email
        assert f"Väntar på ditt beslut: {seed.title}" in " ".join(str(mail["Subject"]).split())


def test_worker_killed_after_claim_before_send_loses_nothing_and_sends_once(
    demo, smtp, workers, broker, queue, tmp_path
):
    pks = claimed_pks(NOV_14)
    crashing = workers(broker, queue, fault="before_send")
    dispatch.sweep(now=NOV_14, enqueue=enqueue_to(queue))
    crashing.wait_for_crash()
    assert smtp.inbox.messages == []
    worker = workers(broker, queue)  # a fresh one; what the broker still holds is stale or fine
    after_lease = NOV_14 + dispatch.LEASE + dt.timedelta(minutes=1)
    sweep_until_sent(after_lease, enqueue_to(queue), pks, worker)
    assert len(smtp.inbox.messages) == people(pks)
    assert set(smtp.inbox.by_message_id().values()) == {1}
    assert sum(len(listed(m)) for m in smtp.inbox.messages) == deadlines(pks)


def test_worker_killed_after_smtp_accepted_resends_with_the_same_message_id(
    demo, smtp, workers, broker, queue
):
    """The design chose at-least-once: the one mail in the SMTP window is sent again, with the
    Message-ID of the first, so a mail system or reader can tell it is the same message."""
    pks = claimed_pks(NOV_14)
    crashing = workers(broker, queue, fault="after_send")
    dispatch.sweep(now=NOV_14, enqueue=enqueue_to(queue))
    crashing.wait_for_crash()
    assert len(smtp.inbox.messages) == 1
    first_id = smtp.inbox.messages[0]["Message-ID"]
    worker = workers(broker, queue)
    after_lease = NOV_14 + dispatch.LEASE + dt.timedelta(minutes=1)
    sweep_until_sent(after_lease, enqueue_to(queue), pks, worker)
    counts = smtp.inbox.by_message_id()
    assert counts[first_id] == 2
    assert [n for mid, n in counts.items() if mid != first_id] == [1] * (people(pks) - 1)


def test_redis_restarted_during_the_run_loses_no_reminder(demo, smtp, workers, queue, tmp_path):
    port = free_port()
    command = [
        "redis-server",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(tmp_path),
    ]
    redis = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    broker = f"redis://127.0.0.1:{port}/0"
    try:
        wait_until(lambda: _redis_up(port), progress=cpu_progress(redis.pid), what="redis up")
        pks = claimed_pks(NOV_14)
        dispatch.sweep(now=NOV_14, enqueue=enqueue_to(queue, broker))  # queued in Redis
        redis.terminate()
        redis.wait(timeout=10)
        redis = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # empty: the queue is gone
        wait_until(lambda: _redis_up(port), progress=cpu_progress(redis.pid), what="redis back")
        worker = workers(broker, queue)
        after_lease = NOV_14 + dispatch.LEASE + dt.timedelta(minutes=1)
        sweep_until_sent(after_lease, enqueue_to(queue, broker), pks, worker)
        assert len(smtp.inbox.messages) == people(pks)
        assert set(smtp.inbox.by_message_id().values()) == {1}
    finally:
        redis.terminate()
        redis.wait(timeout=10)


def _redis_up(port) -> bool:
    import redis as redis_client

    try:
        return redis_client.Redis(host="127.0.0.1", port=port).ping()
    except redis_client.ConnectionError:
        return False


def test_the_worker_keeps_to_the_email_rate_limit(demo, smtp, workers, broker, queue):
    """EMAIL_RATE_LIMIT=120/m: the worker starts a send every half second, however fast it
    could go (without the limit these mails arrive within a fraction of a second)."""
    pks = claimed_pks(NOV_14)
    assert people(pks) >= 3  # one mail a person (the reminders of seed 004's three)
    worker = workers(broker, queue, rate_limit="120/m")
    assert dispatch.sweep(now=NOV_14, queue=queue) == len(pks)
    wait_until(
        lambda: sent_count(pks) == len(pks),
        progress=lambda: (sent_count(pks), worker.cpu()),
        what="all reminders sent",
    )
    arrivals = smtp.inbox.arrivals
    assert len(arrivals) == people(pks)  # the limit counts mails, as the relay does
    # Half a second between starts; a send may take a little longer or shorter than the one
    # before it, hence half a second of slack over the whole run (unlimited, the mails arrive
    # within a fraction of a second).
    assert arrivals[-1] - arrivals[0] >= (len(arrivals) - 1) * 0.5 - 0.5
