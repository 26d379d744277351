"""The lifecycle's state machine (tests/workflow/lifecycle_machine.py, issue 25) at length:
at least 5,000 examples of random acts by every role, each checked against the invariants
after every step, against PostgreSQL. Prints the examples run (counted by the machine itself,
not taken from the settings), the acts done by kind, and the violations: each run of
Hypothesis that found one counts once, with its shrunk steps printed. Exits non-zero unless
0 violations in >= 5,000 examples.

`BENCH_EXAMPLES` changes the number (default 5,000); `BENCH_STEPS` the most acts an example
takes after its first assignment (default 12, the suite's 200 examples take at most 8; each
act is checked, so an example's cost grows with it); `BENCH_JOBS` runs that many processes
(default 2, one a core), each on its own database (`BENCH_DB`_<n>, default
uppdrag_bench_property_<n>, made anew) with its share of the examples; their counts add up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import PG, SECRET_KEY, recreate_database  # noqa: E402

EXAMPLES = int(os.environ.get("BENCH_EXAMPLES", "5000"))
JOBS = int(os.environ.get("BENCH_JOBS", "2"))
WORKER = os.environ.get("BENCH_WORKER")  # set in the processes the benchmark starts
STEPS = int(os.environ.get("BENCH_STEPS", "12"))
CHUNK = 50  # examples per run of Hypothesis: a violation ends a run, not the benchmark


def run_workers() -> int:
    """Start the workers, each with its share, and add up the counts they leave."""
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="property-lifecycle-"))
    results = [folder / f"worker-{n}.json" for n in range(JOBS)]
    workers = [
        subprocess.Popen(
            [sys.executable, __file__],
            env={
                **os.environ,
                "BENCH_WORKER": str(n),
                "BENCH_EXAMPLES": str(-(-EXAMPLES // JOBS)),
                "BENCH_RESULT": str(results[n]),
            },
        )
        for n in range(JOBS)
    ]
    ok = all([worker.wait() == 0 for worker in workers])
    totals = {"examples": 0, "acts": 0, "violations": 0}
    for result in results:
        if result.exists():
            counts = json.loads(result.read_text())
            result.unlink()
            for name in totals:
                totals[name] += counts[name]
        else:
            ok = False
    folder.rmdir()
    seconds = time.monotonic() - started
    print(f"examples run: {totals['examples']} ({JOBS} processes, at most {STEPS} acts each)")
    print(f"acts: {totals['acts']}")
    print(f"violations: {totals['violations']}")
    print(f"time: {seconds:.0f} s")
    ok = ok and totals["violations"] == 0 and totals["examples"] >= EXAMPLES
    print(f"{'PASS' if ok else 'FAIL'}: 0 violations in >= {EXAMPLES} examples")
    return 0 if ok else 1


if WORKER is None:
    sys.exit(run_workers())

DB_NAME = f"{os.environ.get('BENCH_DB', 'uppdrag_bench_property')}_{WORKER}"

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "CELERY_BROKER_URL": os.environ.get("BENCH_BROKER", "redis://127.0.0.1:6379/15"),
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "LOG_LEVEL": "WARNING",
        "SECURE_SSL_REDIRECT": "false",  # the test client speaks http
    }
)
recreate_database(DB_NAME)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402

call_command("migrate", verbosity=0)
setup_test_environment()  # the test client's host, e-mail kept in memory
# as the suite has them (tests/conftest.py): pages served without collectstatic, a private
# cache (through override_settings, which tells the storages and caches to load anew)
override_settings(
    STORAGES={
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
).enable()

from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from hypothesis.stateful import run_state_machine_as_test  # noqa: E402

from tests.workflow.lifecycle_machine import LifecycleMachine  # noqa: E402


def main() -> int:
    runs = hypothesis_settings(
        max_examples=CHUNK,
        stateful_step_count=STEPS,
        deadline=None,
        database=None,  # every run explores anew
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        print_blob=True,
    )
    violations = 0
    started = time.monotonic()
    while LifecycleMachine.examples < EXAMPLES:
        try:
            run_state_machine_as_test(LifecycleMachine, settings=runs)
        except Exception:  # noqa: BLE001 - a violation, reported and counted
            violations += 1
            print(f"-- worker {WORKER}, violation {violations}:")
            traceback.print_exc(limit=0, file=sys.stdout)
        print(
            f"   worker {WORKER}: {LifecycleMachine.examples} examples, "
            f"{LifecycleMachine.steps} acts, {time.monotonic() - started:.0f} s",
            flush=True,
        )
    seconds = time.monotonic() - started
    Path(os.environ["BENCH_RESULT"]).write_text(
        json.dumps(
            {
                "examples": LifecycleMachine.examples,
                "acts": LifecycleMachine.steps,
                "violations": violations,
            }
        )
    )
    print(f"worker {WORKER}, examples run: {LifecycleMachine.examples}")
    print(f"acts: {LifecycleMachine.steps} ({sum(LifecycleMachine.done.values())} done)")
    print(
        "acts done by kind: "
        + ", ".join(f"{k} {n}" for k, n in sorted(LifecycleMachine.done.items()))
    )
    print(f"violations: {violations}")
    print(f"time: {seconds:.0f} s ({seconds / max(1, LifecycleMachine.examples):.2f} s an example)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
