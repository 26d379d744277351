"""The environment the test suite runs in: a pytest plugin (`-p tests.environment` in
pyproject.toml), imported before pytest-django loads the settings, so that the settings and
every process a test starts (a Celery worker, a settings probe) read the same variables.

- SECRET_KEY: generated for this run unless one is set. The suite runs with DEBUG off, where
  the settings refuse to load without a key, and no key is committed.
- PLAIN_HTTP: Django's test client and live server speak http, so no redirect to https.
  Production keeps it; tests/test_settings.py checks that in a process without this override.
  Secure-only cookies stay on: the test client sends them anyway, and Chromium counts the live
  server's http://localhost as a secure origin.
- WHITENOISE_USE_FINDERS: the browser tests load the pages' CSS, fonts and scripts as a server
  does; the suite runs no collectstatic, so WhiteNoise serves them from the apps' folders.
- WHITENOISE_AUTOREFRESH: WhiteNoise finds a static file when it is asked for, instead of
  listing every file of the apps' folders when a handler starts: every test client starts one,
  and the listing cost 0.18 s each.

Each pytest-xdist worker (`make test` runs several) has what it writes of its own, so that
workers never meet:
- a database: pytest-django adds the worker's name to the test database's name;
- a Redis database: CELERY_BROKER_URL's number plus the worker's index (REDIS_URL below is
  that database, also for tests that talk to Redis without a broker);
- a var/ folder (UPPDRAG_VAR_DIR: SQLite's test database, the filesystem broker, keys);
- ports: `free_port()` picks from a slice of its own, below the range the system hands out.
"""

import os
import re
import secrets
import socket
from pathlib import Path

PLAIN_HTTP = {"SECURE_SSL_REDIRECT": "false"}
ROOT = Path(__file__).resolve().parent.parent

# "gw3" in the fourth xdist worker (pytest-xdist sets it before plugins load); None alone.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")
WORKER_INDEX = int(WORKER[2:]) if WORKER else 0


def _worker_redis(url: str) -> str:
    """`url` with its database number moved on by the worker's index."""
    match = re.fullmatch(r"(redis://[^/]*)(?:/(\d+))?", url)
    if not match:
        return url
    return f"{match[1]}/{int(match[2] or 0) + WORKER_INDEX}"


os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.update(PLAIN_HTTP)
os.environ.setdefault("WHITENOISE_USE_FINDERS", "true")
os.environ.setdefault("WHITENOISE_AUTOREFRESH", "true")
os.environ.setdefault("UPPDRAG_VAR_DIR", str(ROOT / "var" / "test" / (WORKER or "main")))
if os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
    os.environ["CELERY_BROKER_URL"] = _worker_redis(os.environ["CELERY_BROKER_URL"])
    REDIS_URL = os.environ["CELERY_BROKER_URL"]
else:  # the filesystem broker under this worker's var/; Redis tests use a database of their own
    REDIS_URL = _worker_redis("redis://127.0.0.1:6379/12")
REDIS_DB = int(REDIS_URL.rsplit("/", 1)[1])

# Ports: a slice of 500 per Redis database number (which is this run's own on the machine),
# from 20000 up; the system's ephemeral ports (bind to 0) start at 32768.
_PORTS = range(20000 + 500 * REDIS_DB, 20000 + 500 * (REDIS_DB + 1))
_next_port = secrets.randbelow(len(_PORTS))


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now, from this worker's slice: a server a
    test starts on it does not race another worker for it."""
    global _next_port
    for _ in range(len(_PORTS)):
        port = _PORTS[_next_port % len(_PORTS)]
        _next_port += 1
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {_PORTS}")
