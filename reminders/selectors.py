"""Reads stated once: the in-app notifications (the `notifications` library's rows) for the
notification centre and the API, and the outbox's backlog and totals for /healthz and /metrics."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from notifications.models import Notification

from .models import EVENT_KINDS, Reminder


def notifications_of(person) -> QuerySet[Notification]:
    """The person's own notifications that are not deleted: nobody sees anyone else's."""
    return Notification.objects.filter(recipient=person, deleted=False)


def target_url(notification: Notification) -> str:
    """Where a notification leads: its own link (kept in data) or the notification centre.
    Always a path on this site: links in e-mail are absolute, inside the app only the path is
    followed."""
    url = (notification.data or {}).get("url") or ""
    if url:
        parts = urlsplit(url)
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        url += f"#{parts.fragment}" if parts.fragment else ""
    if url.startswith("/") and not url.startswith("//"):
        return url
    return reverse("notification_list")


# -- the outbox, for /healthz and /metrics -----------------------------------------------------


@dataclass(frozen=True)
class Backlog:
    """The outbox rows that are due and not sent yet: planned and due, or claimed by a sweep and
    not yet answered by a worker."""

    planned: int
    sending: int
    oldest_due: dt.datetime | None

    @property
    def count(self) -> int:
        return self.planned + self.sending


def outbox_backlog(now: dt.datetime) -> Backlog:
    """The outbox's backlog at `now`, in one query on the two partial indexes (planned and
    sending rows only), so its cost follows what waits, not the history of sent reminders.

    A row's age counts from its planned_at: a row retried after a refusal waits out its back-off
    first, and only then is it due again (the refusal itself shows as a retry in /metrics)."""
    due = Q(state=Reminder.State.PLANNED, planned_at__lte=now)
    sending = Q(state=Reminder.State.SENDING)
    totals = Reminder.objects.filter(due | sending).aggregate(
        planned=Count("pk", filter=due),
        sending=Count("pk", filter=sending),
        oldest_due=Min("planned_at"),
    )
    return Backlog(totals["planned"], totals["sending"], totals["oldest_due"])


@dataclass(frozen=True)
class OutboxTotals:
    """What the outbox has done for one kind of reminder, counted from its rows (which are never
    deleted): the counters of /metrics."""

    kind: str
    sent_by_mail: int
    sent_in_app: int
    failed: int
    retried: int


def outbox_totals() -> list[OutboxTotals]:
    """Per kind: reminders sent by e-mail (to a person with an address) and in the app, failed
    for good, and the attempts that ended in a retry.

    Every attempt either ends its row (sent, or failed) or plans it again after a back-off, so
    the retries are the attempts made less the rows an attempt ended. An event's row carries its
    e-mail only (its in-app notification is written at the moment, reminders.events), so the
    in-app count is that of the deadline reminders, which the dispatcher delivers in the app."""
    sent = Q(state=Reminder.State.SENT)
    ended = Q(state__in=[Reminder.State.SENT, Reminder.State.FAILED], attempts__gte=1)
    rows = (
        Reminder.objects.order_by()
        .values("kind")
        .annotate(
            sent_by_mail=Count("pk", filter=sent & ~Q(recipient__email="")),
            sent_in_app=Count("pk", filter=Q(in_app_at__isnull=False) & ~Q(kind__in=EVENT_KINDS)),
            failed=Count("pk", filter=Q(state=Reminder.State.FAILED)),
            attempts_made=Coalesce(Sum("attempts"), 0),
            ended=Count("pk", filter=ended),
        )
    )
    return [
        OutboxTotals(
            kind=row["kind"],
            sent_by_mail=row["sent_by_mail"],
            sent_in_app=row["sent_in_app"],
            failed=row["failed"],
            retried=max(row["attempts_made"] - row["ended"], 0),
        )
        for row in rows
    ]


def bounced(since: dt.datetime, limit: int) -> list[Reminder]:
    """Mail that could not be delivered for good (failed, after its retries) since `since`,
    newest first, with its recipient and assignment, in one query: the registrar's desk."""
    return list(
        Reminder.objects.filter(state=Reminder.State.FAILED, created_at__gte=since)
        .select_related("recipient", "assignment")
        .order_by("-created_at", "-pk")[:limit]
    )
