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
   Each address is first checked to answer 200 with its own page (not the login page a
   session the settings no longer accept leads to), before and after the loads, and wrk
   counts every response that is not a 200.
3. Reports p50/p95 latency and requests/second of each, and checks the bars at full size:
   each page's p95 < 100 ms and throughput ≥ 10 % of the bare view's, and its p95 ≤ 1.5 ×
   its p95 at 1,000 assignments.

The rows are written with COPY in the columns of the models (bench/_common.py), so a new
column takes its default. Run with `make bench`; `--smoke` runs the same code on 300 and 600
assignments for 1 s a page, one gunicorn worker and one connection (tests/test_bench.py),
its static files collected into the same manifest without WhiteNoise's compressed copies,
which no page loads. Exits non-zero when a
bar of correctness is missed; bars of time count only with BENCH_STRICT=1 on a quiet machine
(bench/_common.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import (  # noqa: E402
    PG,
    RESULTS,
    SECRET_KEY,
    Bars,
    cheap_passwords,
    copy_rows,
    recreate_database,
    reset_sequences,
    wait_for_quiet,
)

DB_NAME = os.environ.get("BENCH_PAGES_DB", "uppdrag_bench_pages")
SMALL_DB_NAME = f"{DB_NAME}_small"  # a copy made before growing
# The full size (`make bench`) and the smoke size (tests/test_bench.py), through the same code.
SIZES = {
    "full": {
        "small": int(os.environ.get("BENCH_SMALL", "1000")),
        "assignments": int(os.environ.get("BENCH_ASSIGNMENTS", "100000")),
        "seconds": int(os.environ.get("BENCH_SECONDS", "10")),
        "rounds": 3,
        "warm_up": True,
        "workers": 2,  # gunicorn's sync workers per server
        "connections": 4,  # wrk's
    },
    # three people at each size: the smallest number with a working group of three others
    # (no warm-up round: nothing is judged by time at this size); one gunicorn worker per
    # server and one connection: each page is still every response of a second's load, on
    # two Django processes to start instead of four and a core instead of two
    "smoke": {
        "small": 300,
        "assignments": 600,
        "seconds": 1,
        "rounds": 1,
        "warm_up": False,
        "workers": 1,
        "connections": 1,
    },
}
PER_PERSON = 100  # assignments each generated person is the assignee of
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
# BENCH_REUSE=1 measures again on the databases a previous run built.
SAVED = RESULTS / "bench_pages.json"


def setup(reuse: bool, smoke: bool) -> None:
    """A new database (unless reused), Django set up on it, migrated, static files collected."""
    os.environ.update(ENV)
    if not reuse:
        recreate_database(DB_NAME)
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    django.setup()
    call_command("migrate", verbosity=0)
    storages = settings.STORAGES  # production storage, as deployed
    if smoke:
        # The same manifest of hashed names, which the servers' storage (the settings') reads to
        # name the pages' static files, without WhiteNoise's compressed copies of ~470 files
        # (4-8 s here): no page's static file is loaded.
        manifest = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        storages = {**storages, "staticfiles": {"BACKEND": manifest}}
    with override_settings(STORAGES=storages):
        call_command("collectstatic", "--noinput", verbosity=0)


STATES = ["in_progress"] * 5 + ["adopted", "delivered", "decided", "draft", "cancelled"]
STATUSES = ["done", "done", "in_progress", "planned", "at_risk", "planned"]
NOW = dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC)


def seed() -> dict:
    """The demo (seed 004, groups, people with real processes); where the generated rows
    start."""
    from django.core.management import call_command
    from django.db import connection
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
    times as many working groups, with an open viewflow task and a notification for each.
    Columns not named here take the models' defaults (bench/_common.py)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from notifications.models import Notification
    from viewflow.workflow.models import Process, Task

    from assignments.models import (
        Assignment,
        AuditEntry,
        Milestone,
        OrgUnit,
        User,
        WorkingGroupMember,
    )

    assignment_ct = ContentType.objects.get_for_model(Assignment).pk
    user_ct = ContentType.objects.get_for_model(User).pk
    issuing_unit = OrgUnit.objects.order_by("pk").first().pk
    today = dt.date.today()
    users = range(base["first_user"] + first_person, base["first_user"] + first_person + people)
    copy_rows(
        User,
        (
            {
                "id": u,
                "password": "!",
                "username": f"bench{u}",
                "first_name": "Person",
                "last_name": str(u),
                "email": f"b{u}@example.org",
                "date_joined": NOW,
                "title": "Handläggare",
            }
            for u in users
        ),
    )

    def person(j: int, offset: int = 0) -> int:
        return users[(j + offset) % people]

    rows = [(base["first_assignment"] + start + j, j) for j in range(count)]
    copy_rows(
        Assignment,
        (
            {
                "id": a,
                "registration_number": f"RS 2025-{a:07d}",
                "document_date": dt.date(2025, 1, 10),
                "issuing_unit_id": issuing_unit,
                "title": f"Uppdrag {a} om verksamhetsutveckling",
                "description": "Beskrivning av uppdraget. " * 20,
                "purpose": "Syfte.",
                "communication": "Kommunikation.",
                "schedule_note": "Tidplan.",
                "costs_and_financing": "Inom ordinarie verksamhet.",
                "decision_form": "Beslut av uppdragsgivarna.",
                "delivery_due": today + dt.timedelta(days=(a % 400) - 100),
                "assignee_id": person(j),
                "state": STATES[(j // people) % len(STATES)],
                "created_at": NOW,
                "updated_at": NOW,
            }
            for a, j in rows
        ),
    )
    copy_rows(
        Assignment.commissioners.through,
        ({"assignment_id": a, "user_id": person(j, k * 7)} for a, j in rows for k in (1, 2)),
    )
    copy_rows(
        Assignment.decision_makers.through,
        ({"assignment_id": a, "user_id": person(j, 7)} for a, j in rows),
    )
    copy_rows(
        Milestone,
        (
            {
                "assignment_id": a,
                "kind": "other",
                "title": f"Aktivitet {k + 1}",
                "start": today + dt.timedelta(days=k * 30 - 90 + a % 30),
                "due": today + dt.timedelta(days=k * 30 - 60 + a % 30),
                "status": STATUSES[(a + k) % len(STATUSES)],
                "position": k,
                "responsible_id": person(j),
            }
            for a, j in rows
            for k in range(4)
        ),
    )
    copy_rows(
        WorkingGroupMember,
        (
            {"assignment_id": a, "person_id": person(j, 13 * k + 1), "role": "Deltagare"}
            | {"position": k}
            for a, j in rows
            for k in range(3)
        ),
    )
    copy_rows(
        AuditEntry,
        (
            {
                "occurred_at": NOW,
                "actor_id": person(j),
                "assignment_id": a,
                "object_type": "assignments.Assignment",
                "object_id": a,
                "object_repr": f"RS 2025-{a:07d}",
                "action": action,
                # unique, as the chain's are; the pages never verify the chain
                "entry_hash": hashlib.sha256(f"bench {a} {action}".encode()).hexdigest(),
            }
            for a, j in rows
            for action in ("process.started", "assignment.adopted", "milestone.status_changed")
        ),
    )
    # one process per assignment, with its open "work" task for the assignee
    first_process = base["first_process"] + start
    copy_rows(
        Process,
        (
            {
                "id": first_process + j,
                "flow_class": base["flow_class"],
                "status": "NEW",
                "created": NOW,
                "artifact_content_type_id": assignment_ct,
                "artifact_object_id": a,
            }
            for a, j in rows
        ),
    )
    copy_rows(
        Task,
        (
            {
                "flow_task": f"{base['flow_class']}.work",
                "flow_task_type": "HUMAN",
                "status": "ASSIGNED",
                "created": NOW,
                "token": "start",
                "owner_id": person(j),
                "process_id": first_process + j,
            }
            for a, j in rows
        ),
    )
    copy_rows(
        Notification,
        (
            {
                "level": "info",
                "unread": bool(a % 3),
                "actor_content_type_id": user_ct,
                "actor_object_id": person(j),
                "verb": f"Påminnelse {a}",
                "timestamp": NOW,
                "recipient_id": person(j),
                "data": {"url": f"/uppdrag/{a}/"},
            }
            for a, j in rows
        ),
    )
    reset_sequences(User, Assignment, Milestone, Process, Task)
    with connection.cursor() as cursor:
        # A settled database, as production's is after autovacuum: statistics and the
        # visibility map (which lets a count read only an index) are up to date.
        cursor.execute("VACUUM (ANALYZE)")


def measured(base: dict) -> dict:
    """The person whose start page is measured (the second generated one) and their first
    assignment in progress (the first generated one they are the assignee of)."""
    return {"person": base["first_user"] + 1, "assignment": base["first_assignment"] + 1}


def session_cookie(user_pk: int) -> str:
    """A session of `user_pk` as Django's test client logs a person in (`force_login`: the
    first configured authentication backend that can load a user), so the session names a
    backend the settings have."""
    from django.conf import settings
    from django.test import Client

    from assignments.models import User

    client = Client()
    client.force_login(User.objects.get(pk=user_pk))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


# The Lua script wrk runs: besides the latencies, the responses that were not 200 (a 302 to
# the login page is no error to wrk, but it is not the page).
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0 end
function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  for _, thread in ipairs(threads) do errors = errors + thread:get("not_ok") end
  io.write(string.format("RESULT %d %d %.3f %.3f %d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, errors))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer of its own, not followed


OPENER = urllib.request.build_opener(NoRedirect)


def get(url: str, cookie: str) -> tuple[int, str, list[str]]:
    """One GET, redirects not followed: status, body, Set-Cookie headers."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    try:
        with OPENER.open(request, timeout=30) as response:
            body = response.read().decode("utf-8", "replace")
            return response.status, body, response.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError as error:  # 3xx and 4xx/5xx
        return error.code, "", []


def the_page(url: str, cookie: str, markers: list[str]) -> str:
    """What is wrong with the answer at `url` (empty when it is the page): a 200 that holds
    every marker of the page and is not the login form."""
    status, body, _cookies = get(url, cookie)
    if status != 200:
        return f"{url}: {status}, not the page"
    if 'name="password"' in body:
        return f"{url}: the login page, not the page"
    missing = [marker for marker in markers if marker not in body]
    return f"{url}: the page lacks {missing}" if missing else ""


def open_like_a_browser(url: str, cookie: str, timeout: float = 60) -> str:
    """GET once, as a browser's first visit (waiting for the server to answer), and return
    the cookies it then sends: the session plus the CSRF cookie the page sets."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            _status, _body, set_cookies = get(url, cookie)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
    for header in set_cookies:
        name_value = header.split(";", 1)[0]
        if name_value.startswith("csrftoken="):
            return f"{cookie}; {name_value}"
    return cookie


def load(url: str, cookie: str, script: Path, size: dict) -> dict:
    output = subprocess.run(
        ["wrk", "-t1", f"-c{size['connections']}", f"-d{size['seconds']}s", "-s", str(script)]
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


def start_server(database: str, workers: int) -> tuple[subprocess.Popen, str]:
    """gunicorn (`workers` sync workers) on a free port, serving `database`."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(workers)]
        + ["--no-control-socket"]
        + ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, **ENV, "DATABASE_URL": f"{PG}/{database}"},
    )
    return server, f"http://127.0.0.1:{port}"


def measure(pages, databases: dict[str, str], size: dict) -> tuple[dict, list[str]]:
    """Serve each database with its own gunicorn and load each address of each in turn,
    `rounds` times interleaved (the same page at each size one after the other, so both meet
    the same load from the rest of the machine); each figure is the median round. Before and
    after the loads each address is checked to answer with its page; what was wrong is
    returned beside the figures."""
    servers = {
        label: start_server(database, size["workers"]) for label, database in databases.items()
    }
    rounds = {label: {page: [] for page, *_rest in pages} for label in databases}
    wrong: list[str] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "report.lua"
            script.write_text(WRK_SCRIPT)
            cookies = {}
            for label, (_server, base) in servers.items():
                for page, path, cookie, markers in pages:
                    cookies[label, page] = open_like_a_browser(base + path, cookie)
                    wrong += filter(None, [the_page(base + path, cookies[label, page], markers)])
                    if size["warm_up"]:
                        load(base + path, cookies[label, page], script, size)
            for _round in range(size["rounds"]):
                for page, path, _cookie, _markers in pages:
                    for label, (_server, base) in servers.items():
                        result = load(base + path, cookies[label, page], script, size)
                        rounds[label][page].append(result)
            for label, (_server, base) in servers.items():
                for page, path, _cookie, markers in pages:
                    wrong += filter(None, [the_page(base + path, cookies[label, page], markers)])
    finally:
        for server, _base in servers.values():
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    results = {}
    for label, by_page in rounds.items():
        print(f"at {label} assignments:")
        results[label] = {}
        for page, runs in by_page.items():
            runs.sort(key=lambda r: r["rps"])
            results[label][page] = result = runs[len(runs) // 2]
            result["errors"] = sum(r["errors"] for r in runs)
            print(
                f"  {page:<30} p50 {result['p50_ms']:6.1f} ms  p95 {result['p95_ms']:6.1f} ms"
                f"  {result['rps']:7.1f} req/s  errors {result['errors']}"
            )
    return results, wrong


def copy_database(source: str, target: str) -> None:
    """`target` as a copy of `source` (PostgreSQL's CREATE DATABASE … TEMPLATE)."""
    import psycopg
    from django.db import connection

    connection.close()  # a template database must have no other connection
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="the smoke size (seconds)")
    parser.add_argument("--wait", type=float, default=float(os.environ.get("BENCH_WAIT", 300)))
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk (.ci/setup installs it)")
        return 1
    size = SIZES["smoke" if args.smoke else "full"]
    reuse = not args.smoke and os.environ.get("BENCH_REUSE") == "1" and SAVED.exists()
    setup(reuse, args.smoke)
    if args.smoke:
        cheap_passwords()
    import json

    from assignments.models import User

    small, full = f"{size['small']:,}", f"{size['assignments']:,}"
    if reuse:
        saved = json.loads(SAVED.read_text())
        base, cookies = saved["base"], saved["cookies"]
        print(f"reusing the databases of the last run ({base})")
    else:
        started = time.perf_counter()
        base = seed()
        grow(base, 0, size["small"], 0, size["small"] // PER_PERSON)
        # the sessions before the copy: both sizes have them
        cookies = {
            "person": session_cookie(measured(base)["person"]),
            "registrar": session_cookie(User.objects.get(username="registrator").pk),
        }
        copy_database(DB_NAME, SMALL_DB_NAME)
        print(f"{small} assignments built in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        people = (size["assignments"] - size["small"]) // PER_PERSON
        grow(
            base,
            size["small"],
            size["assignments"] - size["small"],
            size["small"] // PER_PERSON,
            people,
        )
        print(f"a copy grown to {full} assignments in {time.perf_counter() - started:.0f} s")
        if not args.smoke:
            RESULTS.mkdir(parents=True, exist_ok=True)
            SAVED.write_text(json.dumps({"base": base, "cookies": cookies}))
    ids = measured(base)
    person = User.objects.get(pk=ids["person"])
    number = f"RS 2025-{ids['assignment']:07d}"
    pages = [  # label, address, session, what only the page itself holds
        ("bare view (static page)", "/_bench/bare/", cookies["person"], ["En statisk sida"]),
        ("start page", "/", cookies["person"], ['id="start-page"', person.get_full_name()]),
        ("assignment page", f"/uppdrag/{ids['assignment']}/", cookies["person"], [number]),
        ("portfolio (registrar, all)", "/portfolj/", cookies["registrar"], ['id="portfolio"']),
    ]
    quiet = wait_for_quiet(0 if args.smoke else args.wait)
    print(
        f"wrk, {size['connections']} connections to {size['workers']} gunicorn workers, "
        f"{size['seconds']} s x {size['rounds']} rounds, "
        "median round:"
    )
    results, wrong = measure(pages, {small: SMALL_DB_NAME, full: DB_NAME}, size)
    load_after = os.getloadavg()[0]
    print(f"load average {load_after:.2f} (1 min) at the end")

    strict = os.environ.get("BENCH_STRICT") == "1"
    if args.smoke:
        why_not = "the smoke size"
    elif max(quiet, load_after) >= 1.5:
        why_not = f"load average {max(quiet, load_after):.1f} ≥ 1.5"
    else:
        why_not = "" if strict else "BENCH_STRICT=1 counts them"
    bars = Bars(judge_times=not why_not, why_not=why_not)
    for problem in wrong:
        print(f"  not the page: {problem}")
    bars.check("every address answered 200 with its own page (not the login page)", not wrong)
    for label, *_rest in pages:
        errors = results[full][label]["errors"] + results[small][label]["errors"]
        bars.check(f"{label}: every response 200, at both sizes", errors == 0)
    bare = results[full][pages[0][0]]["rps"]
    for label, *_rest in pages[1:]:
        r, before = results[full][label], results[small][label]
        bars.time(f"{label}: p95 {r['p95_ms']:.0f} ms < {P95_BAR_MS} ms", r["p95_ms"] < P95_BAR_MS)
        share = r["rps"] / bare
        bars.time(
            f"{label}: {share:.1%} of the bare view's throughput ≥ {THROUGHPUT_SHARE_BAR:.0%}",
            share >= THROUGHPUT_SHARE_BAR,
        )
        growth = r["p95_ms"] / before["p95_ms"]
        bars.time(
            f"{label}: p95 at {full} is {growth:.2f} × p95 at {small} ≤ {GROWTH_BAR}",
            growth <= GROWTH_BAR,
        )
    return bars.report()


if __name__ == "__main__":
    sys.exit(main())
