"""The access matrix (issue #15): every URL the app serves × every kind of visitor × GET and each
POST form, against the table of expected outcomes in tests/access_matrix.py.

`test_every_route_has_a_row` compares the real URL resolver (walked recursively, and once more
in a child process with DEBUG on) with the table: a new URL without a row fails, and so does a
row for a URL that no longer exists.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from django.urls import URLResolver, get_resolver

from tests import access_matrix as table

BASE_DIR = Path(__file__).resolve().parent.parent


# -- the routes -----------------------------------------------------------------------------------


def _normalise(route: str) -> str:
    """The admin's app-list route spells out every app with an admin; the row does not."""
    return re.sub(r"\(\?P<app_label>[^)]*\)", "(?P<app_label>…)", route)


def url_routes(patterns=None, prefix: str = "") -> list[str]:
    """Every route of the URL resolver, as its full pattern (the table's keys)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    routes = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            routes += url_routes(entry.url_patterns, prefix + str(entry.pattern))
        else:
            routes.append(_normalise(prefix + str(entry.pattern)))
    return routes


def _routes_with_debug_on() -> list[str]:
    """The routes when DEBUG is on (make run), read by a child process: URLconfs are read once."""
    env = {
        **os.environ,
        "DEBUG": "true",
        "SECRET_KEY": "access-matrix-probe",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(BASE_DIR),
    }
    env.pop("DATABASE_URL", None)
    code = (
        "import django, json; django.setup(); "
        "from tests.test_access_matrix import url_routes; print(json.dumps(url_routes()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_route_has_a_row():
    routes = set(url_routes()) | set(_routes_with_debug_on())
    rows = set(table.ROWS)
    forbidden = sorted(routes & set(table.FORBIDDEN_ROUTES))
    missing = sorted(routes - rows - set(table.FORBIDDEN_ROUTES))
    stale = sorted(rows - routes)
    problems = []
    if forbidden:
        problems.append("routes that must not exist:")
        problems += [f"  {r}  ({table.FORBIDDEN_ROUTES[r]})" for r in forbidden]
    if missing:
        problems.append("routes without a row in tests/access_matrix.py:")
        problems += [f"  {r}" for r in missing]
    if stale:
        problems.append("rows without a route (renamed or removed?):")
        problems += [f"  {r}" for r in stale]
    assert not problems, "\n".join(problems)
