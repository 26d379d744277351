"""The lifecycle's state machine (tests/workflow/lifecycle_machine.py, issue 25) at length:
at least 5,000 examples of random acts by every role, each checked against the invariants
after every step, against PostgreSQL. Prints the examples run (counted by the machine itself,
not taken from the settings), the acts done by kind, and the violations: each run of
Hypothesis that found one counts once, with its shrunk steps printed. Exits non-zero unless
0 violations in >= 5,000 examples.

`BENCH_EXAMPLES` changes the number (default 5,000), `BENCH_DB` the database
(default uppdrag_bench_property, made anew).
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import PG, SECRET_KEY, recreate_database  # noqa: E402

DB_NAME = os.environ.get("BENCH_DB", "uppdrag_bench_property")
EXAMPLES = int(os.environ.get("BENCH_EXAMPLES", "5000"))
CHUNK = 500  # examples per run of Hypothesis: a violation ends a run, not the benchmark

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
from django.test.utils import setup_test_environment  # noqa: E402

call_command("migrate", verbosity=0)
setup_test_environment()  # the test client's host, e-mail kept in memory
# as the suite has them (tests/conftest.py): pages served without collectstatic, a private cache
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from hypothesis.stateful import run_state_machine_as_test  # noqa: E402

from tests.workflow.lifecycle_machine import LifecycleMachine  # noqa: E402


def main() -> int:
    runs = hypothesis_settings(
        max_examples=CHUNK,
        stateful_step_count=25,
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
            print(f"-- violation {violations}:")
            traceback.print_exc(limit=0)
        print(
            f"   {LifecycleMachine.examples} examples, {LifecycleMachine.steps} acts, "
            f"{time.monotonic() - started:.0f} s",
            flush=True,
        )
    seconds = time.monotonic() - started
    print(f"examples run: {LifecycleMachine.examples}")
    print(f"acts: {LifecycleMachine.steps} ({sum(LifecycleMachine.done.values())} done)")
    print(
        "acts done by kind: "
        + ", ".join(f"{k} {n}" for k, n in sorted(LifecycleMachine.done.items()))
    )
    print(f"violations: {violations}")
    print(f"time: {seconds:.0f} s ({seconds / LifecycleMachine.examples * 1000:.0f} ms an example)")
    ok = violations == 0 and LifecycleMachine.examples >= EXAMPLES
    print(f"{'PASS' if ok else 'FAIL'}: 0 violations in >= {EXAMPLES} examples")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
