"""The benchmarks at their smoke size: the same code as `make bench`, on a few hundred rows, so
that a change of the schema or of the pages breaks here and not in a script nobody runs. Each
builds PostgreSQL databases of its own (named after this worker's Redis database, which is
this run's own on the machine) and drops them after; the soak starts a PostgreSQL and a Redis
of its own and stops them. All are in the slow lane (they start processes: the script, its
gunicorn or Celery workers, wrk)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.environment import REDIS_DB, REDIS_URL

ROOT = Path(__file__).resolve().parent.parent
NAME = f"uppdrag_bench_test{REDIS_DB}"
# The benchmarks' PostgreSQL (bench/_common.py), whatever database the suite runs on:
# .ci/setup starts it for `make test` as for `make bench`.
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def drop_databases() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        for name in (NAME, f"{NAME}_pages", f"{NAME}_pages_small", f"{NAME}_imports"):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def smoke(script: str, tmp_path, **env) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--smoke"],
        env={**os.environ, "BENCH_RESULTS": str(tmp_path), "BENCH_CACHE": REDIS_URL, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    drop_databases()
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return result.stdout


def test_the_reminder_sweep_benchmark_runs_at_its_smoke_size(tmp_path):
    out = smoke("reminders_sweep.py", tmp_path, BENCH_DB=NAME, BENCH_BROKER=REDIS_URL)
    assert "PASS  e-mail burst: all 50 delivered and marked sent, 0 duplicates" in out
    assert "PASS  bundled burst: 10 mails delivered, all 50 reminders marked sent" in out
    assert "0 counted failed" in out


@pytest.mark.long
def test_the_pages_benchmark_measures_the_pages_at_its_smoke_size(tmp_path):
    out = smoke("pages.py", tmp_path, BENCH_PAGES_DB=f"{NAME}_pages")
    assert "PASS  every address answered 200 with its own page (not the login page)" in out
    for page in ("bare view", "start page", "assignment page", "portfolio"):
        assert any(
            line.startswith(f"  PASS  {page}") and "every response 200" in line
            for line in out.splitlines()
        ), page
    assert "0 counted failed" in out


@pytest.mark.long
def test_the_import_limits_benchmark_stops_crafted_files_at_its_smoke_size(tmp_path):
    out = smoke("import_limits.py", tmp_path, BENCH_DB=f"{NAME}_imports", BENCH_BROKER=REDIS_URL)
    # each at the limit it meets at full size too: the PDF at the memory limit (the smoke's is
    # 64 MB), the Word file at its unpacked size
    for name, code in (("kostsam.pdf", "memory"), ("uppblast.docx", "unpacked")):
        assert f"PASS  {name}: stopped at a limit with its message, shown with a 400" in out
        assert any(
            line.startswith(f"{name} (")
            and "upload answered in" in line
            and f"'code': '{code}'" in line
            for line in out.splitlines()
        ), name
    assert "PASS  the worker read a normal uppdragshandling afterwards" in out
    assert "0 counted failed" in out


def test_the_replies_benchmark_runs_at_its_smoke_size(tmp_path):
    out = smoke("replies.py", tmp_path, BENCH_DB=NAME)
    assert "PASS  replies: all 50 handled once, 0 lost, 0 doubled" in out
    assert "PASS  answers: 50 of 50 sent, 0 doubled" in out
    assert "time per reply:" in out


@pytest.mark.long
def test_the_soak_delivers_every_reminder_through_a_worker_kill_and_a_redis_restart(tmp_path):
    out = smoke("soak.py", tmp_path)
    assert "PASS  every reminder delivered and marked sent (100 of 100)" in out
    assert "PASS  duplicates only with the same Message-ID" in out
    assert "PASS  /healthz 503 within 1 min of 'Redis restart'" in out
    assert "SIGKILL worker 0" in out
    assert "0 counted failed" in out
    assert (tmp_path / "soak-smoke.png").stat().st_size > 0
