"""The suite's lanes, found from the tests themselves so that the split cannot drift:

- `e2e`: everything under tests/e2e (Playwright driving chromium against the live server);
- `slow`: a test that starts another process (a Celery worker, a settings probe, `manage.py`,
  docker-compose, a Redis or OpenID server, a benchmark's smoke run). Found by reading the
  code a test runs: its function and its fixtures, and every function, class and module of
  this package they name, for a use of `subprocess` or of `os`'s process calls;
- the rest is the fast lane (`make test-fast`: `-m "not e2e and not slow"`).

What the reading misses, the run catches: a test of neither lane that starts a process fails
(an audit hook, `no_processes`), in the fast lane and in the full suite alike, naming the
marker to add.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
E2E = TESTS / "e2e"
# what starts a process, by the object a name resolves to
PROCESS_STARTERS = (
    subprocess,
    subprocess.Popen,
    subprocess.run,
    subprocess.check_output,
    subprocess.check_call,
    subprocess.call,
    os.system,
    os.posix_spawn,
    os.fork,
    os.execv,
    os.execvp,
)
# Python's audit events of starting a process (sys.addaudithook)
PROCESS_EVENTS = frozenset(
    {
        "subprocess.Popen",
        "os.system",
        "os.posix_spawn",
        "os.spawn",
        "os.exec",
        "os.fork",
        "os.forkpty",
        "pty.spawn",
    }
)
FIXTURE = type(pytest.fixture(lambda: None))


def _ours(obj) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return module.partition(".")[0] == "tests"


def _codes(code: types.CodeType):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


def _starts_process(obj, seen: set) -> bool:
    """Whether `obj` (a function, class or fixture of this package) may start a process: it
    names one of PROCESS_STARTERS (`subprocess` itself included), or something of ours that
    does."""
    if id(obj) in seen:
        return False
    seen.add(id(obj))
    if isinstance(obj, FIXTURE):
        obj = obj.__wrapped__
    if inspect.isclass(obj):
        return any(_starts_process(member, seen) for member in vars(obj).values())
    if isinstance(obj, property):
        return any(_starts_process(f, seen) for f in (obj.fget, obj.fset) if f)
    if isinstance(obj, staticmethod | classmethod):
        obj = obj.__func__
    if inspect.isfunction(obj) and hasattr(obj, "__wrapped__"):  # a decorator's wrapper
        return _starts_process(inspect.unwrap(obj), seen)
    if not inspect.isfunction(obj):
        return False
    namespace = obj.__globals__
    names = {name for code in _codes(obj.__code__) for name in code.co_names}
    for name in names:
        value = namespace.get(name)
        if value is None:
            continue
        if any(value is starter for starter in PROCESS_STARTERS):
            return True
        if isinstance(value, types.ModuleType):
            # `module.function(...)` of a module of ours: the module's names this code names
            if value.__name__.partition(".")[0] == "tests" and any(
                _starts_process(getattr(value, attr), seen)
                for attr in names
                if _ours(getattr(value, attr, None))
            ):
                return True
            continue
        if _ours(value) and _starts_process(value, seen):
            return True
    return False


def _fixture_definitions(item, name: str):
    """The definitions of fixture `name` that `item` may see: in its module and in the
    conftest.py of its package and of every package above it."""
    module = item.module
    modules = [module]
    package = module.__name__.rpartition(".")[0]
    while package:
        if conftest := sys.modules.get(f"{package}.conftest"):
            modules.append(conftest)
        package = package.rpartition(".")[0]
    for candidate in modules:
        value = vars(candidate).get(name)
        if isinstance(value, FIXTURE):
            yield value


def starts_process(item) -> bool:
    seen: set = set()
    function = getattr(item, "function", None)
    if function is not None and _starts_process(function, seen):
        return True
    return any(
        _starts_process(definition, seen)
        for name in getattr(item, "fixturenames", ())
        for definition in _fixture_definitions(item, name)
    )


def mark(items) -> None:
    for item in items:
        if Path(str(item.path)).is_relative_to(E2E):
            item.add_marker(pytest.mark.e2e)
        elif not item.get_closest_marker("slow") and starts_process(item):
            item.add_marker(pytest.mark.slow)


# -- the run's check ------------------------------------------------------------------------------

_guarded = None  # the item running now, when it may not start a process
_started: dict[str, list[str]] = {}  # nodeid -> what it started


def _audit(event: str, args) -> None:
    if _guarded is not None and event in PROCESS_EVENTS:
        what = f"{event} {args[1] if event == 'subprocess.Popen' else args[0]!r}"
        _started.setdefault(_guarded.nodeid, []).append(what)
        raise RuntimeError(
            f"{_guarded.nodeid} starts a process ({what}) but is not in the slow lane: "
            "add @pytest.mark.slow (tests/lanes.py did not see it)"
        )


sys.addaudithook(_audit)


@contextlib.contextmanager
def no_processes(item):
    """While `item` runs (set-up, call, tear-down), starting a process fails it, unless it
    is in the slow or the browser lane."""
    global _guarded
    if item.get_closest_marker("slow") or item.get_closest_marker("e2e"):
        yield
        return
    _guarded = item
    try:
        yield
    finally:
        _guarded = None


def started(nodeid: str) -> list[str]:
    """The processes a test outside the slow lane tried to start (so it fails)."""
    return _started.pop(nodeid, [])
