"""The sweep and the send: claim due outbox rows atomically, deliver each exactly once.

- The sweep claims rows in one statement, UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP
  LOCKED) on PostgreSQL (on SQLite the write transaction is exclusive anyway), and stamps them
  with a claim token and a lease, so two sweeps never take the same row. A row whose worker
  died is reclaimed when its lease ends.
- The send locks its row, checks the token (a redelivered or duplicated Celery message finds
  the row already sent, or claimed anew, and does nothing), sends the mail and marks the row
  sent in the same transaction. The one window left is one SMTP call wide: a crash after the
  server accepted the mail and before the commit. The row then comes back after its lease and
  the mail is sent again with the same Message-ID, so the resend is recognisable as the same
  message (at-least-once, never silently lost).
- A mail the server refuses for now (421, 450, 451, 452: throttling, greylisting) or that
  cannot reach it is tried again after a back-off; a 5xx reply fails the reminder at once.
- The in-app notification is written on the first attempt whatever becomes of the e-mail, and
  the row remembers it (`in_app_at`, committed with the row's next state), so a retry or a
  failed address never takes the reminder away from the app nor shows it there twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import signal
import smtplib
import uuid

from celery.utils.time import rate
from django.conf import settings
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone

from . import services
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


def smtp_reply_code(error: Exception) -> int | None:
    """The SMTP server's reply code in an error of smtplib, None for any other error."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        # every recipient refused (a reminder has one): the most hopeful answer counts
        return min((code for code, _reply in error.recipients.values()), default=None)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code
    return None


def is_permanent(error: Exception) -> bool:
    """The server refused the mail for good (a 5xx reply: no such mailbox, sender not allowed,
    message rejected): trying again in 2, 4, 8 … minutes cannot help, so the row fails at once,
    visible in the admin. Everything else (4xx, a refused connection, a timeout) is tried
    again."""
    code = smtp_reply_code(error)
    return code is not None and code >= 500


def reclaim_expired(now: dt.datetime) -> int:
    """Rows claimed by a worker that died go back to planned when their lease is over."""
    return Reminder.objects.filter(state=Reminder.State.SENDING, lease_until__lt=now).update(
        state=Reminder.State.PLANNED, claim_token=None, lease_until=None
    )


def claim_limit() -> int:
    """How many rows one sweep may claim. With EMAIL_RATE_LIMIT set, no more than the workers
    send in half a lease, less what is already claimed: a burst then waits in the outbox, not
    in the broker, where a row would outlive its lease, be claimed again and leave its stale
    task to use up the rate limit."""
    if not settings.EMAIL_RATE_LIMIT:
        return BATCH
    budget = math.ceil(rate(settings.EMAIL_RATE_LIMIT) * LEASE.total_seconds() / 2)
    in_flight = Reminder.objects.filter(state=Reminder.State.SENDING).count()
    return max(0, min(BATCH, budget - in_flight))


def claim_due(now: dt.datetime, limit: int = BATCH) -> list[tuple[int, str]]:
    """Claim the due rows: returns (pk, token) pairs, each claimed by this call only.

    One statement claims them: UPDATE … WHERE id IN (SELECT id … ORDER BY planned_at LIMIT n
    FOR UPDATE SKIP LOCKED). A concurrent sweep skips the rows this one has locked, and the
    partial index on planned rows finds the due ones without reading history. The claimed
    ids are then read back by their token and lease (the partial index on sending rows)."""
    token = uuid.uuid4()
    lease_until = now + LEASE
    due = Reminder.objects.filter(state=Reminder.State.PLANNED, planned_at__lte=now)
    locked = due.order_by("planned_at").select_for_update(skip_locked=True).values("pk")[:limit]
    with transaction.atomic():
        Reminder.objects.filter(pk__in=Subquery(locked)).update(
            state=Reminder.State.SENDING, claim_token=token, lease_until=lease_until
        )
        pks = Reminder.objects.filter(
            state=Reminder.State.SENDING, lease_until=lease_until, claim_token=token
        ).values_list("pk", flat=True)
        return [(pk, str(token)) for pk in pks]


def sweep(now: dt.datetime | None = None, enqueue=None, queue: str | None = None) -> int:
    """One sweep: reclaim dead leases, claim what is due, hand each row to a send task.

    `enqueue(pk, token)` replaces the Celery hand-off (the inline command and tests use it);
    `queue` names the Celery queue (default: the task's own)."""
    now = now or timezone.now()
    reclaim_expired(now)
    claimed = claim_due(now, claim_limit())
    if enqueue is not None:
        for pk, token in claimed:
            enqueue(pk, token)
    elif claimed:
        enqueue_send_tasks(claimed, queue=queue)
    return len(claimed)


def enqueue_send_tasks(claimed, queue: str | None = None) -> None:
    """One send task per claimed row, published through one producer in batches (kombu's
    Producer.batch(): on Redis, pipelines of PUBLISH_BATCH instead of a round trip each, half
    the time for a burst), so the workers start on the first ones while the rest are written.
    If publishing fails part-way, the rows not sent stay claimed until their lease ends."""
    from celery import current_app

    from .tasks import send_reminder

    options = {"queue": queue} if queue else {}
    with current_app.producer_or_acquire() as producer, producer.batch(max_size=PUBLISH_BATCH):
        for pk, token in claimed:
            send_reminder.apply_async((pk, token), producer=producer, **options)


def _fault(point: str) -> None:
    """Fault injection for the crash tests (UPPDRAG_FAULT=before_send|after_send), never set
    in production: the worker process kills itself hard at that point, as a crash would."""
    if os.environ.get("UPPDRAG_FAULT") == point:
        os.kill(os.getpid(), signal.SIGKILL)


def send(pk: int, token: str, now: dt.datetime | None = None) -> str:
    """Deliver one claimed reminder; returns what happened (sent, skipped, cancelled, retry,
    failed)."""
    now = now or timezone.now()
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(of=("self",))
            .select_related("recipient", "assignment", "milestone")
            .filter(pk=pk, state=Reminder.State.SENDING, claim_token=token)
            .first()
        )
        if reminder is None:  # sent, cancelled or claimed anew since this task was queued
            return "skipped"
        if not services.is_still_due(reminder):
            reminder.state = Reminder.State.CANCELLED
            reminder.save(update_fields=["state"])
            return "cancelled"
        message = compose(reminder)
        if reminder.in_app_at is None and reminder.kind != Reminder.Kind.DIGEST:
            # In the app whatever becomes of the e-mail (no address, a refused address, a
            # server down for hours), once: the mark commits with the row's next state. The
            # digest is e-mail only: the app's start page already is that summary.
            InAppChannel().deliver(reminder, message)
            reminder.in_app_at = now
        _fault("before_send")
        reminder.attempts += 1
        reminder.claim_token = None
        reminder.lease_until = None
        try:
            if reminder.recipient.email:
                EmailChannel().deliver(reminder, message)
        except Exception as error:  # noqa: BLE001 - any transport error is recorded the same way
            reminder.last_error = f"{type(error).__name__}: {error}"[:2000]
            if reminder.attempts >= MAX_ATTEMPTS or is_permanent(error):
                reminder.state = Reminder.State.FAILED
            else:
                reminder.state = Reminder.State.PLANNED
                reminder.planned_at = now + backoff(reminder.attempts)
            reminder.save()
            log.warning("reminder %s not sent: %s", pk, reminder.last_error)
            return "failed" if reminder.state == Reminder.State.FAILED else "retry"
        _fault("after_send")
        reminder.state = Reminder.State.SENT
        reminder.sent_at = now
        reminder.save()
        services.plan_follow_up(reminder)
    return "sent"
