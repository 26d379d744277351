"""The audit trail: one immutable AuditEntry per change. Services call record(), or
record_change() for a save of an object they snapshot before and after.

An entry keeps what changed: `before` holds the old value of each changed field, `after` the
new one (a new object has no `before`, only its values). A save that changes nothing writes
no entry. Entries written before 2026-12 held whole snapshots on both sides, unchanged fields
included; they are public records and stay as written, so readers ask changes(entry), which
reads both shapes.

The trail is tamper-evident: each entry holds the SHA-256 of its own content and of the entry
before it (`entry_hash`, `previous_hash`), chained in the order of their ids. record() is the
one writer: it takes the chain's lock (a PostgreSQL transaction-level advisory lock; SQLite
lets one writer in at a time anyway), reads the last hash and writes the entry in the same
transaction, so two writers never chain onto the same entry. verify_chain() walks the trail
and names the first entry whose content no longer matches its hash or whose link is broken
(`manage.py verify_audit`)."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile

from . import signals
from .models import Assignment, AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, FieldFile):
        # Its name only: asking a private document for its URL raises (assignments/storage.py).
        return value.name or ""
    return value


# Never written to the trail: a password hash is a secret, not a record.
SECRET_FIELDS = frozenset({"password"})


def _recorded_fields(obj: models.Model) -> list[str]:
    """The concrete fields worth recording: not secrets, not the "changed at" stamp that every
    save moves (the entry has its own time)."""
    return [
        f.attname
        for f in obj._meta.concrete_fields
        if f.name not in SECRET_FIELDS and not getattr(f, "auto_now", False)
    ]


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of obj, JSON-ready, for an entry's before/after."""
    names = fields or _recorded_fields(obj)
    return {name: _jsonable(getattr(obj, name)) for name in names}


def full_snapshot(obj: models.Model) -> dict[str, Any]:
    """snapshot() and the many-to-many fields (commissioners, members, groups …) as sorted pks."""
    values = snapshot(obj)
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return values


def _assignment_of(obj: models.Model | None) -> Assignment | None:
    if obj is None:
        return None
    if isinstance(obj, Assignment):
        return obj
    for attr in ("assignment", "milestone", "delivery"):
        related = getattr(obj, attr, None)
        if isinstance(related, models.Model):
            return _assignment_of(related)
    return None


def record(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    assignment: Assignment | None = None,
    personal: bool = False,
) -> AuditEntry | None:
    """Write one audit entry for `action` done by `actor` on `obj`; nothing (None) when
    `before` and `after` are given and equal: nothing changed.

    `personal`: the entry is about the actor's own thing on an assignment (a watch date), not
    the assignment's record: it is kept in the trail without linking the assignment, so that
    the assignment's history, shown to everyone who may see it, does not show it."""
    if before is not None and after is not None and _jsonable(before) == _jsonable(after):
        return None
    entry = AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        assignment=None if personal else assignment or _assignment_of(obj),
        object_type=obj._meta.label,
        object_id=str(obj.pk or ""),
        object_repr=str(obj)[:300],
        action=action,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        reason=reason,
    )
    with transaction.atomic():
        _lock_chain()
        entry.previous_hash = last_hash()
        entry.entry_hash = chain_hash(entry, entry.previous_hash)
        entry.save()
        signals.recorded.send(sender=AuditEntry, entry=entry)
    return entry


# How many one_write() blocks this thread (or task) is inside.
_writes: contextvars.ContextVar[int] = contextvars.ContextVar("audit_writes", default=0)


@contextlib.contextmanager
def one_write() -> Iterator[None]:
    """A write of several entries, in one transaction: when the outermost block ends, listeners
    are told (signals.write_ended), so that what follows every entry (reminders replan what it
    names) is done once per thing, not once per entry: a draft of forty rows is planned once.
    The block is the writer's transaction (an atomic block of its own)."""
    depth = _writes.get()
    token = _writes.set(depth + 1)
    completed = False
    try:
        with transaction.atomic():
            yield
            completed = True
            if depth == 0:
                signals.write_ended.send(sender=AuditEntry, completed=True)
    finally:
        _writes.reset(token)
        if depth == 0 and not completed:
            signals.write_ended.send(sender=AuditEntry, completed=False)


def in_write() -> bool:
    """Whether an entry recorded now belongs to a one_write() block still going on."""
    return _writes.get() > 0


# -- the hash chain -----------------------------------------------------------------------------

GENESIS = "0" * 64  # the "previous hash" of the first entry
# Any constant of our own: the key of the advisory lock that orders the chain's writers.
_CHAIN_LOCK_KEY = 0x55505044_52414721 & 0x7FFFFFFFFFFFFFFF
# The content an entry's hash covers, in this order; never change it (stored hashes use it).
HASHED_FIELDS = (
    "occurred_at",
    "actor_id",
    "assignment_id",
    "object_type",
    "object_id",
    "object_repr",
    "action",
    "before",
    "after",
    "reason",
)


def _lock_chain() -> None:
    """Hold the chain until the transaction ends: the next writer waits, then reads our hash."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def last_hash() -> str:
    """The hash of the newest entry, or GENESIS for an empty trail."""
    newest = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
    return newest or GENESIS


def canonical(entry) -> bytes:
    """The entry's content as the bytes its hash covers: JSON with sorted keys, no spaces, the
    time in UTC with microseconds. Reads any object with the entry's attributes (a migration's
    historical model too)."""
    values = {}
    for name in HASHED_FIELDS:
        value = getattr(entry, name)
        if isinstance(value, dt.datetime):
            value = value.astimezone(dt.UTC).isoformat(timespec="microseconds")
        values[name] = value
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(entry, previous_hash: str) -> str:
    """SHA-256 over the previous entry's hash and this entry's canonical content."""
    return hashlib.sha256(previous_hash.encode() + b"\n" + canonical(entry)).hexdigest()


@dataclass(frozen=True)
class BrokenLink:
    """The first entry the chain does not vouch for, and why."""

    entry_id: int
    occurred_at: dt.datetime
    action: str
    problem: str

    def __str__(self) -> str:
        when = f"{self.occurred_at:%Y-%m-%d %H:%M:%S}"
        return f"#{self.entry_id} ({when}, {self.action}): {self.problem}"


def verify_chain(entries: Iterable[AuditEntry] | None = None) -> tuple[int, BrokenLink | None]:
    """Walk the trail in id order: (entries checked, the first broken link or None)."""
    if entries is None:
        entries = AuditEntry.objects.order_by("id").iterator(chunk_size=2000)
    previous = GENESIS
    checked = 0
    for entry in entries:
        checked += 1
        if entry.previous_hash != previous:
            return checked, BrokenLink(
                entry.pk,
                entry.occurred_at,
                entry.action,
                "länken till föregående post stämmer inte (en post före den har ändrats, "
                "tagits bort eller lagts till)",
            )
        if chain_hash(entry, previous) != entry.entry_hash:
            return checked, BrokenLink(
                entry.pk,
                entry.occurred_at,
                entry.action,
                "innehållet stämmer inte med kontrollsumman (posten har ändrats)",
            )
        previous = entry.entry_hash
    return checked, None


def changed_fields(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose values differ, as (before, after)."""
    before, after = _jsonable(before), _jsonable(after)
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record_change(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict,
    after: dict,
    reason: str = "",
    assignment: Assignment | None = None,
) -> AuditEntry | None:
    """Record a save of `obj` from two snapshots (full_snapshot before and after): the entry
    keeps the changed fields only, old -> new; a save that changed nothing writes none."""
    before, after = changed_fields(before, after)
    if not after:
        return None
    return record(
        actor=actor,
        action=action,
        obj=obj,
        before=before,
        after=after,
        reason=reason,
        assignment=assignment,
    )


def changes(entry: AuditEntry) -> dict[str, tuple[Any, Any]]:
    """What an entry changed, field by field, as (old, new): the fields whose values differ
    (a new object's values have None as old). Reads both shapes of the trail: an older entry's
    whole snapshots give only the fields that really changed."""
    after = entry.after if isinstance(entry.after, dict) else {}
    if not isinstance(entry.before, dict):
        return {key: (None, value) for key, value in after.items()}
    before = entry.before
    return {
        key: (before.get(key), after.get(key))
        for key in [*after, *(k for k in before if k not in after)]
        if before.get(key) != after.get(key)
    }
