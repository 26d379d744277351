"""The sweep and the send: claim due outbox rows atomically, deliver each exactly once, the
reminders due for one person in one sweep as one mail.

- The sweep claims rows in one statement, UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP
  LOCKED) on PostgreSQL (on SQLite the write transaction is exclusive anyway), and stamps them
  with a claim token and a lease, so two sweeps never take the same row. A row whose worker
  died is reclaimed when its lease ends.
- The same statement gives each row its bundle, the mail it goes out in: the claim's token,
  unless the row already has one from an earlier claim. The sweep hands each recipient's rows
  of one bundle to one send task (a digest goes alone). So a retry, after a crash, a lost task
  or a refusal, sends the rows of the mail it repeats and never adds rows that became due in
  between; those go in a mail of their own.
- The send locks its rows, checks the token (a redelivered or duplicated Celery message finds
  the rows already sent, or claimed anew, and does nothing), sends one mail and marks every
  row sent in the same transaction. The one window left is one SMTP call wide: a crash after
  the server accepted the mail and before the commit. The rows then come back after their
  lease and the mail is sent again with the same Message-ID (it derives from the rows, which
  the bundle keeps), so the resend is recognisable as the same message (at-least-once, never
  silently lost). Should a retry carry fewer rows (one of them cancelled meanwhile, or the
  rows split between two claims), its Message-ID is another: a mail is never taken for one
  that held other rows.
- A mail the server refuses for now (421, 450, 451, 452: throttling, greylisting) or that
  cannot reach it is tried again after a back-off; a 5xx reply fails its reminders at once.
  Whether the server took the last mail is recorded for /healthz (relay_record.py): the
  back-off keeps refused rows from ever looking overdue, so the outbox cannot tell.
- The in-app notification, one per reminder, is written on the first attempt whatever becomes
  of the e-mail, and the row remembers it (`in_app_at`, committed with the row's next state),
  so a retry or a failed address never takes the reminder away from the app nor shows it
  there twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import signal
import smtplib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from celery.utils.time import rate
from django.conf import settings
from django.db import models, transaction
from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import deadlines, relay_record, services
from .channels import EmailChannel, InAppChannel
from .messages import compose_bundle
from .models import EMAIL_ONLY_KINDS, EVENT_KINDS, Reminder

log = logging.getLogger(__name__)

# The Celery task that sends one bundle (reminders.tasks.send_reminders), by its name.
SEND_TASK = "reminders.send"
LEASE = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 6
BATCH = 5000
PUBLISH_BATCH = 100
# The reminders that share a mail with the others of their recipient: the deadlines', the
# person's own watch dates and the process's events (beat sweeps at the start of each calendar
# minute, so the events of one minute to one person, three at an adoption, are one mail). A
# digest and a monthly report are mails of their own.
BUNDLED_KINDS = frozenset(
    {
        Reminder.Kind.BEFORE_DUE,
        Reminder.Kind.DUE_DAY,
        Reminder.Kind.OVERDUE,
        Reminder.Kind.ESCALATION,
        Reminder.Kind.DECISION_WAITING,
        Reminder.Kind.WATCH_DATE,
        *EVENT_KINDS,
    }
)


@dataclass(frozen=True)
class Bundle:
    """Claimed rows that go out as one mail: one recipient's rows of one bundle, with the
    token of the claim that holds them now."""

    pks: tuple[int, ...]
    token: str


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
    task to use up the rate limit. (The limit counts mails and this counts rows, of which a
    mail holds one or more: on the safe side.)"""
    if not settings.EMAIL_RATE_LIMIT:
        return BATCH
    budget = math.ceil(rate(settings.EMAIL_RATE_LIMIT) * LEASE.total_seconds() / 2)
    in_flight = Reminder.objects.filter(state=Reminder.State.SENDING).count()
    return max(0, min(BATCH, budget - in_flight))


def claim_due(now: dt.datetime, limit: int = BATCH) -> list[Bundle]:
    """Claim the due rows, grouped into the mails they go out in; each row is claimed by this
    call only.

    One statement claims them: UPDATE … WHERE id IN (SELECT id … ORDER BY planned_at LIMIT n
    FOR UPDATE SKIP LOCKED). A concurrent sweep skips the rows this one has locked, and the
    partial index on planned rows finds the due ones without reading history. The same
    statement gives a row that has none the claim's token as its bundle. The claimed rows are
    then read back by their token and lease (the partial index on sending rows)."""
    token = uuid.uuid4()
    lease_until = now + LEASE
    due = Reminder.objects.filter(state=Reminder.State.PLANNED, planned_at__lte=now)
    locked = due.order_by("planned_at").select_for_update(skip_locked=True).values("pk")[:limit]
    with transaction.atomic():
        Reminder.objects.filter(pk__in=Subquery(locked)).update(
            state=Reminder.State.SENDING,
            claim_token=token,
            lease_until=lease_until,
            bundle=Coalesce("bundle", Value(token, output_field=models.UUIDField())),
        )
        rows = Reminder.objects.filter(
            state=Reminder.State.SENDING, lease_until=lease_until, claim_token=token
        ).values_list("pk", "recipient_id", "bundle", "kind")
        return bundles_of(rows, str(token))


def bundles_of(rows: Iterable[tuple[int, int, uuid.UUID, str]], token: str) -> list[Bundle]:
    """Group claimed rows (pk, recipient, bundle, kind) into mails: one per recipient and
    bundle; a row of a kind that is not bundled is a mail of its own."""
    groups: dict[tuple, list[int]] = {}
    for pk, recipient_id, bundle, kind in rows:
        key = (recipient_id, bundle) if kind in BUNDLED_KINDS else (recipient_id, bundle, pk)
        groups.setdefault(key, []).append(pk)
    bundles = [Bundle(tuple(sorted(pks)), token) for pks in groups.values()]
    return sorted(bundles, key=lambda bundle: bundle.pks)


def sweep(now: dt.datetime | None = None, enqueue=None, queue: str | None = None) -> int:
    """One sweep: reclaim dead leases, claim what is due, hand each bundle to a send task.
    Returns the number of rows claimed.

    `enqueue(pks, token)` replaces the Celery hand-off (the inline command and tests use it);
    `queue` names the Celery queue (default: the task's own)."""
    now = now or timezone.now()
    reclaim_expired(now)
    bundles = claim_due(now, claim_limit())
    if enqueue is not None:
        for bundle in bundles:
            enqueue(bundle.pks, bundle.token)
    elif bundles:
        enqueue_send_tasks(bundles, queue=queue)
    return sum(len(bundle.pks) for bundle in bundles)


def enqueue_send_tasks(bundles: Sequence[Bundle], queue: str | None = None) -> None:
    """One send task per bundle, published through one producer in batches (kombu's
    Producer.batch(): on Redis, pipelines of PUBLISH_BATCH instead of a round trip each, half
    the time for a burst), so the workers start on the first ones while the rest are written.
    If publishing fails part-way, the rows not sent stay claimed until their lease ends.

    The task is addressed by its name, as beat addresses the sweep: reminders.tasks imports
    this module, never the other way round. Where the task is registered (a worker, or any
    process that imported reminders.tasks) its own apply_async runs, eager mode included."""
    from celery import current_app

    send_reminders = current_app.signature(SEND_TASK)
    options = {"queue": queue} if queue else {}
    with current_app.producer_or_acquire() as producer, producer.batch(max_size=PUBLISH_BATCH):
        for bundle in bundles:
            send_reminders.apply_async(
                (list(bundle.pks), bundle.token), producer=producer, **options
            )


def _fault(point: str) -> None:
    """Fault injection for the crash tests (UPPDRAG_FAULT=before_send|after_send), never set
    in production: the worker process kills itself hard at that point, as a crash would."""
    if os.environ.get("UPPDRAG_FAULT") == point:
        os.kill(os.getpid(), signal.SIGKILL)


def send(pks: Sequence[int], token: str, now: dt.datetime | None = None) -> dict[int, str]:
    """Deliver one claimed bundle, the rows of one recipient, as one mail; returns what
    happened to each row (sent, skipped, cancelled, retry, failed)."""
    now = now or timezone.now()
    outcome = dict.fromkeys(pks, "skipped")  # sent, cancelled or claimed anew since queued
    with transaction.atomic():
        rows = (
            Reminder.objects.select_for_update(of=("self",))
            .select_related("recipient", "assignment", "milestone", "watch_date")
            .filter(pk__in=pks, state=Reminder.State.SENDING, claim_token=token)
            .order_by("pk")  # every sender locks rows in the same order
        )
        live = []
        for reminder in rows:
            if services.is_still_due(reminder):
                live.append(reminder)
            else:
                reminder.state = Reminder.State.CANCELLED
                reminder.save(update_fields=["state"])
                outcome[reminder.pk] = "cancelled"
        if not live:
            return outcome
        message = compose_bundle(live)
        for reminder, entry in zip(live, message.entries, strict=True):
            if reminder.in_app_at is None and reminder.kind not in EMAIL_ONLY_KINDS:
                # In the app whatever becomes of the e-mail (no address, a refused address,
                # a server down for hours), once: the mark commits with the row's next state.
                # The digest and the monthly report are e-mail only (EMAIL_ONLY_KINDS).
                InAppChannel().deliver(reminder, entry)
                reminder.in_app_at = now
        _fault("before_send")
        for reminder in live:
            reminder.attempts += 1
            reminder.claim_token = None
            reminder.lease_until = None
        try:
            if live[0].recipient.email:
                EmailChannel().deliver(live, message)
                relay_record.record_handoff(accepted=True)
        except Exception as error:  # noqa: BLE001 - any transport error is recorded the same way
            if not is_permanent(error):
                relay_record.record_handoff(accepted=False)
            last_error = f"{type(error).__name__}: {error}"[:2000]
            for reminder in live:
                reminder.last_error = last_error
                if reminder.attempts >= MAX_ATTEMPTS or is_permanent(error):
                    reminder.state = Reminder.State.FAILED
                    outcome[reminder.pk] = "failed"
                else:
                    reminder.state = Reminder.State.PLANNED
                    reminder.planned_at = now + backoff(reminder.attempts)
                    outcome[reminder.pk] = "retry"
                reminder.save()
            log.warning("reminders %s not sent: %s", [r.pk for r in live], last_error)
            return outcome
        _fault("after_send")
        for reminder in live:
            reminder.state = Reminder.State.SENT
            reminder.sent_at = now
            reminder.save()
            outcome[reminder.pk] = "sent"
        for reminder in live:
            deadlines.plan_follow_up(reminder)
    return outcome
