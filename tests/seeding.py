"""The demo data once per worker, not once per test: `load_demo(*args)` runs the real
`manage.py load_demo` the first time a worker needs it with these arguments, keeps the rows it
wrote (PostgreSQL's COPY, in memory), and from then on puts the same rows back into the test's
transaction in a few milliseconds instead of moving seed 004 through its process again.

The copy is used only where it is the same as running the command:
- on PostgreSQL (elsewhere the command runs each time);
- on a database in the same state as the one the copy was taken on (what the migrations left
  in a test's transaction, or the emptied database a committing test starts from);
- at the same moment: under a stopped clock (time-machine with tick=False) the exact instant,
  otherwise the same ten minutes (the demo's timestamps, and which deadlines are past);
- when the command wrote new rows only (it changed no row that was there before) and sent no
  mail; otherwise it runs each time.

Sequences are moved past the copied rows, as the command would have moved them.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field

from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone


@dataclass
class Snapshot:
    before: dict[str, tuple]  # the database it was taken on (each table's _state)
    tables: dict[str, bytes] = field(default_factory=dict)  # table -> COPY text of new rows


_snapshots: dict[tuple, Snapshot | None] = {}  # None: the command must run each time


def _tables() -> list[tuple[str, str | None]]:
    """Every table of the database with its single integer primary key column (or None)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname,
                   (SELECT a.attname FROM pg_index i
                      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                     WHERE i.indrelid = c.oid AND i.indisprimary AND i.indnatts = 1
                       AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype))
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind = 'r' AND n.nspname = current_schema()
             ORDER BY c.relname
            """
        )
        return cursor.fetchall()


def _state(tables) -> dict[str, tuple]:
    """Each table's row count, largest id and a checksum of its rows, in one query."""
    parts = []
    for table, pk in tables:
        top = f'max("{pk}")' if pk else "NULL::bigint"
        parts.append(
            f"SELECT '{table}', count(*), {top}, md5(coalesce(string_agg(t::text, ',' "
            f"ORDER BY t::text), '')) FROM \"{table}\" t"
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return {table: (count, top, digest) for table, count, top, digest in cursor.fetchall()}


def _moment() -> str:
    first, second = timezone.now(), timezone.now()
    if first == second:  # a stopped clock
        return first.isoformat()
    return first.replace(minute=first.minute // 10 * 10, second=0, microsecond=0).isoformat()


def load_demo(*args: str) -> None:
    """`call_command("load_demo", *args, verbosity=0)`, from a copy where it is the same."""
    if connection.vendor != "postgresql":
        call_command("load_demo", *args, verbosity=0)
        return
    tables = _tables()
    before = _state(tables)
    # The database's state is part of the key: a test in a transaction starts from what the
    # migrations left, one that commits (the browser tests' live server) from an emptied
    # database; each gets the copy taken on a database like its own.
    key = (args, os.environ.get("DEMO_PASSWORD"), _moment(), tuple(sorted(before.items())))
    if key not in _snapshots:
        _snapshots[key] = _capture(args, tables, before)
        return
    snapshot = _snapshots[key]
    if snapshot is None:
        call_command("load_demo", *args, verbosity=0)
        return
    _restore(snapshot, tables)


def _capture(args, tables, before) -> Snapshot | None:
    """Run the command; the rows it added, if that is all it did."""
    outbox = len(getattr(mail, "outbox", []))
    call_command("load_demo", *args, verbosity=0)
    if len(getattr(mail, "outbox", [])) != outbox:
        return None  # it sent mail: the copy would not
    after = _state(tables)
    snapshot = Snapshot(before=before)
    with connection.cursor() as cursor:
        for table, pk in tables:
            if after[table] == before[table]:
                continue
            count, top, digest = before[table]
            if pk is None:
                return None  # rows without an id to tell the new ones by
            # the rows that were there are unchanged: same count and checksum at ids ≤ top
            cursor.execute(
                "SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) "
                f'FROM "{table}" t WHERE "{pk}" <= %s',
                [top if top is not None else -1],
            )
            if (count, digest) != tuple(cursor.fetchone()):
                return None
            buffer = io.BytesIO()
            query = f'COPY (SELECT * FROM "{table}" WHERE "{pk}" > {int(top or 0)}) TO STDOUT'
            with cursor.connection.cursor().copy(query) as copy:
                for block in copy:
                    buffer.write(block)
            snapshot.tables[table] = buffer.getvalue()
    return snapshot


def _restore(snapshot: Snapshot, tables) -> None:
    pks = dict(tables)
    # one transaction: the foreign keys (deferred) are checked once every table is back, also
    # where the test commits (a browser test's database)
    with transaction.atomic(), connection.cursor() as cursor:
        for table, rows in snapshot.tables.items():
            with cursor.connection.cursor().copy(f'COPY "{table}" FROM STDIN') as copy:
                copy.write(rows)
        for table in snapshot.tables:
            pk = pks[table]
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                f'(SELECT max("{pk}") FROM "{table}"))',
                [f'"{table}"', pk],
            )
