"""Helpers the benchmarks share (not a benchmark: `make bench` skips files starting with _)."""

from __future__ import annotations

import io
import os
import secrets

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# The benchmarks run with DEBUG off, where the settings want a key; one of their own will do.
SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)


def recreate_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def copy(table: str, columns: list[str], rows) -> None:
    """COPY rows (tuples; None is NULL) into a table through Django's connection."""
    from django.db import connection

    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    with (
        connection.cursor() as cursor,
        cursor.connection.cursor().copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        ) as pg_copy,
    ):
        pg_copy.write(buffer.read())
