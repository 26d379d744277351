"""Watch dates (bevakning): a person's own "påminn mig" on an assignment or one of its
milestones, a day and a note, told as one of their reminders.

- Who may set one: whoever may see the assignment (assignments.permissions
  .can_view_assignment), asked when it is set, when its reminder is planned and when it is sent:
  a person who may no longer see the assignment is not told about it.
- It is its person's alone: the pages list only their own, and its audit entry is kept off the
  assignment's history (assignments.audit.record, `personal`).
- Its reminder is an outbox row like a deadline's (kind WATCH_DATE, one per watch date), planned
  by `plan_for_watch_date` when the watch date's audit entry is recorded (reminders.receivers)
  and again with its assignment (services.replan_assignment). It goes out at the reminder
  policy's hour of what it is about (the milestone's kind, else the final delivery), on its day
  or, when that is no working day, the next one, in the same mail as the person's other
  reminders of that sweep (dispatch.BUNDLED_KINDS).
- It is removed by cancelling it (audited); nothing is deleted.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assignments import audit, permissions
from assignments.models import Assignment, Milestone, User

from . import calendar
from .models import DELIVERY_SUBJECT, Reminder, ReminderPolicy, WatchDate
from .planning import Wanted, active, at_hour, sync

KINDS = (Reminder.Kind.WATCH_DATE,)
NOTE_LENGTH = 500

# The days a person picks from rather than types (the form's choices).
TOMORROW, IN_A_WEEK, BEFORE_DUE = "tomorrow", "in_a_week", "before_due"
PRESETS = {
    TOMORROW: gettext_lazy("I morgon"),
    IN_A_WEEK: gettext_lazy("Om en vecka"),
    BEFORE_DUE: gettext_lazy("Dagen före slutdatum"),
}


def watch_key(watch: WatchDate) -> str:
    return f"watch:{watch.pk}"


def due_of(assignment: Assignment, milestone: Milestone | None) -> dt.date | None:
    """The date a watch date's "before the due date" counts from: the milestone's due date, or
    the assignment's final delivery's."""
    return milestone.due if milestone is not None else assignment.delivery_due


def preset_day(preset: str, *, today: dt.date, due: dt.date | None) -> dt.date | None:
    """The day a preset stands for, on the working-day calendar: tomorrow is the next working
    day, a week is seven days on (or the working day after), "before the due date" the working
    day before it; None when there is no due date to count from."""
    if preset == TOMORROW:
        return calendar.next_working_day(today)
    if preset == IN_A_WEEK:
        return _working_day_on_or_after(today + dt.timedelta(days=7))
    if preset == BEFORE_DUE and due is not None:
        return calendar.working_days_before(due, 1)
    return None


def _working_day_on_or_after(day: dt.date) -> dt.date:
    return day if calendar.is_working_day(day) else calendar.next_working_day(day)


# -- writes ------------------------------------------------------------------------------------


def set_watch_date(
    *,
    person: User,
    assignment: Assignment,
    day: dt.date,
    note: str = "",
    milestone: Milestone | None = None,
) -> WatchDate:
    """Set a watch date for `person` on the assignment or one of its milestones."""
    with transaction.atomic():
        if not permissions.can_view_assignment(person, assignment):
            raise PermissionDenied(_("Du får inte se det här uppdraget."))
        if milestone is not None and milestone.assignment_id != assignment.pk:
            raise ValidationError({"milestone": _("Milstolpen hör inte till uppdraget.")})
        if day < timezone.localdate():
            raise ValidationError({"day": _("Välj ett datum från i dag och framåt.")})
        note = (note or "").strip()
        if len(note) > NOTE_LENGTH:
            raise ValidationError(
                {"note": _("Skriv högst %(count)d tecken.") % {"count": NOTE_LENGTH}}
            )
        watch = WatchDate.objects.create(
            person=person, assignment=assignment, milestone=milestone, day=day, note=note
        )
        # The entry replans (reminders.receivers): its reminder is planned when this returns.
        audit.record(
            actor=person,
            action="watch_date.set",
            obj=watch,
            after={
                "assignment": assignment.pk,
                "milestone": milestone.pk if milestone else None,
                "day": day,
                "note": note,
            },
            personal=True,
        )
        return watch


def cancel_watch_date(*, watch: WatchDate, person: User) -> WatchDate:
    """Remove (cancel) one of the person's own watch dates; its planned reminder is cancelled."""
    with transaction.atomic():
        watch = WatchDate.objects.select_for_update().get(pk=watch.pk)
        if watch.person_id != person.pk:
            raise PermissionDenied(_("Bevakningen är inte din."))
        if watch.is_cancelled:
            raise ValidationError(_("Bevakningen är redan borttagen."))
        watch.cancelled_at = timezone.now()
        watch.save(update_fields=["cancelled_at"])
        audit.record(
            actor=person,
            action="watch_date.cancelled",
            obj=watch,
            before={"cancelled_at": None},
            after={"cancelled_at": watch.cancelled_at},
            personal=True,
        )
        return watch


# -- planning ----------------------------------------------------------------------------------


def is_in_force(watch: WatchDate) -> bool:
    """Whether the watch date is to be told: not removed, its person still signs in and may
    still see the assignment."""
    if watch.is_cancelled or not active([watch.person_id]):
        return False
    return bool(permissions.can_view_assignment(watch.person, watch.assignment))


def send_at(watch: WatchDate) -> dt.datetime:
    """When its reminder goes out: the policy's hour of what it is about, on its day or, if that
    is no working day, the next working day."""
    subject = watch.milestone.kind if watch.milestone_id else DELIVERY_SUBJECT
    policy = ReminderPolicy.for_subject(subject)
    return at_hour(_working_day_on_or_after(watch.day), policy.send_hour)


def plan_for_watch_date(watch: WatchDate) -> tuple[int, int]:
    """Plan (or cancel) the one reminder of a watch date; returns (planned, cancelled)."""
    wanted = []
    if is_in_force(watch):
        wanted.append(
            Wanted(
                Reminder.Kind.WATCH_DATE,
                watch.person_id,
                watch.day.isoformat(),
                0,
                send_at(watch),
                watch.day,
            )
        )
    return sync(
        subject_key=watch_key(watch),
        kinds=KINDS,
        wanted=wanted,
        links={"assignment": watch.assignment, "milestone": watch.milestone, "watch_date": watch},
    )


def replan_watch_dates(assignment: Assignment) -> None:
    """The assignment's watch dates still to come, after a change of the assignment (who may
    see it): one query when there are none."""
    watches = WatchDate.objects.filter(
        assignment=assignment, cancelled_at__isnull=True, day__gte=timezone.localdate()
    ).select_related("person", "assignment", "milestone")
    for watch in watches:
        plan_for_watch_date(watch)


def still_due(reminder: Reminder) -> bool:
    """At send time: the watch date is in force, on the day the reminder was planned for."""
    watch = reminder.watch_date
    return (
        watch is not None and watch.day.isoformat() == reminder.due_version and is_in_force(watch)
    )


# -- reads -------------------------------------------------------------------------------------


def open_watch_dates(person: User, today: dt.date) -> QuerySet[WatchDate]:
    """The person's own watch dates from today on, not removed, on assignments they may still
    see, soonest first: the start page, the assignment's "Påminn mig" page, the calendar feed."""
    return (
        WatchDate.objects.filter(person=person, cancelled_at__isnull=True, day__gte=today)
        .filter(assignment__in=permissions.visible_assignments(person).values("pk"))
        .select_related("assignment", "milestone")
        .order_by("day", "pk")
    )
