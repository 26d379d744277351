"""`make run` as a developer starts it, on another port (issue 17, 4): the links in its e-mails
lead to the server it started, not to port 8000."""

from __future__ import annotations

import http.cookiejar
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.settings_probe import ROOT, production_environ

from .environment import free_port

STARTUP_SECONDS = 300  # a fresh database is migrated and the demo loaded first
PASSWORD_RESET = re.compile(r"^(\S+)/accounts/reset/\S+/$", re.MULTILINE)


class Output:
    """The lines a process writes, read on a thread so that a wait can look at them."""

    def __init__(self, stream):
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.put(line)

    def wait_for(self, pattern: re.Pattern, process, seconds: float) -> re.Match:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and process.poll() is None:
            try:
                self.seen.append(self.lines.get(timeout=1))
            except queue.Empty:
                continue
            if match := pattern.search("".join(self.seen)):
                return match
        raise AssertionError(f"{pattern.pattern!r} never came:\n" + "".join(self.seen)[-4000:])


def ask_for_a_new_password(base: str, email: str) -> None:
    """The "forgot my password" form, as a browser posts it (with its CSRF cookie and token)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    deadline = time.monotonic() + 30
    while True:  # the server announces itself just before it listens
        try:
            form = opener.open(base + "/accounts/password_reset/", timeout=30).read().decode()
            break
        except urllib.error.URLError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "email": email}).encode()
    with opener.open(base + "/accounts/password_reset/", data=data, timeout=30) as answer:
        assert answer.status == 200


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def make_run(tmp_path):
    """`make run PORT=<a free port>` with its own var/ (database, queues, keys); a venv marker
    of its own, so that it never installs anything into the shared .venv."""
    if shutil.which("make") is None:
        raise AssertionError("make is missing: apt-get install make")
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / ".installed").touch()  # newer than requirements.lock: nothing to install
    port = free_port()
    process = subprocess.Popen(
        [
            "make",
            "--no-print-directory",
            "run",
            f"PORT={port}",
            f"VENV={venv}",
            f"PY={sys.executable}",
        ],
        cwd=ROOT,
        env=production_environ(
            UPPDRAG_VAR_DIR=str(tmp_path / "var"), DEMO_PASSWORD="make-run", PYTHONUNBUFFERED="1"
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # web, worker and beat in a process group of their own
        # as from a terminal: the test's process may ignore SIGINT (something in a long run of
        # the suite made pytest-xdist's worker do so), and an ignored signal stays ignored in
        # every child, make's trap included: Ctrl-C then left runserver up for the 60 s below
        preexec_fn=_interruptible,
    )
    try:
        yield port, process, Output(process.stdout)
    finally:
        # make's own trap ends web, worker and beat together; this is its Ctrl-C
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
            raise AssertionError("Ctrl-C did not stop make run within 60 s") from None


@pytest.mark.long
def test_links_in_mails_lead_to_the_port_make_run_serves(make_run):
    port, process, output = make_run
    output.wait_for(re.compile(r"Starting development server at \S+"), process, STARTUP_SECONDS)
    base = f"http://127.0.0.1:{port}"
    ask_for_a_new_password(base, "jan.strang@example.org")
    link = output.wait_for(PASSWORD_RESET, process, 60)
    assert link.group(1) == base
