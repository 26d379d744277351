"""Reminders follow every write (#25, design decision D8).

Whatever changes a deadline or who is on an assignment — a service of the process, a save in
the admin, a contact linked to an account, an import, the API — writes an audit entry, because
every change of the record is audited (assignments.audit.record). The registry sends
assignments.signals.recorded for each entry, and replan_after_change, connected in
RemindersConfig.ready, plans again what the entry is about, in the writer's transaction: when
the writer returns, its planned reminders are right, and no writer has to remember to replan.

How much is planned again follows from what the entry names, which keeps the many entries of
one write cheap: a milestone's entry replans that milestone (its own deadline, its own people);
any other entry of an assignment replans all of it (services.replan_assignment, which is one
query for an assignment nobody is reminded about: a draft, a closed one); an entry about a
person who is inactive now replans the assignments that still plan to remind them. An entry about a
reminder itself (the outbox's admin cancels or retries a row) is the outbox's, not a change of
the record, and replans nothing: planning it again would undo the registrar's cancel. An entry
about a watch date (a person's own "påminn mig", kept off the assignment's history) replans
that watch date. An entry about an absence replans what its person is reminded of, so that
the stand-in gets it as well while they are away (deadlines._to_stand_ins), or no longer.

A write of several entries (assignments.audit.one_write: a draft and its rows, an adoption's
transition and its own entry) plans once per thing when it ends, still in its transaction:
while it goes on, replan_after_change only gathers what its entries name (an assignment named
whole makes its milestones' own plans needless). Outside such a block each entry plans at once.

Planning is idempotent (planning.sync), so an assignment planned twice in one write costs
queries, never a duplicate. And the sweep asks services.is_still_due at send time, so a row
that some path left planned still goes out only to a current person about a deadline in force.
"""

from __future__ import annotations

import contextvars

from assignments import audit
from assignments.models import Absence, Assignment, AuditEntry, Milestone, User

from .deadlines import plan_for_milestone
from .models import Reminder, WatchDate
from .services import replan_assignment
from .watch_dates import plan_for_watch_date


def _replan_for_person(person_id: str) -> None:
    """A person made inactive (who has left: never deleted) is told nothing more: the
    assignments that still plan a reminder to them plan again, without them."""
    if User.objects.filter(pk=person_id, is_active=True).exists():
        return
    pending = Reminder.objects.filter(recipient_id=person_id, state=Reminder.State.PLANNED)
    for assignment in Assignment.objects.filter(pk__in=pending.values("assignment_id")):
        replan_assignment(assignment)


def _replan_for_absence(absence_id: str) -> None:
    """An absence set or ended: the assignments that plan a reminder to its person, or to its
    stand-in as theirs, plan again."""
    absence = Absence.objects.filter(pk=absence_id).first()
    if absence is None:
        return
    pending = Reminder.objects.filter(
        recipient_id__in=[absence.person_id, absence.stand_in_id], state=Reminder.State.PLANNED
    ).exclude(assignment=None)
    for assignment in Assignment.objects.filter(pk__in=pending.values("assignment_id")):
        replan_assignment(assignment)


# What the entries of the write going on ask to plan: (kind, id) → the assignment it is of.
_gathered: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "reminders_gathered", default=None
)


def _what_to_plan(entry: AuditEntry) -> tuple[str, str] | None:
    """What the audit entry says changed, as the thing to plan again: ("absence", id),
    ("watch_date", id), ("person", id), ("milestone", id), ("assignment", id); None when it
    plans nothing."""
    if entry.object_type == Absence._meta.label:
        return ("absence", entry.object_id)
    if entry.object_type == WatchDate._meta.label:
        return ("watch_date", entry.object_id)
    if entry.object_type == User._meta.label and entry.assignment_id is None:
        return ("person", entry.object_id)
    if entry.assignment_id is None or entry.object_type.startswith("reminders."):
        return None
    if entry.object_type == Milestone._meta.label:
        return ("milestone", entry.object_id)
    return ("assignment", str(entry.assignment_id))


def _plan(kind: str, pk: str, assignment_id: str | None) -> None:
    if kind == "absence":
        _replan_for_absence(pk)
    elif kind == "watch_date":
        watch = (
            WatchDate.objects.select_related("person", "assignment", "milestone")
            .filter(pk=pk)
            .first()
        )
        if watch is not None:
            plan_for_watch_date(watch)
    elif kind == "person":
        _replan_for_person(pk)
    else:
        if kind == "milestone":
            milestone = Milestone.objects.select_related("assignment").filter(pk=pk).first()
            if milestone is not None:
                plan_for_milestone(milestone)
                return
        assignment = Assignment.objects.filter(pk=assignment_id).first()
        if assignment is not None:
            replan_assignment(assignment)


def replan_after_change(sender, *, entry: AuditEntry, **kwargs) -> None:
    """Plan again the reminders of what the audit entry says changed: now, or when the write
    it belongs to ends."""
    what = _what_to_plan(entry)
    if what is None:
        return
    if audit.in_write():
        gathered = _gathered.get()
        if gathered is None:
            gathered = {}
            _gathered.set(gathered)
        gathered[what] = str(entry.assignment_id) if entry.assignment_id else None
        return
    _plan(*what, str(entry.assignment_id) if entry.assignment_id else None)


def plan_gathered(sender, *, completed: bool, **kwargs) -> None:
    """The write ended: plan once each thing its entries named (a milestone not at all when its
    whole assignment is planned); a write that failed plans nothing (it is rolled back)."""
    while gathered := _gathered.get():
        _gathered.set(None)
        if not completed:
            return
        whole = {pk for kind, pk in gathered if kind == "assignment"}
        for (kind, pk), assignment_id in gathered.items():
            if kind == "milestone" and assignment_id in whole:
                continue
            _plan(kind, pk, assignment_id)
