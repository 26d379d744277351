"""Helpers the benchmarks share (not a benchmark: `make bench` skips files starting with _).

Each benchmark has two sizes run through the same code: the full size `make bench` measures,
and a smoke size (`--smoke`) that tests/test_bench.py runs in seconds, so that a change of
the schema or of the pages breaks a test, not a script nobody runs.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
import itertools
import json
import os
import secrets
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# The benchmarks run with DEBUG off, where the settings want a key; one of their own will do.
SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)
# Where a benchmark keeps what it writes (worker logs, the state for BENCH_REUSE).
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results"))
# Times are judged only on a machine this quiet (1-minute load average); over it, the bars
# of time are printed but not counted. Correctness bars always count.
QUIET_LOAD = 1.5


def recreate_database(name: str) -> None:
    """`name` anew, as a copy of a database the migrations of today's code have already been
    applied to (each benchmark's own `migrate` then finds nothing to do): migrating took some
    15 s a database, and the suite's four smoke runs each made one."""
    import psycopg

    template = migrated_template()
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


TEMPLATE_PREFIX = "uppdrag_bench_migrated_"


def migrated_template() -> str:
    """The name of a database migrated to the migrations (ours and the pinned libraries') of
    this checkout, made when there is none; one process makes it, the others wait for it."""
    import hashlib
    import subprocess
    import sys

    import psycopg

    digest = hashlib.sha256((ROOT / "requirements.lock").read_bytes())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    name = TEMPLATE_PREFIX + digest.hexdigest()[:12]
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", [TEMPLATE_PREFIX])
        try:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if found.fetchone() is None:
                stale = conn.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s",
                    [TEMPLATE_PREFIX + "%"],
                ).fetchall()
                for (old,) in stale:
                    conn.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
                building = name + "_building"
                conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{building}"')
                subprocess.run(  # noqa: S603 (this interpreter, our manage.py)
                    [sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"],
                    env={
                        **os.environ,
                        "DJANGO_SETTINGS_MODULE": "config.settings",
                        "DATABASE_URL": f"{PG}/{building}",
                        "SECRET_KEY": SECRET_KEY,
                        "DEBUG": "false",
                    },
                    cwd=ROOT,
                    check=True,
                )
                conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", [TEMPLATE_PREFIX])
    return name


def cheap_passwords() -> None:
    """From here on this process hashes passwords with MD5, as the suite does (tests/
    conftest.py). The settings' PBKDF2 costs 0.2 s a password, 3.5 s for the demo's people
    in a smoke that lasts seconds; no benchmark logs in with a password (the sessions are
    made with force_login), and a smoke's databases are dropped after it."""
    from django.test.utils import override_settings

    override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- COPY with the columns of the models ---------------------------------------------------------


def _copy_text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value)
    elif isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()
    elif isinstance(value, uuid.UUID):
        value = str(value)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def columns_of(model) -> list:
    """The model's columns that a row must or may fill: every concrete field (Django's model
    `_meta` API) except those the database fills itself (db_default)."""
    from django.db.models import NOT_PROVIDED

    return [f for f in model._meta.concrete_fields if f.db_default is NOT_PROVIDED]


def copy_rows(model, rows, now: dt.datetime | None = None) -> int:
    """COPY `rows` (dicts by column name: `assignee_id`, not `assignee`) into `model`'s table.
    A column a row leaves out gets the model's default (auto_now fields: `now`); a column
    with no default that may not be NULL (a field added since) is an error naming it. The
    columns come from the model, so a benchmark follows the schema."""
    from django.db import connection

    fields = columns_of(model)
    by_column = {f.attname: f for f in fields}
    now = now or dt.datetime.now(dt.UTC)
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    # the primary key: given by every row or by none (the sequence numbers them)
    fields = [f for f in fields if not f.primary_key or f.attname in first]
    buffer = io.StringIO()
    count = 0
    for row in itertools.chain([first], rows):
        unknown = set(row) - set(by_column)
        if unknown:
            raise KeyError(f"{model._meta.db_table} has no column {sorted(unknown)}")
        values = []
        for field in fields:
            if field.attname in row:
                value = row[field.attname]
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            else:
                value = field.get_default()
                if value is None and not field.null:
                    raise KeyError(
                        f"{model._meta.db_table}.{field.column} needs a value: the benchmark "
                        "gives none and the model has no default"
                    )
            values.append(_copy_text(value))
        buffer.write("\t".join(values) + "\n")
        count += 1
    buffer.seek(0)
    names = ", ".join(f'"{f.column}"' for f in fields)
    with (
        connection.cursor() as cursor,
        cursor.connection.cursor().copy(
            f'COPY "{model._meta.db_table}" ({names}) FROM STDIN'
        ) as pg_copy,
    ):
        pg_copy.write(buffer.read())
    return count


def reset_sequences(*models) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for model in models:
            table, pk = model._meta.db_table, model._meta.pk.column
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{pk}'), "
                f"(SELECT coalesce(max({pk}), 1) FROM {table}))"
            )


# -- the machine's load ---------------------------------------------------------------------------


def load_average() -> float:
    return os.getloadavg()[0]


def wait_for_quiet(seconds: float) -> float:
    """Wait up to `seconds` for the 1-minute load average to fall under QUIET_LOAD; the load
    then (printed)."""
    deadline = time.monotonic() + seconds
    load = load_average()
    if load >= QUIET_LOAD and seconds > 0:
        print(f"load average {load:.2f}: waiting up to {seconds:.0f} s for < {QUIET_LOAD}")
    while load >= QUIET_LOAD and time.monotonic() < deadline:
        time.sleep(5)
        load = load_average()
    print(f"load average {load:.2f} (1 min) at the start of the measurements")
    return load


class Bars:
    """Bars of correctness (always counted) and of time (counted only when the machine was
    quiet and the size is the full one); prints every bar and gives the exit code."""

    def __init__(self, *, judge_times: bool, why_not: str = ""):
        self.judge_times = judge_times
        self.why_not = why_not
        self.rows: list[tuple[str, bool, bool]] = []  # (name, ok, is a time)

    def check(self, name: str, ok: bool) -> None:
        self.rows.append((name, bool(ok), False))

    def time(self, name: str, ok: bool) -> None:
        self.rows.append((name, bool(ok), True))

    def report(self) -> int:
        print("bars:")
        for name, ok, is_time in self.rows:
            verdict = "PASS" if ok else "FAIL"
            note = f"  (not counted: {self.why_not})" if is_time and not self.judge_times else ""
            print(f"  {verdict}  {name}{note}")
        counted = [ok for _name, ok, is_time in self.rows if self.judge_times or not is_time]
        failed = counted.count(False)
        print(f"{len(self.rows)} bars, {failed} counted failed")
        return 1 if failed else 0
