"""The calendar feed's secret is in no log (config/logredact.py, issue 27): gunicorn's access
log, as docker-compose runs it, and Django's request logs."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from config import logredact

ROOT = Path(__file__).resolve().parent.parent
SECRET = "hemlig-kalendernyckel-" + "x" * 30


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _line_with(stream, text: str) -> str:
    """Read the stream's lines until one holds `text` (the process writes it, or ends)."""
    for line in stream:
        if text in line:
            return line
    raise AssertionError(f"no line with {text!r}")


@pytest.mark.django_db
def test_gunicorns_access_log_shows_no_calendar_secret():
    """gunicorn as the image runs it (gunicorn.conf.py from its directory), its access log on
    stdout as docker-compose asks."""
    port = _free_port()
    database = connection.settings_dict
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "config.wsgi"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", "-"),
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DEBUG": "true",
            # the test database, which has the tables (no feed with this secret in it)
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _line_with(server.stderr, "Booting worker")
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/kalender/{SECRET}.ics?x=1", timeout=30)
        assert answer.value.code == 404
        access = _line_with(server.stdout, "/kalender/")
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=30)
    assert '"GET /kalender/[dolt].ics?x=1 HTTP/1.1" 404' in access
    assert SECRET not in access
    assert SECRET not in err


@pytest.mark.django_db
def test_djangos_request_log_shows_no_calendar_secret(client, caplog):
    """A feed address that is not (or no longer) valid is logged as a 404 by django.request."""
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(f"/kalender/{SECRET}.ics").status_code == 404
    messages = [record.getMessage() for record in caplog.records]
    assert any("/kalender/[dolt].ics" in message for message in messages), messages
    assert not any(SECRET in message for message in messages)


def test_redact_hides_every_feed_secret_in_a_line():
    line = f'"GET /kalender/{SECRET}.ics HTTP/1.1" 200 "https://x/kalender/abc.ics"'
    assert logredact.redact(line) == (
        '"GET /kalender/[dolt].ics HTTP/1.1" 200 "https://x/kalender/[dolt].ics"'
    )
