"""The återrapportering (board follow-up report): what happened to the assignments of a
commissioner, an organisational unit or a region-wide group over a period.

For every assignment of the scope that was active in the period: its state, its milestones
(status, the due date as registered in the tidplan, every move of it with its reason), its
deviations (late milestones, a late final delivery, moved due dates, returned deliveries with
the return comment) and the decisions made (adoption, each decision-maker's answer).

Where each fact is recorded: a due date's move is an audit entry (`milestone.due_moved` from
workflow.services.move_milestone_due, a final delivery's from the admin's audited correction);
a return and an approval are Approval rows; a milestone's completion is a MilestoneUpdate;
an adoption and a closing are audit entries. build() reads each kind once for all the
assignments of the report (a fixed number of queries, however many assignments), and only
assignments the reader may read (permissions.visible_assignments).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments import audit, permissions
from assignments.models import (
    Approval,
    Assignment,
    AuditEntry,
    Delivery,
    Milestone,
    MilestoneUpdate,
    User,
)

from .rows import (
    CLOSED_STATES,
    AssignmentReport,
    DecisionRow,
    Deviation,
    MilestoneRow,
    Move,
    Report,
    Scope,
)

# -- reading it ----------------------------------------------------------------------------------


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def active_in(start: dt.date, end: dt.date) -> QuerySet[Assignment]:
    """The assignments active in the period: written by its end, adopted (a draft is nobody's
    commission yet, nor is a draft cancelled or replaced before its adoption), not closed
    before its start (when it closed is in the audit trail)."""
    closed = AuditEntry.objects.filter(
        assignment=OuterRef("pk"),
        action="assignment.state_changed",
        after__state__in=list(CLOSED_STATES),
    ).order_by("-occurred_at", "-pk")
    return (
        Assignment.objects.filter(document_date__lte=end)
        .exclude(state=Assignment.State.DRAFT)
        .annotate(
            closed_at=Subquery(closed.values("occurred_at")[:1]),
            closed_as_draft=Exists(closed.filter(before__state=Assignment.State.DRAFT)),
        )
        .exclude(state__in=CLOSED_STATES, closed_at__date__lt=start)
        .exclude(state__in=CLOSED_STATES, closed_as_draft=True)
    )


def assignments_in(user, scope: Scope, start: dt.date, end: dt.date) -> QuerySet[Assignment]:
    """The assignments of the scope active in the period (active_in) that the user may read."""
    return (
        active_in(start, end)
        .filter(scope.filter(), pk__in=permissions.visible_assignments(user).values("pk"))
        .select_related("issuing_unit", "assignee", "decision")
        .prefetch_related(
            Prefetch("commissioners", queryset=User.objects.order_by("last_name", "first_name"))
        )
        .order_by("registration_number", "document_date", "pk")
    )


def build(user, scope: Scope, start: dt.date, end: dt.date, today: dt.date | None = None) -> Report:
    """The report of the scope over start–end as `user` may read it, extracted `today`."""
    today = today or timezone.localdate()
    # Late is judged on the period's last day, or today while the period is still running.
    as_of = min(end, today)
    assignments = list(assignments_in(user, scope, start, end))
    ids = [a.pk for a in assignments]
    reports = {a.pk: AssignmentReport(a) for a in assignments}

    moves = _moves(ids)
    _add_milestones(reports, moves, start, end, as_of)
    _add_delivery_deviations(reports, moves, start, end, as_of)
    _add_answers(reports, start, end)
    _add_adoptions(reports, start, end)
    for report in reports.values():
        report.deviations.sort(key=lambda d: (d.on, d.kind_label, d.what))
        report.decisions.sort(key=lambda d: d.on)
    return Report(scope, start, end, today, list(reports.values()))


def _moves(ids: list[int]) -> dict[tuple[str, int], list[Move]]:
    """Every move of a due date of these assignments, oldest first, by (kind, object id):
    ("milestone", pk) or ("assignment", pk). All of them, not only the period's: the first
    one tells the due date as registered."""
    entries = (
        AuditEntry.objects.filter(assignment_id__in=ids)
        .filter(
            Q(action="milestone.due_moved")
            | Q(
                object_type="assignments.Assignment",
                before__has_key="delivery_due",
                after__has_key="delivery_due",
            )
        )
        .select_related("actor")
        .order_by("occurred_at", "pk")
    )
    # A draft's corrections are no moves: the tidplan is in force from the adoption on (the
    # entries' order, not their time: a frozen or coarse clock gives both the same moment).
    adopted = dict(
        AuditEntry.objects.filter(assignment_id__in=ids, action="assignment.adopted")
        .values("assignment_id")
        .annotate(first=Min("pk"))
        .values_list("assignment_id", "first")
    )
    moves: dict[tuple[str, int], list[Move]] = {}
    for entry in entries:
        if entry.pk < adopted.get(entry.assignment_id, entry.pk):
            continue
        # What the entry changed, not what it holds: a save that kept the date is no move
        # (entries written before 2026-12 hold whole snapshots).
        if entry.action == "milestone.due_moved":
            key, (before, after) = ("milestone", int(entry.object_id)), _change(entry, "due")
        else:
            key, (before, after) = (
                ("assignment", entry.assignment_id),
                _change(entry, "delivery_due"),
            )
        if not (before and after):
            continue  # unchanged, or a final delivery date set or cleared, not moved
        moves.setdefault(key, []).append(
            Move(
                what=entry.object_repr if key[0] == "milestone" else _("Slutleverans"),
                from_due=dt.date.fromisoformat(before),
                to_due=dt.date.fromisoformat(after),
                reason=entry.reason,
                by=str(entry.actor) if entry.actor_id else _("Systemet"),
                on=_day(entry.occurred_at),
            )
        )
    return moves


def _change(entry: AuditEntry, name: str) -> tuple:
    return audit.changes(entry).get(name, (None, None))


def _moved(report: AssignmentReport, move: Move, start: dt.date, end: dt.date) -> None:
    if start <= move.on <= end:
        report.deviations.append(
            Deviation(
                report.assignment,
                "moved",
                move.what,
                move.on,
                _("från %(from)s till %(to)s") % {"from": move.from_due, "to": move.to_due},
                move.reason,
                move.by,
            )
        )


def _add_milestones(reports, moves, start: dt.date, end: dt.date, as_of: dt.date) -> None:
    ids = list(reports)
    milestones = Milestone.objects.filter(assignment_id__in=ids).order_by(
        "assignment_id", "position", "start", "pk"
    )
    done_on = {}
    completions = (
        MilestoneUpdate.objects.filter(
            milestone__assignment_id__in=ids, to_status=Milestone.Status.DONE
        )
        .order_by("created_at", "pk")
        .values_list("milestone_id", "created_at")
    )
    for milestone_id, created_at in completions:
        done_on[milestone_id] = _day(created_at)  # the last completion counts (reopened)
    for milestone in milestones:
        report = reports[milestone.assignment_id]
        milestone.assignment = report.assignment  # loaded already
        its_moves = moves.get(("milestone", milestone.pk), [])
        done = done_on.get(milestone.pk) if milestone.status == Milestone.Status.DONE else None
        row = MilestoneRow(
            milestone,
            its_moves[0].from_due if its_moves else milestone.due,
            its_moves,
            done,
            _late_days(milestone, done, start, as_of),
        )
        report.milestones.append(row)
        for move in its_moves:
            _moved(report, move, start, end)
        if row.is_late:
            if done:
                detail = _("Klar senast %(due)s, klar %(done)s (%(days)d dagar sent)") % {
                    "due": milestone.due,
                    "done": done,
                    "days": row.late_days,
                }
            else:
                detail = _("Klar senast %(due)s, %(days)d dagar sen (%(status)s)") % {
                    "due": milestone.due,
                    "days": row.late_days,
                    "status": milestone.status_label,
                }
            report.deviations.append(
                Deviation(
                    report.assignment, "late_milestone", milestone.title, milestone.due, detail
                )
            )


def _late_days(milestone: Milestone, done: dt.date | None, start: dt.date, as_of: dt.date) -> int:
    """Days late by the period's end: open past its due date in a tidplan in force, or done
    (in the period or after it) later than its due date."""
    if milestone.status == Milestone.Status.CANCELLED:
        return 0
    if milestone.status == Milestone.Status.DONE:
        if done is None or done < start:
            return 0
        return max(0, (min(done, as_of) - milestone.due).days)
    if not milestone.is_overdue(as_of):
        return 0
    return (as_of - milestone.due).days


def _add_delivery_deviations(reports, moves, start: dt.date, end: dt.date, as_of: dt.date):
    first_submitted = dict(
        Delivery.objects.filter(assignment_id__in=list(reports), number=1)
        .order_by()
        .values_list("assignment_id", "submitted_at")
    )
    for report in reports.values():
        assignment = report.assignment
        for move in moves.get(("assignment", assignment.pk), []):
            _moved(report, move, start, end)
        due = assignment.delivery_due
        if not due:
            continue
        submitted = first_submitted.get(assignment.pk)
        submitted_on = _day(submitted) if submitted else None
        if submitted_on is not None:
            if submitted_on < start or submitted_on <= due or due >= as_of:
                continue
            days = (min(submitted_on, as_of) - due).days
            detail = _("Senast %(due)s, lämnad %(on)s (%(days)d dagar sent)") % {
                "due": due,
                "on": submitted_on,
                "days": days,
            }
        elif assignment.is_delivery_overdue(as_of):
            detail = _("Senast %(due)s, inte lämnad (%(days)d dagar sen)") % {
                "due": due,
                "days": (as_of - due).days,
            }
        else:
            continue
        report.deviations.append(
            Deviation(assignment, "late_delivery", _("Slutleverans"), due, detail)
        )


def _add_answers(reports, start: dt.date, end: dt.date) -> None:
    """Each decision-maker's answer in the period: an approval is a decision, a return both a
    decision and a deviation (with the return comment)."""
    answers = (
        Approval.objects.filter(
            delivery__assignment_id__in=list(reports),
            verdict__in=[Approval.Verdict.APPROVED, Approval.Verdict.RETURNED],
            decided_on__range=(start, end),
        )
        .select_related("delivery", "decision_maker", "acted_by")
        .order_by("decided_on", "created_at", "pk")
    )
    for answer in answers:
        report = reports[answer.delivery.assignment_id]
        decision = getattr(report.assignment, "decision", None)
        final = decision is not None and decision.delivery_id == answer.delivery_id
        outcome = answer.get_verdict_display()
        if final and answer.verdict == Approval.Verdict.APPROVED:
            outcome = _("Godkänd (beslut %(on)s)") % {"on": decision.decided_on}
        report.decisions.append(
            DecisionRow(
                report.assignment,
                answer.decided_on,
                answer.answered_by,
                _("Slutleverans %(number)d: %(outcome)s")
                % {"number": answer.delivery.number, "outcome": outcome},
                answer.paragraph_reference,
                answer.comment,
            )
        )
        if answer.verdict == Approval.Verdict.RETURNED:
            report.deviations.append(
                Deviation(
                    report.assignment,
                    "returned",
                    _("Slutleverans %(number)d") % {"number": answer.delivery.number},
                    answer.decided_on,
                    _("Återremitterad"),
                    answer.comment,
                    answer.answered_by,
                )
            )


def _add_adoptions(reports, start: dt.date, end: dt.date) -> None:
    """The adoption (fastställelse) of an assignment in the period: the commission's decision."""
    adoptions = (
        AuditEntry.objects.filter(
            assignment_id__in=list(reports),
            action="assignment.adopted",
            occurred_at__date__range=(start, end),
        )
        .select_related("actor")
        .order_by("occurred_at", "pk")
    )
    for entry in adoptions:
        report = reports[entry.assignment_id]
        report.decisions.append(
            DecisionRow(
                report.assignment,
                _day(entry.occurred_at),
                str(entry.actor) if entry.actor_id else _("Systemet"),
                _("Uppdraget fastställt"),
                comment=entry.reason,
            )
        )


# -- for the monthly mail ------------------------------------------------------------------------


def previous_month(day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar month before the one `day` is in, as (first day, last day)."""
    end = day.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def commissioners_with_reports(start: dt.date, end: dt.date) -> QuerySet[User]:
    """Active people with an e-mail address who want the monthly report and commission an
    assignment active in the period (a report with nothing in it is not sent). A commissioner
    may read every assignment they commission, so their report holds all of these."""
    commissioning = Assignment.commissioners.through.objects.filter(
        assignment__in=active_in(start, end).values("pk")
    ).values("user_id")
    return (
        User.objects.filter(is_active=True, wants_monthly_report=True, pk__in=commissioning)
        .exclude(email="")
        .order_by("pk")
    )
