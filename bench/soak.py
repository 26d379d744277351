"""Soak of the reminders (issue 30): reminders falling due in real time through every fault.

The real parts, each a process of its own on this machine, none of them shared: a PostgreSQL
cluster and a Redis server started for the run (in a temporary folder, on free ports; the
machine's PostgreSQL on 5432 and Redis on 6379 are never touched, other people's suites run on
them), `celery beat` (django-celery-beat's schedule: the sweep every minute), two `celery
worker` processes as docker-compose.yml runs them (threads, 2 each), gunicorn serving /healthz
and an aiosmtpd sink behind a proxy that can cut a connection. The reminders (one a milestone,
each milestone's responsible person its recipient) fall due evenly over the run, to a fifth as
many people, so that some go out together in one mail.

Faults come on a fixed schedule: a worker SIGKILLed every 7 minutes (started again 5 s later,
as a supervisor would), Redis restarted twice (down 20 s; it keeps nothing, as in production,
so the queued tasks and the cache are lost), the sink answering 451 to every MAIL for 2
minutes and dropping one connection in the middle of DATA, PostgreSQL restarted once (down
20 s). /healthz is asked every 2 s, the memory of every process every 30 s.

Bars (PASS/FAIL, all counted): every reminder delivered and marked sent; a Message-ID received
twice only where its first copy was accepted just before a worker was killed or the database
stopped (the commit lost), never a reminder in two mails of different Message-IDs; none later
than its due time + 10 minutes unless it fell due in a fault's window (from 1.5 minutes before
the fault to a minute after it ended); /healthz 503 within a minute of each outage (Redis,
PostgreSQL, the sink's refusals) and 200 within a minute after it; each process's resident
memory at the end ≤ 1.2 × at minute 10.

`make soak` runs the hour (`--full`: 10,000 reminders to 2,000 people); `make bench` the short
mode (10 minutes, 1,000 reminders to 200 people, every kind of fault); `--smoke` (tests/
test_bench.py) 100 reminders in ~8 s, one Redis restart (down 1 s) and one worker kill
(started again 1 s later), each made when nothing is in flight and /healthz answers 200 (a lost
message comes back only after its 10-minute lease: the fault tests of tests/reminders/ and the
short mode prove that), with the sweep every second instead of every minute. Writes its
figures, the processes' logs and a plot of faults against deliveries to BENCH_RESULTS
(bench/results/).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import PG, RESULTS, SECRET_KEY, Bars, copy_rows, migrated_template  # noqa: E402
from _soak_parts import (  # noqa: E402
    PrivatePostgres,
    PrivateRedis,
    Sink,
    free_port,
    kill_hard,
    tree_memory_kib,
    wait_until,
)

MINUTE = 60.0
DB_NAME = "uppdrag_soak"
LATE = 10 * MINUTE  # the bar: delivered within its due time + 10 minutes
HEALTH_WITHIN = MINUTE  # the bar: /healthz follows an outage within a minute, both ways
MEMORY_GROWTH = 1.2  # the bar: memory at the end ≤ 1.2 × at minute 10
# A copy accepted up to 10 s before a worker was killed or the database was told to stop, or
# while the stop took effect (fast shutdown ends the connections a moment after it begins), can
# have lost its commit and be sent again after the lease.
DUPLICATE_WINDOW = (-10.0, 5.0)
# The faults whose outage /healthz must show: the broker, the database, the mail relay. A
# worker killed (the other carries on, its messages come back after their lease) and one
# dropped connection (tried again after 2 minutes) are not outages; their /healthz is printed.
OUTAGES = {"redis", "postgres", "smtp_451"}


@dataclasses.dataclass
class Fault:
    kind: str  # kill, redis, postgres, smtp_451, smtp_drop
    at: float  # seconds after the start
    seconds: float = 0.0  # how long it lasts (down, refusing)
    worker: int = 0
    started: float | None = None  # time.time()
    ended: float | None = None

    @property
    def label(self) -> str:
        return {
            "kill": f"SIGKILL worker {self.worker}",
            "redis": "Redis restart",
            "postgres": "PostgreSQL restart",
            "smtp_451": "sink answers 451",
            "smtp_drop": "connection dropped in DATA",
        }[self.kind]


def schedule(minutes: int) -> list[Fault]:
    """The full hour's schedule; the short mode's, within its 10 minutes."""
    if minutes == 60:
        kills = [Fault("kill", m * MINUTE, worker=i % 2) for i, m in enumerate(range(7, 60, 7))]
        return sorted(
            [
                *kills,
                Fault("redis", 17 * MINUTE, 20),
                Fault("smtp_451", 24 * MINUTE, 2 * MINUTE),
                Fault("smtp_drop", 31 * MINUTE),
                Fault("redis", 38 * MINUTE, 20),
                Fault("postgres", 45 * MINUTE, 20),
            ],
            key=lambda fault: fault.at,
        )
    # an outage ends more than a minute before the next fault, so that /healthz's recovery is
    # its own
    return [
        Fault("kill", 1 * MINUTE, worker=0),
        Fault("redis", 2 * MINUTE, 20),
        Fault("smtp_451", 3.5 * MINUTE, 2 * MINUTE),
        Fault("smtp_drop", 5.75 * MINUTE),
        Fault("postgres", 7 * MINUTE, 20),
        Fault("kill", 8 * MINUTE, worker=1),
        Fault("redis", 9 * MINUTE, 20),
    ]


# What the hour and the 10-minute mode share; each mode says what differs.
TIMED = {
    "sweep_every": None,  # the configured schedule: every minute
    "drain": 15 * MINUTE,
    "memory_at": 10 * MINUTE,
    "health_every": 2.0,
    "quiet_first": False,
    "lead": 5.0,  # seconds from setting the due times to the first
    "restart_after": 5.0,  # a killed worker's restart delay
    "poll_every": 4.0,  # the main loop's, for the end and its samples
    "web_workers": 2,  # gunicorn's, which only answers /healthz
}
MODES = {
    "full": {
        **TIMED,
        "seconds": 60 * MINUTE,
        "reminders": 10_000,
        "people": 2_000,
        "faults": lambda: schedule(60),
    },
    "short": {
        **TIMED,
        "seconds": 10 * MINUTE,
        "reminders": 1_000,
        "people": 200,
        "faults": lambda: schedule(10),
    },
    "smoke": {
        "seconds": 8.0,
        "reminders": 100,
        "people": 40,
        "faults": lambda: [Fault("redis", 3, 1), Fault("kill", 5, worker=0)],
        "sweep_every": 1,
        "drain": 3 * MINUTE,
        "memory_at": None,
        "health_every": 0.5,
        "quiet_first": True,
        "lead": 1.0,
        "restart_after": 1.0,
        "poll_every": 0.25,
        "web_workers": 1,
    },
}
# the smoke's reminders fall due in two groups, before and after its faults
SMOKE_GROUPS = ((0.0, 2.0, 0.6), (7.0, 8.0, 0.4))


class Soak:
    def __init__(self, mode: str):
        self.mode = mode
        self.size = MODES[mode]
        self.folder = Path(tempfile.mkdtemp(prefix="uppdrag-soak-"))
        self.logs = RESULTS / f"soak-{mode}"
        self.postgres = PrivatePostgres(self.folder)
        self.redis = PrivateRedis(self.folder)
        self.sink = Sink()
        self.web_port = free_port()
        self.workers: list[subprocess.Popen | None] = [None, None]
        self.worker_starts: list[list[float]] = [[], []]
        self.beat: subprocess.Popen | None = None
        self.web: subprocess.Popen | None = None
        self.faults = self.size["faults"]()
        self.health: list[tuple[float, int, list[str]]] = []  # (time, status, failing checks)
        self.memory: list[tuple[float, dict[str, int]]] = []
        self.loads: list[tuple[float, float]] = []
        self.due: dict[int, float] = {}  # reminder pk → its due time (time.time())
        self.t0 = 0.0
        self.stopping = threading.Event()
        self.notes: list[str] = []

    # -- the stack ----------------------------------------------------------------------------

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": self.postgres.url(DB_NAME),
            "CELERY_BROKER_URL": self.redis.url(0),
            "CACHE_URL": self.redis.url(1),
            "EMAIL_URL": f"smtp://127.0.0.1:{self.sink.port}",
            "DEBUG": "false",
            "SECRET_KEY": SECRET_KEY,
            "LOG_LEVEL": "WARNING",
            "UPPDRAG_VAR_DIR": str(self.folder / "var"),
        }

    def spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        return subprocess.Popen(  # noqa: S603 (this interpreter, our project)
            [sys.executable, "-m", *command],
            cwd=self.folder,
            env=self.env(),
            stdout=(self.logs / f"{name}.log").open("a"),
            stderr=subprocess.STDOUT,
        )

    def start_worker(self, i: int) -> None:
        # as docker-compose.yml runs it: two processes of two threads
        self.workers[i] = self.spawn(
            f"worker-{i}",
            [
                *("celery", "-A", "config", "worker", "--pool=threads", "--concurrency=2"),
                *("--loglevel=WARNING", "-n", f"soak{i}@%h"),
            ],
        )
        self.worker_starts[i].append(time.time())

    def build(self) -> None:
        started = time.monotonic()
        shutil.rmtree(self.logs, ignore_errors=True)
        self.logs.mkdir(parents=True)
        self.postgres.init()
        self.postgres.load(DB_NAME, f"{PG}/{migrated_template()}")
        self.redis.start()
        self.sink.start()
        os.environ.update({k: v for k, v in self.env().items() if k != "PYTHONPATH"})
        import django

        django.setup()
        self.seed()
        print(
            f"stack built and {self.size['reminders']:,} reminders seeded in "
            f"{time.monotonic() - started:.0f} s: PostgreSQL :{self.postgres.port}, Redis "
            f":{self.redis.port}, sink :{self.sink.port}, web :{self.web_port}"
        )
        for i in range(2):
            self.start_worker(i)
        self.beat = self.spawn(
            "beat",
            ["celery", "-A", "config", "beat", "--loglevel=WARNING", "-s", "beat-schedule"],
        )
        self.web = self.spawn(
            "web",
            [
                *("gunicorn", "config.wsgi", "-c", str(ROOT / "gunicorn.conf.py")),
                *("--bind", f"127.0.0.1:{self.web_port}"),
                *("--workers", str(self.size["web_workers"])),
            ],
        )
        self.wait_ready()

    def wait_ready(self) -> None:
        from config.celery import app

        names = [f"soak{i}@{socket.gethostname()}" for i in range(2)]
        workers = wait_until(
            lambda: len(app.control.ping(destination=names, timeout=1)) == 2,
            seconds=180,
            what="both workers answer",
        )
        # a sweep has run (beat, broker, a worker and the database all did their part)
        swept = wait_until(
            lambda: self.healthz()[0] == 200, seconds=180, what="/healthz answers 200"
        )
        print(f"workers answered after {workers:.0f} s, /healthz 200 {swept:.0f} s later")

    def stop_all(self) -> None:
        # The Celery processes are killed: what the run saw is kept before (keep()), their
        # broker is this run's own and goes with them, and their warm shutdown took 1-2 s here.
        for process in [*self.workers, self.beat]:
            if process is not None and process.poll() is None:
                process.kill()
        if self.web is not None and self.web.poll() is None:
            self.web.terminate()
        for process in [*self.workers, self.beat, self.web]:
            if process is not None:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    kill_hard(process)
        with contextlib.suppress(Exception):
            self.sink.stop()
        with contextlib.suppress(Exception):
            self.redis.stop()
        with contextlib.suppress(Exception):
            self.postgres.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- data ---------------------------------------------------------------------------------

    def seed(self) -> None:
        """People, assignments of 4 milestones, and one reminder a milestone to its responsible
        person, planned far ahead: start() moves them to the run's own times."""
        from django_celery_beat.models import IntervalSchedule, PeriodicTask

        from assignments.models import Assignment, Milestone, OrgUnit, User
        from reminders.models import Reminder

        people, count = self.size["people"], self.size["reminders"]
        rng = random.Random(30)
        created = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        due_date = dt.date.today() + dt.timedelta(days=14)
        copy_rows(OrgUnit, [{"id": 1, "name": "Koncernkontoret", "kind": "central_office"}])
        copy_rows(
            User,
            (
                {
                    "id": i,
                    "password": "!",
                    "username": f"soak{i}",
                    "first_name": "Person",
                    "last_name": str(i),
                    "email": f"soak{i}@example.org",
                    "date_joined": created,
                    "title": "",
                    "org_unit_id": 1,
                }
                for i in range(1, people + 1)
            ),
        )
        assignments = (count + 3) // 4
        copy_rows(
            Assignment,
            (
                {
                    "id": a,
                    "registration_number": f"RS 2026-{a:05d}",
                    "document_date": dt.date(2026, 1, 10),
                    "issuing_unit_id": 1,
                    "title": f"Uppdrag {a}",
                    "delivery_due": due_date + dt.timedelta(days=60),
                    "assignee_id": rng.randint(1, people),
                    "state": "in_progress",
                    "created_at": created,
                    "updated_at": created,
                }
                for a in range(1, assignments + 1)
            ),
        )
        recipients = [rng.randint(1, people) for _ in range(count)]
        copy_rows(
            Milestone,
            (
                {
                    "id": m,
                    "assignment_id": (m - 1) // 4 + 1,
                    "kind": "compilation",
                    "title": f"Aktivitet {m}",
                    "start": dt.date.today(),
                    "due": due_date,
                    "status": "planned",
                    "position": (m - 1) % 4,
                    "responsible_id": recipients[m - 1],
                }
                for m in range(1, count + 1)
            ),
        )
        far = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
        copy_rows(
            Reminder,
            (
                {
                    "id": r,
                    "subject_key": f"milestone:{r}",
                    "kind": "before_due",
                    "recipient_id": recipients[r - 1],
                    "due_version": due_date.isoformat(),
                    "assignment_id": (r - 1) // 4 + 1,
                    "milestone_id": r,
                    "due_date": due_date,
                    "planned_at": far,
                    "created_at": created,
                }
                for r in range(1, count + 1)
            ),
        )
        from _common import reset_sequences

        reset_sequences(Assignment, Milestone, Reminder, User, OrgUnit)
        if self.size["sweep_every"]:
            every, _ = IntervalSchedule.objects.get_or_create(
                every=self.size["sweep_every"], period=IntervalSchedule.SECONDS
            )
            # (main sweeps on a crontab of every minute: one schedule a task, so clear it)
            PeriodicTask.objects.filter(task="reminders.sweep").update(interval=every, crontab=None)

    def offsets(self) -> list[float]:
        """Each reminder's due time, in seconds after the start: evenly over the run."""
        count, seconds = self.size["reminders"], self.size["seconds"]
        if self.mode != "smoke":
            return [seconds * (i + 0.5) / count for i in range(count)]
        offsets = []
        for start, end, share in SMOKE_GROUPS:
            n = round(count * share)
            offsets += [start + (end - start) * (i + 0.5) / n for i in range(n)]
        return offsets[:count]

    def start(self) -> None:
        """The clock starts: every reminder gets its due time."""
        from django.db import connection

        self.t0 = time.time() + self.size["lead"]
        offsets = self.offsets()
        self.due = {pk: self.t0 + offset for pk, offset in enumerate(offsets, start=1)}
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE reminders_reminder SET planned_at = to_timestamp(%s + "
                "(%s::float8[])[id]) WHERE id <= %s",
                [self.t0, offsets, len(offsets)],
            )
        connection.close()

    # -- watching ----------------------------------------------------------------------------

    def healthz(self) -> tuple[int, list[str]]:
        url = f"http://127.0.0.1:{self.web_port}/healthz"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (http, ours)
                return response.status, []
        except urllib.error.HTTPError as error:
            try:
                body = json.loads(error.read())
                failing = [n for n, c in body.get("checks", {}).items() if c["state"] != "ok"]
            except ValueError:
                failing = []
            return error.code, failing
        except OSError:
            return 0, []

    def watch_health(self) -> None:
        while not self.stopping.is_set():
            status, failing = self.healthz()
            self.health.append((time.time(), status, failing))
            self.stopping.wait(self.size["health_every"])

    def sample(self) -> None:
        """The resident memory of each process (KiB; PostgreSQL's as PSS over its processes,
        whose shared buffers each would count whole) and the load average."""
        now = time.time()
        roles = {f"worker {i}": w.pid for i, w in enumerate(self.workers) if w}
        roles |= {"beat": self.beat.pid, "web (gunicorn)": self.web.pid}
        if self.redis.process:
            roles["redis"] = self.redis.process.pid
        sample = {role: tree_memory_kib(pid) for role, pid in roles.items()}
        sample["postgresql (PSS)"] = tree_memory_kib(self.postgres.pid(), "Pss")
        self.memory.append((now, sample))
        self.loads.append((now, os.getloadavg()[0]))

    def nothing_in_flight(self) -> bool:
        """No reminder due and not sent (the smoke breaks things only when nothing is in
        flight)."""
        import psycopg

        with psycopg.connect(self.postgres.url(DB_NAME)) as conn:
            (waiting,) = conn.execute(
                "SELECT count(*) FROM reminders_reminder WHERE state IN ('planned', 'sending') "
                "AND planned_at <= now()"
            ).fetchone()
        return waiting == 0

    def sent_count(self) -> int | None:
        import psycopg

        try:
            with psycopg.connect(self.postgres.url(DB_NAME), connect_timeout=5) as conn:
                return conn.execute(
                    "SELECT count(*) FROM reminders_reminder WHERE state = 'sent'"
                ).fetchone()[0]
        except psycopg.Error:
            return None

    # -- the faults ---------------------------------------------------------------------------

    def run_faults(self) -> None:
        for fault in self.faults:
            while time.time() < self.t0 + fault.at:
                if self.stopping.wait(0.2):
                    return
            if self.size["quiet_first"]:
                # and /healthz back to 200, so that what it shows after the fault is the fault's
                wait_until(
                    lambda: self.nothing_in_flight() and self.healthz()[0] == 200,
                    seconds=120,
                    what="nothing in flight and /healthz 200",
                )
            try:
                self.make(fault)
            except Exception as error:  # noqa: BLE001 - a fault that could not be made is noted
                self.notes.append(f"{fault.label} at {fault.at:.0f} s failed: {error!r}")
            took = (fault.ended or 0) - (fault.started or 0)
            print(f"  {self.clock(fault.started)}  {fault.label} (over in {took:.1f} s)")

    def make(self, fault: Fault) -> None:
        fault.started = time.time()
        if fault.kind == "kill":
            kill_hard(self.workers[fault.worker])
            time.sleep(self.size["restart_after"])  # a supervisor's restart delay, not a check
            self.start_worker(fault.worker)
        elif fault.kind == "redis":
            self.redis.stop()
            self.stopping.wait(fault.seconds)
            self.redis.start()
        elif fault.kind == "postgres":
            self.postgres.stop("fast")
            self.stopping.wait(fault.seconds)
            self.postgres.start()
            wait_until(self.postgres.answers, seconds=120, what="PostgreSQL answers")
        elif fault.kind == "smtp_451":
            self.sink.inbox.refusing = True
            self.stopping.wait(fault.seconds)
            self.sink.inbox.refusing = False
        elif fault.kind == "smtp_drop":
            self.sink.drop_armed = True
            wait_until(lambda: self.sink.dropped_at, seconds=10 * MINUTE, what="a DATA to cut")
        fault.ended = time.time()

    def clock(self, at: float | None) -> str:
        if at is None:
            return "--:--"
        sign, seconds = ("-" if at < self.t0 else ""), int(abs(at - self.t0))
        return f"{sign}{seconds // 60:02d}:{seconds % 60:02d}"

    # -- the run ------------------------------------------------------------------------------

    def run(self) -> dict:
        self.build()
        load_start = os.getloadavg()[0]
        print(f"load average {load_start:.2f} (1 min) at the start")
        self.start()
        watchers = [
            threading.Thread(target=self.watch_health, daemon=True),
            threading.Thread(target=self.run_faults, daemon=True),
        ]
        for thread in watchers:
            thread.start()
        total = self.size["reminders"]
        end = self.t0 + self.size["seconds"]
        deadline = end + self.size["drain"]
        last_sample = 0.0
        sent = 0
        while True:
            now = time.time()
            if now - last_sample >= 30:
                self.sample()
                last_sample = now
                sent = self.sent_count() or sent
                print(
                    f"  {self.clock(now)}  sent {sent:,} of {total:,}, "
                    f"{len(self.sink.inbox.arrivals):,} mails, load {self.loads[-1][1]:.2f}"
                )
            for name, process in (("beat", self.beat), ("web", self.web)):
                if process.poll() is not None and f"{name} exited" not in " ".join(self.notes):
                    self.notes.append(
                        f"{name} exited with {process.returncode} at {self.clock(now)}"
                    )
            if now > end and not watchers[1].is_alive():
                if (self.sent_count() or 0) == total:
                    break
                if now > deadline:
                    self.notes.append(
                        f"not all sent {self.size['drain'] / 60:.0f} min after the end"
                    )
                    break
            time.sleep(self.size["poll_every"])
        self.sample()
        self.stopping.set()
        for thread in watchers:
            thread.join(timeout=60)
        return self.keep(load_start)

    # -- what happened ------------------------------------------------------------------------

    RAW = ("mode", "t0", "due", "health", "memory", "loads", "notes", "rows", "arrivals")

    def keep(self, load_start: float) -> dict:
        """Everything the figures are made of, before the stack is gone: the outbox rows, the
        sink's arrivals, the faults, /healthz and the samples (written as soak-<mode>-raw.json,
        which `--analyse` reads again)."""
        from django.db import connection

        from reminders.models import Reminder

        connection.close()
        self.rows = list(
            Reminder.objects.filter(pk__in=self.due).values_list(
                "pk", "subject_key", "recipient_id", "bundle", "state", "attempts", "last_error"
            )
        )
        self.arrivals = self.sink.inbox.snapshot()
        raw = {name: getattr(self, name) for name in self.RAW}
        raw |= {
            "faults": [dataclasses.asdict(fault) for fault in self.faults],
            "refused": self.sink.inbox.refused,
            "dropped_at": self.sink.dropped_at,
            "load_start": load_start,
            "load_end": os.getloadavg()[0],
        }
        (RESULTS / f"soak-{self.mode}-raw.json").write_text(json.dumps(raw, default=str))
        return raw

    @classmethod
    def restore(cls, raw: dict) -> Soak:
        soak = cls.__new__(cls)
        soak.mode, soak.size = raw["mode"], MODES[raw["mode"]]
        for name in cls.RAW:
            setattr(soak, name, raw[name])
        soak.due = {int(pk): at for pk, at in raw["due"].items()}
        soak.faults = [Fault(**fault) for fault in raw["faults"]]
        soak.refused, soak.dropped_at = raw["refused"], raw["dropped_at"]
        soak.load_start, soak.load_end = raw["load_start"], raw["load_end"]
        return soak

    def results(self) -> dict:
        from reminders.models import Reminder, message_id_of

        rows = [
            Reminder(pk=pk, subject_key=key, recipient_id=recipient, bundle=bundle, state=state)
            for pk, key, recipient, bundle, state, *_attempts in self.rows
        ]
        # how often each was tried, when kept (a row retried after a refusal or a cut)
        attempts = {row[0]: row[5] for row in self.rows if len(row) > 5}
        mails: dict[tuple, list] = {}
        for row in rows:
            mails.setdefault((row.recipient_id, row.bundle), []).append(row)
        final = {
            message_id_of(sorted(group, key=lambda r: r.pk)): group for group in mails.values()
        }
        arrivals: dict[str, list[float]] = {}
        for message_id, at in self.arrivals:
            arrivals.setdefault(message_id, []).append(at)
        delivered_at = {}
        for message_id, group in final.items():
            if message_id in arrivals:
                for row in group:
                    delivered_at[row.pk] = min(arrivals[message_id])
        unexpected = sorted(set(arrivals) - set(final))
        not_sent = [row.pk for row in rows if row.state != "sent"]
        windows = [
            (f.started - 1.5 * self.sweep_seconds(), (f.ended or f.started) + self.sweep_seconds())
            for f in self.faults
            if f.started
        ]
        lateness, lateness_in_windows = {}, {}
        for pk, at in delivered_at.items():
            due = self.due[pk]
            late = at - due
            in_window = any(start <= due <= end for start, end in windows)
            (lateness_in_windows if in_window else lateness)[pk] = late
        deaths = [
            (f.started, "worker killed") for f in self.faults if f.kind == "kill" and f.started
        ]
        deaths += [
            (f.started, "PostgreSQL stopped")
            for f in self.faults
            if f.kind == "postgres" and f.started
        ]
        duplicates = []
        for message_id, times in arrivals.items():
            if len(times) > 1:
                first = min(times)
                cause = next(
                    (
                        why
                        for at, why in deaths
                        if DUPLICATE_WINDOW[0] <= first - at <= DUPLICATE_WINDOW[1]
                    ),
                    None,
                )
                duplicates.append(
                    {
                        "message_id": message_id,
                        "copies": len(times),
                        "first_at": self.clock(first),
                        "cause": cause,
                    }
                )
        health = self.health_per_fault()
        memory = self.memory_growth()
        loads = [load for _t, load in self.loads]
        return {
            "mode": self.mode,
            "reminders": len(self.due),
            "people": self.size["people"],
            "mails_final": len(final),
            "delivered": len(delivered_at),
            "not_sent": not_sent,
            "unexpected_ids": unexpected,
            "received": sum(len(t) for t in arrivals.values()),
            "refused_451": self.refused,
            "dropped_in_data": [self.clock(t) for t in self.dropped_at],
            "duplicates": duplicates,
            "max_late_outside": max(lateness.values(), default=0.0),
            "late_outside": sorted(
                (self.clock(self.due[pk]), round(late))
                for pk, late in lateness.items()
                if late > LATE
            ),
            "max_late_in_windows": max(lateness_in_windows.values(), default=0.0),
            "reminders_in_windows": len(lateness_in_windows),
            "reminders_outside": len(lateness),
            "late_in_windows_by_cause": self.causes(lateness_in_windows, attempts),
            "p50_late_outside": percentile(list(lateness.values()), 50),
            "p99_late_outside": percentile(list(lateness.values()), 99),
            "faults": [
                {"fault": f.label, "at": self.clock(f.started), "over": self.clock(f.ended)}
                for f in self.faults
            ],
            "health": health,
            "memory": memory,
            "load": {
                "start": self.load_start,
                "end": self.load_end,
                "min": min(loads, default=0),
                "max": max(loads, default=0),
                "mean": sum(loads) / len(loads) if loads else 0,
            },
            "notes": self.notes,
            "timeline": {
                "t0": self.t0,
                "due": sorted(self.due.values()),
                "delivered": sorted(delivered_at.values()),
                "late": [
                    (self.due[pk], late) for pk, late in {**lateness, **lateness_in_windows}.items()
                ],
                "faults": [(f.label, f.kind, f.started, f.ended) for f in self.faults if f.started],
                "health": [(t, status) for t, status, _ in self.health],
            },
        }

    def causes(self, lateness: dict[int, float], attempts: dict[int, int]) -> dict[str, int]:
        """Why the reminders more than two sweeps late were late: tried again (after a refusal
        or a cut connection), or lost with a worker or the broker and claimed again after the
        lease, or their sweep was lost or late."""
        causes = {"tried again": 0, "lost, sent after the lease": 0, "sweep lost or late": 0}
        lease = 10 * MINUTE
        for pk, late in lateness.items():
            if late <= 2 * self.sweep_seconds():
                continue
            if attempts.get(pk, 1) > 1:
                causes["tried again"] += 1
            elif late >= lease:
                causes["lost, sent after the lease"] += 1
            else:
                causes["sweep lost or late"] += 1
        return causes

    def sweep_seconds(self) -> float:
        return float(self.size["sweep_every"] or MINUTE)

    def health_per_fault(self) -> list[dict]:
        """For each fault: when /healthz first answered other than 200 after it began, and
        when it first answered 200 after it was over."""
        rows = []
        starts = sorted(f.started for f in self.faults if f.started)
        for fault in self.faults:
            if not fault.started:
                continue
            end = fault.ended or fault.started
            # what /healthz said until the next fault began, at most a minute after this one
            until = min([end + HEALTH_WITHIN, *(t for t in starts if t > fault.started)])
            bad = next(
                (t for t, s, _ in self.health if fault.started <= t <= until and s != 200), None
            )
            good = next((t for t, s, _ in self.health if t >= end and s == 200), None)
            failing = sorted(
                {c for t, s, checks in self.health if fault.started <= t <= until for c in checks}
            )
            rows.append(
                {
                    "fault": fault.label,
                    "kind": fault.kind,
                    "at": self.clock(fault.started),
                    "unhealthy_after": None if bad is None else round(bad - fault.started, 1),
                    "healthy_again_after": None if good is None else round(good - end, 1),
                    "failing_checks": failing,
                }
            )
        return rows

    def memory_growth(self) -> dict[str, dict]:
        if not self.memory or self.size["memory_at"] is None:
            return {}
        at = self.t0 + self.size["memory_at"]
        reference = min(self.memory, key=lambda sample: abs(sample[0] - at))[1]
        end = self.memory[-1][1]
        return {
            role: {
                "minute_10_mib": reference[role] / 1024,
                "end_mib": end.get(role, 0) / 1024,
                "ratio": end.get(role, 0) / reference[role] if reference[role] else None,
            }
            for role in reference
        }


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))]


def report(result: dict, mode: str) -> int:
    print(
        f"\n{result['reminders']:,} reminders to {result['people']:,} people in "
        f"{result['mails_final']:,} mails; {result['received']:,} mails received "
        f"({result['refused_451']} MAIL answered 451, connection cut in DATA at "
        f"{', '.join(result['dropped_in_data']) or 'never'})"
    )
    print("faults:")
    for row in result["health"]:
        bad, good = row["unhealthy_after"], row["healthy_again_after"]
        failing = row["failing_checks"]
        if bad is None:
            health = "stayed 200"
        else:
            again = f"200 again {good} s after it" if good is not None else "not 200 again"
            health = f"503 after {bad} s, {again} (failing: {', '.join(failing)})"
        print(f"  {row['at']}  {row['fault']:<28} /healthz {health}")
    print(
        f"lateness outside the fault windows: p50 {result['p50_late_outside']:.0f} s, p99 "
        f"{result['p99_late_outside']:.0f} s, max {result['max_late_outside']:.0f} s; "
        f"{result['reminders_in_windows']} reminders due in a window, max "
        f"{result['max_late_in_windows']:.0f} s; more than 2 sweeps late there: "
        + ", ".join(f"{n} {why}" for why, n in result.get("late_in_windows_by_cause", {}).items())
    )
    for dup in result["duplicates"]:
        print(
            f"  duplicate {dup['message_id']} ×{dup['copies']}, first at {dup['first_at']}: "
            f"{dup['cause'] or 'no kill just after it'}"
        )
    if result["memory"]:
        print("resident memory (MiB) at minute 10 → end:")
        for role, row in result["memory"].items():
            ratio = f"{row['ratio']:.2f}" if row["ratio"] else "-"
            print(f"  {role:<18} {row['minute_10_mib']:7.1f} → {row['end_mib']:7.1f}  ×{ratio}")
    load = result["load"]
    print(
        f"load average (1 min): start {load['start']:.2f}, mean {load['mean']:.2f}, max "
        f"{load['max']:.2f}, end {load['end']:.2f}"
    )
    for note in result["notes"]:
        print(f"note: {note}")

    bars = Bars(judge_times=True)
    count = result["reminders"]
    bars.check(
        f"every reminder delivered and marked sent ({result['delivered']:,} of {count:,})",
        result["delivered"] == count and not result["not_sent"],
    )
    unexplained = [d for d in result["duplicates"] if d["cause"] is None]
    bars.check(
        "duplicates only with the same Message-ID, after a kill or a database stop "
        f"({len(result['duplicates'])} duplicates, {len(unexplained)} unexplained, "
        f"{len(result['unexpected_ids'])} mails of other rows)",
        not unexplained and not result["unexpected_ids"],
    )
    outside = result.get("reminders_outside")
    bars.check(
        f"none later than due + 10 min outside the fault windows (max "
        f"{result['max_late_outside']:.0f} s of {outside} reminders"
        f"{': nothing to judge' if outside == 0 else ''})",
        result["max_late_outside"] <= LATE and result["delivered"] == count,
    )
    for row in result["health"]:
        if row["kind"] in OUTAGES:
            bars.check(
                f"/healthz 503 within 1 min of '{row['fault']}' at {row['at']} and 200 within "
                "1 min after",
                row["unhealthy_after"] is not None
                and row["unhealthy_after"] <= HEALTH_WITHIN
                and row["healthy_again_after"] is not None
                and row["healthy_again_after"] <= HEALTH_WITHIN,
            )
    if mode == "smoke":
        print("  (memory is not judged at the smoke size)")
    for role, row in result["memory"].items():
        bars.check(
            f"memory of {role} at the end ≤ {MEMORY_GROWTH} × at minute 10",
            row["ratio"] is not None and row["ratio"] <= MEMORY_GROWTH,
        )
    return bars.report()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--full", action="store_true", help="the hour (make soak)")
    size.add_argument("--smoke", action="store_true", help="~8 s (tests/test_bench.py)")
    parser.add_argument("--analyse", type=Path, help="the figures of a run's -raw.json again")
    args = parser.parse_args(argv)
    if args.analyse:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "SECRET_KEY": SECRET_KEY,
                "DEBUG": "false",
            }
        )
        import django

        django.setup()
        soak = Soak.restore(json.loads(args.analyse.read_text()))
    else:
        soak = Soak("full" if args.full else "smoke" if args.smoke else "short")

        def interrupted(signum, frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, interrupted)
        try:
            raw = soak.run()
        finally:
            soak.stopping.set()
            soak.stop_all()
        # the figures are made from what was kept, as `--analyse` makes them again
        soak = Soak.restore(json.loads(json.dumps(raw, default=str)))
    mode = soak.mode
    result = soak.results()
    (RESULTS / f"soak-{mode}.json").write_text(json.dumps(result, indent=1, default=str))
    from _soak_plot import plot

    picture = RESULTS / f"soak-{mode}.png"
    plot(result, picture)
    print(f"figures: {RESULTS / f'soak-{mode}.json'}, plot: {picture}")
    return report(result, mode)


if __name__ == "__main__":
    sys.exit(main())
