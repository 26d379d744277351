"""SQL written once per process for the statements the reminder send runs for every row.

The ORM compiles a statement anew each time it runs, and for the send's few small statements
compiling cost more CPU than running them (measured in-process and with callgrind; see
bench/README.md). These helpers write the same statements from the models' metadata: only
quoted names from the metadata go into the SQL, every value is a parameter, and the values go
through the fields' own pre_save() and get_db_prep_save(), as the ORM's would.
"""

from __future__ import annotations

import contextlib
import functools

from django.db import connections, models, router


@contextlib.contextmanager
def cursor(connection):
    """A cursor for these statements. On PostgreSQL with prepared statements enabled
    (DATABASES OPTIONS prepare_threshold, see config/settings.py), a server-side binding
    cursor: PostgreSQL then plans each statement once per connection instead of at every
    send, and planning the send's locked read (four tables) cost it six times what running
    it did. Django's own queries keep their client-side binding cursors, which are never
    prepared. Elsewhere, or with prepared statements off (a pooler in transaction mode),
    Django's usual cursor."""
    if connection.vendor == "postgresql" and (
        connection.settings_dict["OPTIONS"].get("prepare_threshold") is not None
    ):
        from django.db.backends.postgresql.base import ServerBindingCursor

        connection.close_if_health_check_failed()
        connection.ensure_connection()
        with connection.wrap_database_errors:
            wrapped = connection._prepare_cursor(ServerBindingCursor(connection.connection))
        with wrapped:
            yield wrapped
    else:
        with connection.cursor() as wrapped:
            yield wrapped


def column(connection, model: type[models.Model], name: str) -> str:
    """A field's column, quoted for this database."""
    return connection.ops.quote_name(model._meta.get_field(name).column)


def table(connection, model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@functools.cache
def _insert(alias: str, model: type[models.Model]) -> tuple[str, tuple[models.Field, ...]]:
    connection = connections[alias]
    fields = tuple(
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key and isinstance(field, models.AutoField | models.BigAutoField))
    )
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {table(connection, model)} ({names}) VALUES ({marks})", fields  # noqa: S608


def insert(instance: models.Model) -> None:
    """What instance.save() does for a new row with an automatic primary key, without the
    signals and without reading the key back (the callers do not use it)."""
    model = type(instance)
    alias = router.db_for_write(model, instance=instance)
    connection = connections[alias]
    sql, fields = _insert(alias, model)
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    with cursor(connection) as prepared:
        prepared.execute(sql, values)
    instance._state.adding = False
    instance._state.db = alias


@functools.cache
def _update(alias: str, model: type[models.Model], names: tuple[str, ...]) -> str:
    connection = connections[alias]
    columns = ", ".join(f"{column(connection, model, name)} = %s" for name in names)
    return (
        f"UPDATE {table(connection, model)} SET {columns} "  # noqa: S608
        f"WHERE {connection.ops.quote_name(model._meta.pk.column)} = %s"
    )


def update(instance: models.Model, names: tuple[str, ...]) -> None:
    """What instance.save(update_fields=names) writes, as one UPDATE, without the signals.
    The caller holds the row's lock, so the row is there."""
    model = type(instance)
    alias = instance._state.db or router.db_for_write(model, instance=instance)
    connection = connections[alias]
    fields = [model._meta.get_field(name) for name in names]
    values = [
        field.get_db_prep_save(getattr(instance, field.attname), connection) for field in fields
    ]
    with cursor(connection) as prepared:
        prepared.execute(_update(alias, model, names), [*values, instance.pk])
