"""The parts bench/soak.py starts and breaks: a PostgreSQL cluster and a Redis server of its own
(the machine's shared ones on 5432 and 6379 are never restarted: other people's suites run on
them), an SMTP sink that can refuse for a while or drop a connection in the middle of DATA,
and the resident memory of a process and its children (Linux /proc).

Not a benchmark: `make bench` skips files starting with _.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from email import policy
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate: Callable[[], bool], *, seconds: float, what: str, interval=0.2) -> float:
    """Poll `predicate` until it holds; the seconds it took. Raises after `seconds`."""
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > seconds:
            raise TimeoutError(f"not within {seconds:.0f} s: {what}")
        time.sleep(interval)
    return time.monotonic() - start


def port_answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


# -- PostgreSQL ---------------------------------------------------------------------------------


class PrivatePostgres:
    """A cluster in a folder of its own, on a free port, trust authentication; run as the
    `postgres` user when this process is root (initdb refuses root)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "pgdata"
        self.socket_dir = folder / "pgsock"
        self.port = free_port()
        self.log = folder / "postgres.log"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        subprocess.run(  # noqa: S603 (Debian's PostgreSQL binaries)
            [*self.as_user, *command], check=True, stdout=subprocess.DEVNULL, cwd=self.folder
        )

    def init(self) -> None:
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        if self.as_user:
            shutil.chown(self.folder, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        self._run(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        self.start()

    def start(self) -> None:
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1"
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "-t", "120", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def answers(self) -> bool:
        done = subprocess.run(  # noqa: S603
            [str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"],
            check=False,
        )
        return done.returncode == 0

    def pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (FileNotFoundError, ValueError, IndexError):
            return None

    def load(self, database: str, source_url: str) -> None:
        """`database` made as a copy of `source_url` (pg_dump | psql): a copy of a migrated
        database is seconds, migrating it is a minute on a busy machine."""
        self._run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), database)
        dump = subprocess.Popen(  # noqa: S603
            [str(PG_BIN / "pg_dump"), "--no-owner", "--no-privileges", source_url],
            stdout=subprocess.PIPE,
        )
        subprocess.run(  # noqa: S603
            [
                str(PG_BIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-o", "/dev/null",
                self.url(database),
            ],
            stdin=dump.stdout,
            check=True,
        )  # fmt: skip
        dump.stdout.close()
        if dump.wait() != 0:
            raise RuntimeError("pg_dump failed")


# -- Redis --------------------------------------------------------------------------------------


class PrivateRedis:
    """redis-server on a free port, without persistence, as docker-compose.yml runs it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def answers(self) -> bool:
        import redis

        try:
            return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1).ping()
        except redis.RedisError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.folder),
            ],
            stdout=(self.folder / "redis.log").open("a"),
        )  # fmt: skip
        wait_until(self.answers, seconds=30, what="redis answers")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


# -- the SMTP sink ------------------------------------------------------------------------------


class Inbox:
    """An aiosmtpd handler that keeps each accepted message's Message-ID and arrival time; it
    answers MAIL with 451 while `refusing` is set."""

    def __init__(self):
        self.arrivals: list[tuple[str, float]] = []  # (Message-ID, time.time())
        self.refused = 0
        self.refusing = False
        self.lock = threading.Lock()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        if self.refusing:
            with self.lock:
                self.refused += 1
            return "451 4.7.500 Server busy, try again later"
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=policy.compat32)
        with self.lock:
            self.arrivals.append((str(message["Message-ID"]).strip(), time.time()))
        return "250 Message accepted for delivery"

    def snapshot(self) -> list[tuple[str, float]]:
        with self.lock:
            return list(self.arrivals)


class Sink:
    """aiosmtpd behind a small TCP proxy on the port the workers are given. The proxy is what
    can cut a connection in the middle of DATA: after the client's DATA command it forwards
    part of the message's first chunk and closes both sides, so the server never sees the
    end of the message (and never accepts it) and the client never sees a reply."""

    def __init__(self):
        self.inbox = Inbox()
        self.port = free_port()
        self.inner_port = free_port()
        self.drop_armed = False
        self.dropped_at: list[float] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.controller = None
        self.server = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.inner_port)
        self.controller.start()
        self.thread.start()
        future = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._client, "127.0.0.1", self.port), self.loop
        )
        self.server = future.result(timeout=10)

    def stop(self) -> None:
        if self.server is not None:
            self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        if self.controller is not None:
            self.controller.stop()

    async def _client(self, client_reader, client_writer) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(
                "127.0.0.1", self.inner_port
            )
        except OSError:
            client_writer.close()
            return
        writers = (client_writer, server_writer)

        async def upstream():
            in_data = False
            while chunk := await client_reader.read(65536):
                if in_data and self.drop_armed:
                    self.drop_armed = False
                    server_writer.write(chunk[: max(1, len(chunk) // 2)])
                    await server_writer.drain()
                    self.dropped_at.append(time.time())
                    for writer in writers:
                        writer.transport.abort()
                    return
                server_writer.write(chunk)
                await server_writer.drain()
                in_data = in_data or chunk.strip().lower() == b"data"

        async def downstream():
            while chunk := await server_reader.read(65536):
                client_writer.write(chunk)
                await client_writer.drain()

        pumps = [asyncio.ensure_future(upstream()), asyncio.ensure_future(downstream())]
        # the first side to end (or be cut) ends the other
        await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        for pump in pumps:
            pump.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)
        for writer in writers:
            with contextlib.suppress(OSError, ConnectionError):
                writer.close()


# -- processes and their memory -----------------------------------------------------------------


def children_of(pid: int) -> list[int]:
    """`pid` and its descendants (from /proc's parent ids)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(parents.get(current, []))
    return found


def memory_kib(pid: int, field: str) -> int:
    """A process's memory in KiB: "Rss" (resident) or "Pss" (resident, shared pages divided
    among the processes sharing them), from /proc/<pid>/smaps_rollup; 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_memory_kib(pid: int | None, field: str = "Rss") -> int:
    return sum(memory_kib(p, field) for p in children_of(pid)) if pid else 0


def kill_hard(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
