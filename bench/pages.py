"""Benchmark of the everyday pages (issues 5 and 16), rendered for every request (there is no
cache of rendered pages), against PostgreSQL on this machine.

1. Builds a database `uppdrag_bench_pages`: the demo plus 1,000 generated assignments owned by
   10 generated people (each the assignee of 100, a commissioner of ~200, in ~300 working
   groups), copies it to `uppdrag_bench_pages_small`, then grows the first to 100,000
   assignments (400,000 milestones, 200,000 commissioner and 300,000 working-group rows,
   100,000 open viewflow tasks, audit entries and notifications) owned by 990 more people.
   The person and the assignment measured are the same in both, with the same rows: the
   difference is what the size of the tables costs.
2. Serves each database with its own gunicorn (2 sync workers, DEBUG off) and loads four
   addresses with Debian's `wrk` over loopback, logged in: the start page of that person,
   one of their assignment pages, the registrar's portfolio (all assignments), and a bare
   Django view that renders a static page through the same middleware. Rounds alternate
   between the two sizes, so that both meet the same load from the rest of the machine.
3. Reports p50/p95 latency and requests/second of each, and checks the bars at full size:
   each page's p95 < 100 ms and throughput ≥ 10 % of the bare view's, and its p95 ≤ 1.5 ×
   its p95 at 1,000 assignments.

Run with `make bench`. Exits non-zero when a bar is missed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import PG, SECRET_KEY, copy, recreate_database  # noqa: E402

DB_NAME = "uppdrag_bench_pages"
SMALL_DB_NAME = "uppdrag_bench_pages_small"  # a copy made before growing
SMALL = int(os.environ.get("BENCH_SMALL", "1000"))
ASSIGNMENTS = int(os.environ.get("BENCH_ASSIGNMENTS", "100000"))
PER_PERSON = 100  # assignments each generated person is the assignee of
DURATION = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = 4
P95_BAR_MS = 100
THROUGHPUT_SHARE_BAR = 0.10
GROWTH_BAR = 1.5


ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DATABASE_URL": f"{PG}/{DB_NAME}",
    "DEBUG": "false",
    "SECRET_KEY": SECRET_KEY,
    "SECURE_SSL_REDIRECT": "false",  # gunicorn on loopback speaks plain http, as wrk does
    "LOG_LEVEL": "WARNING",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "ROOT_URLCONF": "bench._urls",
    # the login throttles count in the cache; Redis, as in production
    "CACHE_URL": os.environ.get("BENCH_CACHE", "redis://127.0.0.1:6379/14"),
}
os.environ.update(ENV)
# BENCH_REUSE=1 measures again on the databases a previous run built.
SAVED = ROOT / "var" / "bench_pages.json"
REUSE = os.environ.get("BENCH_REUSE") == "1" and SAVED.exists()
if not REUSE:
    recreate_database(DB_NAME)

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

call_command("migrate", verbosity=0)
call_command("collectstatic", "--noinput", verbosity=0)  # production storage, as deployed


STATES = ["in_progress"] * 5 + ["adopted", "delivered", "decided", "draft", "cancelled"]
STATUSES = ["done", "done", "in_progress", "planned", "at_risk", "planned"]
NOW = "2026-01-01 08:00:00+00"


def seed() -> dict:
    """The demo (seed 004, groups, people with real processes); where the generated rows
    start."""
    from viewflow.workflow.models import Process

    from assignments.models import Assignment, User

    call_command("load_demo", verbosity=0)
    with connection.cursor() as cursor:  # the stored form, not the resolved flow class
        cursor.execute("SELECT flow_class FROM viewflow_process LIMIT 1")
        flow_class = cursor.fetchone()[0]
    return {
        "flow_class": flow_class,
        "first_user": User.objects.order_by("-pk").first().pk + 1,
        "first_assignment": Assignment.objects.order_by("-pk").first().pk + 1,
        "first_process": Process.objects.order_by("-pk").first().pk + 1,
    }


def grow(base: dict, start: int, count: int, first_person: int, people: int) -> None:
    """Generated assignments number `start` to `start + count`, owned by generated people
    number `first_person` to `first_person + people`: each is the assignee of count / people
    of them (in every state in turn), a commissioner of about twice as many, in about three
    times as many working groups, with an open viewflow task and a notification for each."""
    from assignments.models import Assignment, User

    assignment_ct = ContentType.objects.get_for_model(Assignment).pk
    user_ct = ContentType.objects.get_for_model(User).pk
    today = dt.date.today()
    users = range(base["first_user"] + first_person, base["first_user"] + first_person + people)
    copy(
        "assignments_user",
        ["id", "password", "is_superuser", "username", "first_name", "last_name", "email"]
        + ["is_staff", "is_active", "date_joined", "title", "language", "wants_digest"],
        [
            (u, "!", "f", f"bench{u}", "Person", str(u), f"b{u}@example.org", "f", "t", NOW)
            + ("Handläggare", "", "t")
            for u in users
        ],
    )

    def person(j: int, offset: int = 0) -> int:
        return users[(j + offset) % people]

    rows = [(base["first_assignment"] + start + j, j) for j in range(count)]
    copy(
        "assignments_assignment",
        ["id", "registration_number", "document_date", "issuing_unit_id", "title"]
        + ["description", "purpose", "working_group_note", "communication", "schedule_note"]
        + ["costs_and_financing", "decision_form", "decision_makers_label", "delivery_due"]
        + ["assignee_id", "state", "is_public", "created_at", "updated_at"],
        [
            (a, f"RS 2025-{a:07d}", "2025-01-10", 1, f"Uppdrag {a} om verksamhetsutveckling")
            + ("Beskrivning av uppdraget. " * 20, "Syfte.", "", "Kommunikation.", "Tidplan.")
            + ("Inom ordinarie verksamhet.", "Beslut av uppdragsgivarna.", "")
            + ((today + dt.timedelta(days=(a % 400) - 100)).isoformat(),)
            + (person(j), STATES[(j // people) % len(STATES)], "f", NOW, NOW)
            for a, j in rows
        ],
    )
    copy(
        "assignments_assignment_commissioners",
        ["assignment_id", "user_id"],
        [(a, person(j, k * 7)) for a, j in rows for k in (1, 2)],
    )
    copy(
        "assignments_assignment_decision_makers",
        ["assignment_id", "user_id"],
        [(a, person(j, 7)) for a, j in rows],
    )
    copy(
        "assignments_milestone",
        ["assignment_id", "kind", "title", "period_label", "start", "due", "status"]
        + ["position", "responsible_id"],
        [
            (a, "other", f"Aktivitet {k + 1}", "")
            + (
                (today + dt.timedelta(days=k * 30 - 90 + a % 30)).isoformat(),
                (today + dt.timedelta(days=k * 30 - 60 + a % 30)).isoformat(),
                STATUSES[(a + k) % len(STATUSES)],
                k,
                person(j),
            )
            for a, j in rows
            for k in range(4)
        ],
    )
    copy(
        "assignments_workinggroupmember",
        ["assignment_id", "person_id", "role", "position", "is_active"],
        [(a, person(j, 13 * k + 1), "Deltagare", k, "t") for a, j in rows for k in range(3)],
    )
    copy(
        "assignments_auditentry",
        ["occurred_at", "actor_id", "assignment_id", "object_type", "object_id"]
        + ["object_repr", "action", "reason"],
        [
            (NOW, person(j), a, "assignments.Assignment", a, f"RS 2025-{a:07d}", action, "")
            for a, j in rows
            for action in ("process.started", "assignment.adopted", "milestone.status_changed")
        ],
    )
    # one process per assignment, with its open "work" task for the assignee
    first_process = base["first_process"] + start
    copy(
        "viewflow_process",
        ["id", "flow_class", "status", "created", "artifact_content_type_id"]
        + ["artifact_object_id", "data"],
        [
            (first_process + j, base["flow_class"], "NEW", NOW, assignment_ct, a, "{}")
            for a, j in rows
        ],
    )
    copy(
        "viewflow_task",
        ["flow_task", "flow_task_type", "status", "created", "token", "owner_id"]
        + ["process_id", "data"],
        [
            (f"{base['flow_class']}.work", "HUMAN", "ASSIGNED", NOW, "start", person(j))
            + (first_process + j, "{}")
            for a, j in rows
        ],
    )
    copy(
        "notifications_notification",
        ["level", "unread", "actor_content_type_id", "actor_object_id", "verb", "timestamp"]
        + ["public", "deleted", "emailed", "recipient_id", "data"],
        [
            ("info", "t" if a % 3 else "f", user_ct, person(j), f"Påminnelse {a}", NOW)
            + ("t", "f", "f", person(j), json.dumps({"url": f"/uppdrag/{a}/"}))
            for a, j in rows
        ],
    )
    with connection.cursor() as cursor:
        for table in [
            "assignments_user",
            "assignments_assignment",
            "assignments_milestone",
            "viewflow_process",
            "viewflow_task",
        ]:
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            cursor.execute(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))")
        # A settled database, as production's is after autovacuum: statistics and the
        # visibility map (which lets a count read only an index) are up to date.
        cursor.execute("VACUUM (ANALYZE)")


def measured(base: dict) -> dict:
    """The person whose start page is measured (the second generated one) and their first
    assignment in progress (the first generated one they are the assignee of)."""
    return {"person": base["first_user"] + 1, "assignment": base["first_assignment"] + 1}


def session_cookie(user_pk: int) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from assignments.models import User

    user = User.objects.get(pk=user_pk)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %d %.3f %.3f %d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, errors))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def open_like_a_browser(url: str, cookie: str, timeout: float = 30) -> str:
    """GET once, as a browser's first visit, and return the cookies it then sends: the
    session plus the CSRF cookie the page sets."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                assert response.status == 200, response.status
                for header in response.headers.get_all("Set-Cookie") or []:
                    name_value = header.split(";", 1)[0]
                    if name_value.startswith("csrftoken="):
                        return f"{cookie}; {name_value}"
                return cookie
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def load(url: str, cookie: str, script: Path) -> dict:
    output = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}s", "-s", str(script)]
        + ["-H", f"Cookie: {cookie}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) (\d+)", output)
    requests, duration_us, p50, p95, errors = match.groups()
    return {
        "requests": int(requests),
        "rps": int(requests) / (int(duration_us) / 1e6),
        "p50_ms": float(p50),
        "p95_ms": float(p95),
        "errors": int(errors),
    }


ROUNDS = 3


def start_server(database: str) -> tuple[subprocess.Popen, str]:
    """gunicorn (2 sync workers) on a free port, serving `database`."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2", "--no-control-socket"]
        + ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, **ENV, "DATABASE_URL": f"{PG}/{database}"},
    )
    return server, f"http://127.0.0.1:{port}"


def measure(pages, databases: dict[str, str]) -> dict[str, dict]:
    """Serve each database with its own gunicorn and load each address of each in turn,
    ROUNDS times interleaved (the same page at each size one after the other, so both meet
    the same load from the rest of the machine); each figure is the median round."""
    servers = {size: start_server(database) for size, database in databases.items()}
    rounds = {size: {label: [] for label, _path, _cookie in pages} for size in databases}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "report.lua"
            script.write_text(WRK_SCRIPT)
            cookies = {}
            for size, (_server, base) in servers.items():
                for label, path, cookie in pages:
                    cookies[size, label] = open_like_a_browser(base + path, cookie)
                    load(base + path, cookies[size, label], script)  # warm-up
            for _round in range(ROUNDS):
                for label, path, _cookie in pages:
                    for size, (_server, base) in servers.items():
                        result = load(base + path, cookies[size, label], script)
                        rounds[size][label].append(result)
    finally:
        for server, _base in servers.values():
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    results = {}
    for size, by_label in rounds.items():
        print(f"at {size} assignments:")
        results[size] = {}
        for label, runs in by_label.items():
            runs.sort(key=lambda r: r["rps"])
            results[size][label] = result = runs[len(runs) // 2]
            result["errors"] = sum(r["errors"] for r in runs)
            print(
                f"  {label:<30} p50 {result['p50_ms']:6.1f} ms  p95 {result['p95_ms']:6.1f} ms"
                f"  {result['rps']:7.1f} req/s  errors {result['errors']}"
            )
    return results


def copy_database(source: str, target: str) -> None:
    """`target` as a copy of `source` (PostgreSQL's CREATE DATABASE … TEMPLATE)."""
    import psycopg

    connection.close()  # a template database must have no other connection
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk")
        return 1
    from assignments.models import User

    small, full = f"{SMALL:,}", f"{ASSIGNMENTS:,}"
    if REUSE:
        saved = json.loads(SAVED.read_text())
        base, cookies = saved["base"], saved["cookies"]
        print(f"reusing the databases of the last run ({base})")
    else:
        started = time.perf_counter()
        base = seed()
        grow(base, 0, SMALL, 0, SMALL // PER_PERSON)
        ids = measured(base)
        registrar = User.objects.get(username="registrator").pk
        cookies = {"person": session_cookie(ids["person"]), "registrar": session_cookie(registrar)}
        SAVED.write_text(json.dumps({"base": base, "cookies": cookies}))
        copy_database(DB_NAME, SMALL_DB_NAME)
        print(f"{small} assignments built in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        people = (ASSIGNMENTS - SMALL) // PER_PERSON
        grow(base, SMALL, ASSIGNMENTS - SMALL, SMALL // PER_PERSON, people)
        print(f"a copy grown to {full} assignments in {time.perf_counter() - started:.0f} s")
    ids = measured(base)
    pages = [
        ("bare view (static page)", "/_bench/bare/", cookies["person"]),
        ("start page", "/", cookies["person"]),
        ("assignment page", f"/uppdrag/{ids['assignment']}/", cookies["person"]),
        ("portfolio (registrar, all)", "/portfolj/", cookies["registrar"]),
    ]
    print(f"wrk, {CONNECTIONS} connections, {DURATION} s x {ROUNDS} rounds, median round:")
    results = measure(pages, {small: SMALL_DB_NAME, full: DB_NAME})

    bare = results[full][pages[0][0]]["rps"]
    bars = []
    for label, _path, _cookie in pages[1:]:
        r, before = results[full][label], results[small][label]
        bars.append(
            (f"{label}: p95 {r['p95_ms']:.0f} ms < {P95_BAR_MS} ms", r["p95_ms"] < P95_BAR_MS)
        )
        share = r["rps"] / bare
        bars.append(
            (
                f"{label}: {share:.1%} of the bare view's throughput ≥ {THROUGHPUT_SHARE_BAR:.0%}",
                share >= THROUGHPUT_SHARE_BAR,
            )
        )
        growth = r["p95_ms"] / before["p95_ms"]
        bars.append(
            (
                f"{label}: p95 at {full} is {growth:.2f} × p95 at {small} ≤ {GROWTH_BAR}",
                growth <= GROWTH_BAR,
            )
        )
        bars.append((f"{label}: no errors", r["errors"] + before["errors"] == 0))
    print("bars:")
    for name, ok in bars:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(ok for _name, ok in bars) else 1


if __name__ == "__main__":
    sys.exit(main())
