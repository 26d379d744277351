"""The sweep and the send: claim due outbox rows atomically, deliver each exactly once.

- The sweep claims rows with SELECT … FOR UPDATE SKIP LOCKED (PostgreSQL; on SQLite the write
  transaction is exclusive anyway) and stamps them with a claim token and a lease, so two
  sweeps never take the same row. A row whose worker died is reclaimed when its lease ends.
- The send locks its row, checks the token (a redelivered or duplicated Celery message finds
  the row already sent, or claimed anew, and does nothing), sends the mail and marks the row
  sent in the same transaction. The one window left is one SMTP call wide: a crash after the
  server accepted the mail and before the commit. The row then comes back after its lease and
  the mail is sent again with the same Message-ID, so the resend is recognisable as the same
  message (at-least-once, never silently lost).
- The in-app notification is written on the first attempt whatever becomes of the e-mail, and
  the row remembers it (`in_app_at`, committed with the row's next state), so a retry or a
  failed address never takes the reminder away from the app nor shows it there twice.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import signal
import smtplib
import uuid
from dataclasses import dataclass

from django.db import NotSupportedError, connections, models, router, transaction
from django.utils import timezone

from . import services, statements
from .channels import EmailChannel, InAppChannel
from .messages import compose
from .models import Reminder

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 6
BATCH = 5000
PUBLISH_BATCH = 100


def backoff(attempts: int) -> dt.timedelta:
    """2, 4, 8, 16, 32 minutes between attempts."""
    return dt.timedelta(minutes=2**attempts)


def is_permanent(error: Exception) -> bool:
    """The server refused the address for good (a 5xx reply to RCPT: no such mailbox): trying
    again in 2, 4, 8 … minutes cannot help, so the row fails at once, visible in the admin."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(
            code >= 500 for code, _reply in error.recipients.values()
        )
    return False


def reclaim_expired(now: dt.datetime) -> int:
    """Rows claimed by a worker that died go back to planned when their lease is over."""
    return Reminder.objects.filter(state=Reminder.State.SENDING, lease_until__lt=now).update(
        state=Reminder.State.PLANNED, claim_token=None, lease_until=None
    )


def claim_due(now: dt.datetime, limit: int = BATCH) -> list[tuple[int, str]]:
    """Claim the due rows: returns (pk, token) pairs, each claimed by this call only.

    One statement: UPDATE … WHERE id IN (SELECT … ORDER BY planned_at LIMIT n FOR UPDATE SKIP
    LOCKED) RETURNING id. A concurrent sweep skips the rows this one has locked, and the
    partial index on planned rows finds the due ones without reading history. (Selecting the
    ids and then updating them by a list of 1,000 ids took two round trips and twice the
    time.) On SQLite, which has no row locks, the write transaction is exclusive anyway."""
    token = uuid.uuid4()
    alias = router.db_for_write(Reminder)
    sql, params = claim_statement(alias, now, limit, token)
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        pks = [row[0] for row in cursor.fetchall()]
    return [(pk, str(token)) for pk in pks]


def claim_statement(alias: str, now: dt.datetime, limit: int, token: uuid.UUID):
    """The claim's SQL and parameters (the benchmark EXPLAINs the same statement)."""
    connection = connections[alias]
    field = Reminder._meta.get_field
    params = [
        field("state").get_db_prep_save(Reminder.State.SENDING, connection),
        field("claim_token").get_db_prep_save(token, connection),
        field("lease_until").get_db_prep_save(now + LEASE, connection),
        field("state").get_db_prep_save(Reminder.State.PLANNED, connection),
        field("planned_at").get_db_prep_value(now, connection),
        limit,
    ]
    return _claim_sql(alias), params


@functools.cache
def _claim_sql(alias: str) -> str:
    connection = connections[alias]
    column = {
        name: statements.column(connection, Reminder, name)
        for name in ("id", "state", "claim_token", "lease_until", "planned_at")
    }
    table = statements.table(connection, Reminder)
    lock = (
        " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    )
    # Only names from the model's metadata, quoted; every value is a parameter.
    return (
        f"UPDATE {table} SET {column['state']} = %s, {column['claim_token']} = %s, "  # noqa: S608
        f"{column['lease_until']} = %s WHERE {column['id']} IN (SELECT {column['id']} "
        f"FROM {table} WHERE {column['state']} = %s AND {column['planned_at']} <= %s "
        f"ORDER BY {column['planned_at']} LIMIT %s{lock}) RETURNING {column['id']}"
    )


def sweep(now: dt.datetime | None = None, enqueue=None, queue: str | None = None) -> int:
    """One sweep: reclaim dead leases, claim what is due, hand each row to a send task.

    `enqueue(pk, token)` replaces the Celery hand-off (the inline command and tests use it);
    `queue` names the Celery queue (default: the task's own)."""
    now = now or timezone.now()
    reclaim_expired(now)
    claimed = claim_due(now)
    if enqueue is not None:
        for pk, token in claimed:
            enqueue(pk, token)
    elif claimed:
        enqueue_send_tasks(claimed, queue=queue)
    return len(claimed)


def enqueue_send_tasks(claimed, queue: str | None = None) -> None:
    """One send task per claimed row, published through kombu's producer batch: on Redis the
    LPUSHes go out in pipelines (half the time of one round trip each) of PUBLISH_BATCH, so
    the workers start on the first reminders while the rest are still being written (with
    pipelines of 500 they waited for the first 500: 7 % fewer e-mails a second). If
    publishing fails part-way, the rows not sent stay claimed and are reclaimed when their
    lease ends."""
    from celery import current_app

    from .tasks import send_reminder

    options = {"queue": queue} if queue else {}
    with current_app.producer_or_acquire() as producer, producer.batch(max_size=PUBLISH_BATCH):
        for pk, token in claimed:
            send_reminder.apply_async(
                (pk, token),
                producer=producer,
                # what Celery's saferepr() writes for a number and a string, without it:
                # it cost a tenth of each publish
                argsrepr=repr((pk, token)),
                kwargsrepr="{}",
                **options,
            )


def _fault(point: str) -> None:
    """Fault injection for the crash tests (UPPDRAG_FAULT=before_send|after_send), never set
    in production: the worker process kills itself hard at that point, as a crash would."""
    if os.environ.get("UPPDRAG_FAULT") == point:
        os.kill(os.getpid(), signal.SIGKILL)


# What send() reads of the related rows: the message, the still-due check and the in-app
# notification use these and nothing else. A field not listed here still works, at the cost of
# one query more per send (tests/reminders/test_messages.py guards the ones in use). The
# delivery is not joined: only decision-waiting reminders have one, and they load it lazily.
_RELATED_FIELDS = {
    "recipient": (
        "id",
        "username",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "language",
        "wants_digest",
    ),
    "assignment": ("id", "registration_number", "title", "state", "delivery_due"),
    "milestone": ("id", "assignment_id", "kind", "title", "due", "status"),
}
_RETRY_FIELDS = (
    "attempts",
    "last_error",
    "claim_token",
    "lease_until",
    "state",
    "planned_at",
    "in_app_at",
)
_SENT_FIELDS = ("state", "attempts", "sent_at", "claim_token", "lease_until", "in_app_at")


@dataclass(frozen=True)
class _Part:
    relation: str | None  # None for the reminder itself
    model: type[models.Model]
    table: str  # its alias in the query
    attnames: tuple[str, ...]
    start: int  # its columns in the row: start .. start + len(attnames)


@functools.cache
def _locked_read(alias: str) -> tuple[str, list[_Part], list[tuple[int, models.Field, str]]]:
    """The SQL of the locked read, written once per process and database, with the layout of
    its row and the columns that need the backend's converters.

    The ORM equivalent (select_for_update(of=("self",)).select_related(...).only(...).get())
    is compiled anew for every send, and compiling it cost more CPU than the query itself:
    ~2-3 ms against ~0.5-0.8 ms for this one, measured in-process. The values go through
    the same converters the ORM applies and the objects are built with Model.from_db(), so
    the reminder is the same model instance the ORM would give, its relations cached."""
    connection = connections[alias]
    if connection.features.has_select_for_update and not (
        connection.features.has_select_for_update_of
    ):
        raise NotSupportedError("The reminder send needs SELECT ... FOR UPDATE OF.")
    qn = connection.ops.quote_name
    reminder_fields = tuple(f.attname for f in Reminder._meta.concrete_fields)
    parts = [_Part(None, Reminder, "r", reminder_fields, 0)]
    columns = [f"r.{statements.column(connection, Reminder, name)}" for name in reminder_fields]
    joins = []
    for n, (relation, wanted) in enumerate(_RELATED_FIELDS.items()):
        foreign_key = Reminder._meta.get_field(relation)
        model = foreign_key.related_model
        # In the model's field order, which Model.from_db() expects of the values.
        attnames = tuple(f.attname for f in model._meta.concrete_fields if f.attname in wanted)
        if len(attnames) != len(wanted):
            raise LookupError(f"_RELATED_FIELDS[{relation!r}] names a field {model} lacks")
        table = f"t{n}"
        joins.append(
            f"{'LEFT OUTER' if foreign_key.null else 'INNER'} JOIN {qn(model._meta.db_table)} "
            f"{table} ON {table}.{qn(model._meta.pk.column)} = r.{qn(foreign_key.column)}"
        )
        parts.append(_Part(relation, model, table, attnames, len(columns)))
        columns += [f"{table}.{statements.column(connection, model, name)}" for name in attnames]
    # Only names from the models' metadata, quoted; the primary key is a parameter.
    sql = (
        f"SELECT {', '.join(columns)} FROM {qn(Reminder._meta.db_table)} r {' '.join(joins)} "  # noqa: S608
        f"WHERE r.{qn(Reminder._meta.pk.column)} = %s"
    )
    if connection.features.has_select_for_update:
        sql += " " + connection.ops.for_update_sql(of=("r",))
    converted = []
    for part in parts:
        for offset, name in enumerate(part.attnames):
            field = part.model._meta.get_field(name)
            column = field.get_col(part.table)
            if connection.ops.get_db_converters(column) + field.get_db_converters(connection):
                converted.append((part.start + offset, field, part.table))
    return sql, parts, converted


def _locked(pk: int) -> Reminder | None:
    """The reminder row, locked until the transaction ends, with what sending it needs."""
    alias = router.db_for_write(Reminder)
    connection = connections[alias]
    sql, parts, converted = _locked_read(alias)
    with statements.cursor(connection) as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    for index, field, table in converted:
        column = field.get_col(table)
        for convert in connection.ops.get_db_converters(column) + field.get_db_converters(
            connection
        ):
            row[index] = convert(row[index], column, connection)
    reminder = None
    for part in parts:
        values = row[part.start : part.start + len(part.attnames)]
        if part.relation is None:
            reminder = Reminder.from_db(alias, part.attnames, values)
        elif values[0] is None:  # no such relation (a nullable foreign key)
            setattr(reminder, part.relation, None)
        else:
            setattr(reminder, part.relation, part.model.from_db(alias, part.attnames, values))
    return reminder


def send(pk: int, token: str, now: dt.datetime | None = None) -> str:
    """Deliver one claimed reminder; returns what happened (sent, skipped, cancelled, retry,
    failed)."""
    now = now or timezone.now()
    with transaction.atomic():
        reminder = _locked(pk)
        if reminder is None or reminder.state != Reminder.State.SENDING:
            return "skipped"
        if str(reminder.claim_token) != token:
            return "skipped"
        if not services.is_still_due(reminder):
            reminder.state = Reminder.State.CANCELLED
            statements.update(reminder, ("state",))
            return "cancelled"
        message = compose(reminder)
        if reminder.in_app_at is None and reminder.kind != Reminder.Kind.DIGEST:
            # In the app whatever becomes of the e-mail (no address, a refused address, a
            # server down for hours), once: the mark commits with the row's next state. The
            # digest is e-mail only: the app's start page already is that summary.
            InAppChannel().deliver(reminder, message)
            reminder.in_app_at = now
        _fault("before_send")
        try:
            if reminder.recipient.email:
                EmailChannel().deliver(reminder, message)
        except Exception as error:  # noqa: BLE001 - any transport error is recorded the same way
            reminder.attempts += 1
            reminder.last_error = f"{type(error).__name__}: {error}"[:2000]
            reminder.claim_token = None
            reminder.lease_until = None
            if reminder.attempts >= MAX_ATTEMPTS or is_permanent(error):
                reminder.state = Reminder.State.FAILED
            else:
                reminder.state = Reminder.State.PLANNED
                reminder.planned_at = now + backoff(reminder.attempts)
            statements.update(reminder, _RETRY_FIELDS)
            log.warning("reminder %s not sent: %s", pk, reminder.last_error)
            return "failed" if reminder.state == Reminder.State.FAILED else "retry"
        _fault("after_send")
        reminder.state = Reminder.State.SENT
        reminder.attempts += 1
        reminder.sent_at = now
        reminder.claim_token = None
        reminder.lease_until = None
        statements.update(reminder, _SENT_FIELDS)
        services.plan_follow_up(reminder)
    return "sent"
