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
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import uuid

from django.db import transaction
from django.utils import timezone

from . import services
from .channels import EmailChannel, InAppChannel
from .messages import compose
from .models import Reminder

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 6
BATCH = 5000


def backoff(attempts: int) -> dt.timedelta:
    """2, 4, 8, 16, 32 minutes between attempts."""
    return dt.timedelta(minutes=2**attempts)


def reclaim_expired(now: dt.datetime) -> int:
    """Rows claimed by a worker that died go back to planned when their lease is over."""
    return Reminder.objects.filter(state=Reminder.State.SENDING, lease_until__lt=now).update(
        state=Reminder.State.PLANNED, claim_token=None, lease_until=None
    )


def claim_due(now: dt.datetime, limit: int = BATCH) -> list[tuple[int, str]]:
    """Claim the due rows: returns (pk, token) pairs, each claimed by this call only."""
    token = uuid.uuid4()
    with transaction.atomic():
        pks = list(
            Reminder.objects.filter(state=Reminder.State.PLANNED, planned_at__lte=now)
            .order_by("planned_at")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if not pks:
            return []
        Reminder.objects.filter(pk__in=pks, state=Reminder.State.PLANNED).update(
            state=Reminder.State.SENDING, claim_token=token, lease_until=now + LEASE
        )
    return [(pk, str(token)) for pk in pks]


def sweep(now: dt.datetime | None = None, enqueue=None) -> int:
    """One sweep: reclaim dead leases, claim what is due, hand each row to a send task."""
    from .tasks import send_reminder

    now = now or timezone.now()
    reclaim_expired(now)
    claimed = claim_due(now)
    enqueue = enqueue or (lambda pk, token: send_reminder.delay(pk, token))
    for pk, token in claimed:
        enqueue(pk, token)
    return len(claimed)


def _fault(point: str) -> None:
    """Fault injection for the crash tests (UPPDRAG_FAULT=before_send|after_send), never set
    in production: the worker process kills itself hard at that point, as a crash would."""
    if os.environ.get("UPPDRAG_FAULT") == point:
        os.kill(os.getpid(), signal.SIGKILL)


# What send() reads of the related rows: the message, the still-due check and the in-app
# notification use these and nothing else. The ORM compiles the locked read anew for every
# send, and every column of four joined tables made that compile (and building the objects)
# a fifth of a send. A field not listed here still works, at the cost of one query more.
# The delivery is read only for the decision-waiting reminders that need it (lazily: a
# reminder without one never queries for it).
_RELATED_FIELDS = (
    "recipient__username",
    "recipient__first_name",
    "recipient__last_name",
    "recipient__email",
    "recipient__language",
    "assignment__registration_number",
    "assignment__title",
    "assignment__state",
    "assignment__delivery_due",
    "milestone__assignment_id",
    "milestone__kind",
    "milestone__title",
    "milestone__due",
    "milestone__status",
)
_RETRY_FIELDS = ["attempts", "last_error", "claim_token", "lease_until", "state", "planned_at"]
_SENT_FIELDS = ["state", "attempts", "sent_at", "claim_token", "lease_until"]


def _locked(pk: int) -> Reminder | None:
    """The reminder row, locked until the transaction ends, with what sending it needs."""
    own = [field.name for field in Reminder._meta.concrete_fields]
    try:
        # get(), not first(): first() orders by the model's ordering, which costs compile time
        # and buys nothing for one row by primary key.
        return (
            Reminder.objects.select_for_update(of=("self",))
            .select_related("recipient", "assignment", "milestone")
            .only(*own, *_RELATED_FIELDS)
            .get(pk=pk)
        )
    except Reminder.DoesNotExist:
        return None


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
            reminder.save(update_fields=["state"])
            return "cancelled"
        message = compose(reminder)
        _fault("before_send")
        try:
            if reminder.recipient.email:
                EmailChannel().deliver(reminder, message)
        except Exception as error:  # noqa: BLE001 - any transport error is retried the same way
            reminder.attempts += 1
            reminder.last_error = f"{type(error).__name__}: {error}"[:2000]
            reminder.claim_token = None
            reminder.lease_until = None
            if reminder.attempts >= MAX_ATTEMPTS:
                reminder.state = Reminder.State.FAILED
            else:
                reminder.state = Reminder.State.PLANNED
                reminder.planned_at = now + backoff(reminder.attempts)
            reminder.save(update_fields=_RETRY_FIELDS)
            log.warning("reminder %s not sent: %s", pk, reminder.last_error)
            return "failed" if reminder.state == Reminder.State.FAILED else "retry"
        _fault("after_send")
        InAppChannel().deliver(reminder, message)
        reminder.state = Reminder.State.SENT
        reminder.attempts += 1
        reminder.sent_at = now
        reminder.claim_token = None
        reminder.lease_until = None
        reminder.save(update_fields=_SENT_FIELDS)
        services.plan_follow_up(reminder)
    return "sent"
