"""A sample of each kind of mail Uppdrag sends, composed from the demo data as the outbox
composes it (reminders.messages.compose_bundle) and built as the e-mail channel builds it:
for the browser test of the mails (tests/e2e/test_mails.py) and the screenshots in docs/."""

from __future__ import annotations

import datetime as dt

from assignments.models import Assignment, User
from reminders.channels import EmailChannel
from reminders.messages import compose_bundle
from reminders.models import Reminder, WatchDate


def _row(kind: str, recipient: User, assignment: Assignment, **fields) -> Reminder:
    fields.setdefault("subject_key", f"sample:{kind}")
    return Reminder.objects.create(
        kind=kind,
        recipient=recipient,
        assignment=assignment,
        due_version=f"sample-{Reminder.objects.count()}",
        planned_at=dt.datetime.now(dt.UTC),
        **fields,
    )


def _deadline(kind: str, recipient: User, milestone) -> Reminder:
    return _row(
        kind,
        recipient,
        milestone.assignment,
        subject_key=f"milestone:{milestone.pk}",
        milestone=milestone,
        due_date=milestone.due,
    )


def _event(kind: str, recipient: User, assignment: Assignment, **params) -> Reminder:
    return _row(
        kind,
        recipient,
        assignment,
        subject_key=f"event:{assignment.pk}",
        params={
            "title": assignment.title,
            "dnr": assignment.registration_number,
            "path": f"/uppdrag/{assignment.pk}/",
            **params,
        },
    )


def _watch_date(recipient: User, milestone, day: dt.date) -> Reminder:
    watch = WatchDate.objects.create(
        person=recipient,
        assignment=milestone.assignment,
        milestone=milestone,
        day=day,
        note="Stäm av underlaget med Skaraborg innan mötet på torsdag.",
    )
    return _row(
        Reminder.Kind.WATCH_DATE,
        recipient,
        milestone.assignment,
        subject_key=f"watch:{watch.pk}",
        milestone=milestone,
        watch_date=watch,
        due_date=day,
    )


def samples(assignment: Assignment, recipient: User) -> dict[str, list[Reminder]]:
    """Each kind of mail, as the rows it is composed from."""
    milestones = list(assignment.milestones.order_by("due", "pk"))
    today = dt.date.today()
    first_of_month = today.replace(day=1)
    last_month = (first_of_month - dt.timedelta(days=1)).replace(day=1)
    return {
        "reminder": [_deadline(Reminder.Kind.BEFORE_DUE, recipient, milestones[0])],
        "bundle": [
            _deadline(Reminder.Kind.OVERDUE, recipient, milestones[0]),
            _deadline(Reminder.Kind.DUE_DAY, recipient, milestones[1]),
        ],
        "event": [_event(Reminder.Kind.ADOPTED, recipient, assignment, actor="Per Albertsson")],
        "events": [
            _event(Reminder.Kind.ADOPTED, recipient, assignment, actor="Per Albertsson"),
            _event(
                Reminder.Kind.TASK_DELEGATED,
                recipient,
                assignment,
                actor="Per Albertsson",
                task="work",
                reason="Semester i juli",
            ),
        ],
        "watch_date": [_watch_date(recipient, milestones[0], today)],
        "digest": [_row(Reminder.Kind.DIGEST, recipient, assignment, due_date=today)],
        "monthly_report": [
            _row(
                Reminder.Kind.MONTHLY_REPORT,
                recipient,
                assignment,
                params={
                    "start": last_month.isoformat(),
                    "end": (first_of_month - dt.timedelta(days=1)).isoformat(),
                },
            )
        ],
    }


def composed(rows: list[Reminder]):
    """The message and the e-mail the outbox would send for these rows."""
    message = compose_bundle(rows)
    return message, EmailChannel.mail(rows, message)
