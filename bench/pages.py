"""Benchmark of the everyday pages (issue 5), against PostgreSQL on this machine.

1. Builds a database `uppdrag_bench_pages` with 100,000 assignments (400,000 milestones,
   200,000 commissioner and 300,000 working-group rows, 100,000 open viewflow tasks, audit
   entries and notifications) with COPY.
2. Serves it with gunicorn (2 sync workers, DEBUG off) and loads four addresses in turn with
   Debian's `wrk` over loopback, logged in: the start page of an assignee with 100
   assignments, one assignment page, the registrar's portfolio, and a bare Django view that
   renders a static page through the same middleware.
3. Reports p50/p95 latency and requests/second of each, and checks the bars: p95 < 150 ms for
   each page, and each page's throughput ≥ 40 % of the bare view's.

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
ASSIGNMENTS = int(os.environ.get("BENCH_ASSIGNMENTS", "100000"))
USERS = 1000
DURATION = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = 4
P95_BAR_MS = 150
THROUGHPUT_SHARE_BAR = 0.40


ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DATABASE_URL": f"{PG}/{DB_NAME}",
    "DEBUG": "false",
    "SECRET_KEY": SECRET_KEY,
    "SECURE_SSL_REDIRECT": "false",  # gunicorn on loopback speaks plain http, as wrk does
    "LOG_LEVEL": "WARNING",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "ROOT_URLCONF": "bench._urls",
    "CACHE_URL": os.environ.get("BENCH_CACHE", "redis://127.0.0.1:6379/14"),
}
os.environ.update(ENV)
# BENCH_REUSE=1 measures again on the database a previous run built (same size).
REUSE = os.environ.get("BENCH_REUSE") == "1" and (ROOT / "var" / "bench_pages.json").exists()
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


def seed() -> dict:
    """The demo (seed 004, groups, people with real processes) plus 100,000 generated
    assignments owned by 1,000 generated people."""
    from viewflow.workflow.models import Process

    from assignments.models import Assignment, User

    call_command("load_demo", verbosity=0)
    with connection.cursor() as cursor:  # the stored form, not the resolved flow class
        cursor.execute("SELECT flow_class FROM viewflow_process LIMIT 1")
        flow_class = cursor.fetchone()[0]
    assignment_ct = ContentType.objects.get_for_model(Assignment).pk
    user_ct = ContentType.objects.get_for_model(User).pk
    first_user = User.objects.order_by("-pk").first().pk + 1
    first_a = Assignment.objects.order_by("-pk").first().pk + 1
    users = range(first_user, first_user + USERS)
    today = dt.date.today()
    now = "2026-01-01 08:00:00+00"

    copy(
        "assignments_user",
        ["id", "password", "is_superuser", "username", "first_name", "last_name", "email"]
        + ["is_staff", "is_active", "date_joined", "title", "language", "wants_digest"],
        [
            (u, "!", "f", f"bench{u}", "Person", str(u), f"b{u}@example.org", "f", "t", now)
            + ("Handläggare", "", "t")
            for u in users
        ],
    )

    def assignee(a):
        return first_user + (a % USERS)

    ids = range(first_a, first_a + ASSIGNMENTS)
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
            + (assignee(a), STATES[a % len(STATES)], "f", now, now)
            for a in ids
        ],
    )
    copy(
        "assignments_assignment_commissioners",
        ["assignment_id", "user_id"],
        [(a, first_user + ((a + k * 7) % USERS)) for a in ids for k in (1, 2)],
    )
    copy(
        "assignments_assignment_decision_makers",
        ["assignment_id", "user_id"],
        [(a, first_user + ((a + 7) % USERS)) for a in ids],
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
                assignee(a),
            )
            for a in ids
            for k in range(4)
        ],
    )
    copy(
        "assignments_workinggroupmember",
        ["assignment_id", "person_id", "role", "position", "is_active"],
        [
            (a, first_user + ((a + 13 * k + 1) % USERS), "Deltagare", k, "t")
            for a in ids
            for k in range(3)
        ],
    )
    copy(
        "assignments_auditentry",
        ["occurred_at", "actor_id", "assignment_id", "object_type", "object_id"]
        + ["object_repr", "action", "reason"],
        [
            (now, assignee(a), a, "assignments.Assignment", a, f"RS 2025-{a:07d}", action, "")
            for a in ids
            for action in ("process.started", "assignment.adopted", "milestone.status_changed")
        ],
    )
    # one process per assignment, with its open "work" task for the assignee
    first_process = Process.objects.order_by("-pk").first().pk + 1
    copy(
        "viewflow_process",
        ["id", "flow_class", "status", "created", "artifact_content_type_id"]
        + ["artifact_object_id", "data"],
        [
            (first_process + i, flow_class, "NEW", now, assignment_ct, a, "{}")
            for i, a in enumerate(ids)
        ],
    )
    copy(
        "viewflow_task",
        ["flow_task", "flow_task_type", "status", "created", "token", "owner_id"]
        + ["process_id", "data"],
        [
            (f"{flow_class}.work", "HUMAN", "ASSIGNED", now, "start", assignee(a))
            + (first_process + i, "{}")
            for i, a in enumerate(ids)
        ],
    )
    copy(
        "notifications_notification",
        ["level", "unread", "actor_content_type_id", "actor_object_id", "verb", "timestamp"]
        + ["public", "deleted", "emailed", "recipient_id", "data"],
        [
            ("info", "t" if a % 3 else "f", user_ct, assignee(a), f"Påminnelse {a}", now)
            + ("t", "f", "f", assignee(a), json.dumps({"url": f"/uppdrag/{a}/"}))
            for a in ids
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
        cursor.execute("ANALYZE")
    return {"person": assignee(first_a + 1), "assignment": first_a + 1}


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


def measure(pages, extra_env: dict, label_suffix: str = "") -> dict:
    """Serve with gunicorn (2 workers) and load each address in turn, ROUNDS times
    interleaved; each figure is the median round."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2"]
        + ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, **ENV, **extra_env},
    )
    rounds = {label: [] for label, _path, _cookie in pages}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "report.lua"
            script.write_text(WRK_SCRIPT)
            cookies = {}
            for label, path, cookie in pages:
                cookies[label] = open_like_a_browser(base + path, cookie)
                load(base + path, cookies[label], script)  # warm-up: caches, connections
            for _round in range(ROUNDS):
                for label, path, _cookie in pages:
                    rounds[label].append(load(base + path, cookies[label], script))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    results = {}
    for label, runs in rounds.items():
        runs.sort(key=lambda r: r["rps"])
        results[label] = result = runs[len(runs) // 2]
        result["errors"] = sum(r["errors"] for r in runs)
        print(
            f"  {label + label_suffix:<40} p50 {result['p50_ms']:6.1f} ms"
            f"  p95 {result['p95_ms']:6.1f} ms  {result['rps']:7.1f} req/s"
            f"  errors {result['errors']}"
        )
    return results


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk")
        return 1
    started = time.perf_counter()
    saved = ROOT / "var" / "bench_pages.json"
    if REUSE:
        ids = json.loads(saved.read_text())
        print(f"reusing the database of the last run ({ids})")
    else:
        ids = seed()
        saved.write_text(json.dumps(ids))
        print(f"{ASSIGNMENTS:,} assignments built in {time.perf_counter() - started:.0f} s")
    from assignments.models import User

    registrar = User.objects.get(username="registrator").pk
    person_cookie = session_cookie(ids["person"])
    registrar_cookie = session_cookie(registrar)
    pages = [
        ("bare view (static page)", "/_bench/bare/", person_cookie),
        ("start page (100 assignments)", "/", person_cookie),
        ("assignment page", f"/uppdrag/{ids['assignment']}/", person_cookie),
        ("portfolio (registrar, all)", "/portfolj/", registrar_cookie),
    ]
    print(f"wrk, {CONNECTIONS} connections, {DURATION} s x {ROUNDS} rounds, median round:")
    results = measure(pages, {})
    print("the same pages rendered every time (page cache off), for information, no bar:")
    measure(pages, {"PAGE_CACHE_SECONDS": "0"}, " [no cache]")

    bare = results[pages[0][0]]["rps"]
    bars = []
    for label, _path, _cookie in pages[1:]:
        r = results[label]
        bars.append((f"{label}: p95 {r['p95_ms']:.0f} ms < {P95_BAR_MS} ms", r["p95_ms"] < 150))
        share = r["rps"] / bare
        bars.append((f"{label}: {share:.0%} of the bare view's throughput ≥ 40 %", share >= 0.40))
        bars.append((f"{label}: no errors", r["errors"] == 0))
    print("bars:")
    for name, ok in bars:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(ok for _name, ok in bars) else 1


if __name__ == "__main__":
    sys.exit(main())
