"""Settings are read once per process: to see what an environment variable makes of them, a
test asks a fresh Python process with that environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def evaluated_under(
    env: dict[str, str], expression: str, imports: str = "", *, base: dict | None = None
) -> str:
    """What `expression` prints after django.setup() in a process with `env` added to `base`
    (this process's environment unless given)."""
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {imports}; print({expression})"],
        env={**(os.environ if base is None else base), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def production_environ(**env: str) -> dict[str, str]:
    """What a server starts with: none of the test suite's variables (tests/environment.py, the
    browser tests' DJANGO_ALLOW_ASYNC_UNSAFE), only `env` and what any process needs."""
    kept = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return {**kept, "DJANGO_SETTINGS_MODULE": "config.settings", **env}


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """`manage.py *args` in a fresh process with exactly the environment `env`."""
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
