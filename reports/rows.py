"""What a report holds: its scope, and a row for each assignment with its milestones,
deviations and decisions (read by reports/report.py, written out by reports/export_report.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assignments.models import (
    Assignment,
    Group,
    Milestone,
    OrgUnit,
    User,
)

# The states that end an assignment: one that ended before the period is not in its report.
CLOSED_STATES = (
    Assignment.State.DECIDED,
    Assignment.State.CANCELLED,
    Assignment.State.SUPERSEDED,
)


# -- scope ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose assignments: a commissioner's, an organisational unit's (with its sub-units) or a
    region-wide group's (carried out within it, or the group's own uppdragshandling)."""

    kind: str  # "commissioner", "unit" or "group"
    target: User | OrgUnit | Group

    @property
    def label(self) -> str:
        if self.kind == "commissioner":
            return _("Uppdragsgivare: %(name)s") % {"name": self.target}
        if self.kind == "unit":
            return _("Enhet: %(name)s") % {"name": self.target}
        return _("Grupp: %(name)s") % {"name": self.target}

    @property
    def value(self) -> str:
        """The scope as the form names it ("unit:12")."""
        return f"{self.kind}:{self.target.pk}"

    def filter(self) -> Q:
        if self.kind == "commissioner":
            return Q(pk__in=Assignment.objects.filter(commissioners=self.target).values("pk"))
        if self.kind == "unit":
            return Q(issuing_unit__in=unit_and_below(self.target))
        within = Assignment.objects.filter(
            Q(relations__target_group=self.target) | Q(defined_groups=self.target)
        ).values("pk")
        return Q(pk__in=within)


def unit_and_below(unit: OrgUnit) -> list[int]:
    """The unit and every unit under it (the tree is small: read whole, once)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in OrgUnit.objects.order_by().values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = [], [unit.pk]
    while todo:
        pk = todo.pop()
        found.append(pk)
        todo.extend(children.get(pk, []))
    return found


# -- what the report holds -----------------------------------------------------------------------


@dataclass
class Move:
    """A due date moved: of a milestone, or of the final delivery."""

    what: str
    from_due: dt.date
    to_due: dt.date
    reason: str
    by: str
    on: dt.date


@dataclass
class MilestoneRow:
    milestone: Milestone
    registered_due: dt.date  # as the tidplan had it, before any move
    moves: list[Move]
    done_on: dt.date | None
    late_days: int  # 0 unless late: open past its due date, or done after it

    @property
    def is_late(self) -> bool:
        return self.late_days > 0


@dataclass
class Deviation:
    assignment: Assignment
    kind: str  # one of DEVIATION_KINDS
    what: str
    on: dt.date
    detail: str
    reason: str = ""
    by: str = ""

    @property
    def kind_label(self) -> str:
        return str(DEVIATION_KINDS[self.kind])


@dataclass
class DecisionRow:
    assignment: Assignment
    on: dt.date
    decision_maker: str
    outcome: str
    paragraph: str = ""
    comment: str = ""


@dataclass
class AssignmentReport:
    assignment: Assignment
    milestones: list[MilestoneRow] = field(default_factory=list)
    deviations: list[Deviation] = field(default_factory=list)
    decisions: list[DecisionRow] = field(default_factory=list)


@dataclass
class Report:
    scope: Scope
    start: dt.date
    end: dt.date
    extracted_on: dt.date
    assignments: list[AssignmentReport]

    @property
    def deviations(self) -> list[Deviation]:
        return [d for a in self.assignments for d in a.deviations]

    @property
    def decisions(self) -> list[DecisionRow]:
        return [d for a in self.assignments for d in a.decisions]

    @property
    def filename(self) -> str:
        return f"aterrapportering-{self.start.isoformat()}-{self.end.isoformat()}"


DEVIATION_KINDS = {
    "late_milestone": gettext_lazy("Försenad milstolpe"),
    "late_delivery": gettext_lazy("Försenad slutleverans"),
    "moved": gettext_lazy("Flyttat slutdatum"),
    "returned": gettext_lazy("Återremitterad slutleverans"),
}
