"""What the importer read from an uppdragshandling: each field with the line it came from and
whether a person should look at it (`uncertain`, with the reason), so a review page can show
every field beside its source text. `as_contract()` is the command line's JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from assignments.periods import Period

T = TypeVar("T")


@dataclass
class Found(Generic[T]):
    """One value and where it stands: `line` indexes ParsedDocument.lines (from 0)."""

    value: T
    line: int | None = None
    uncertain: bool = False
    reason: str = ""


@dataclass
class Person:
    """A person (or a body, "Läkemedelskommitténs ordförande") as the document names them,
    with the role (working group) or note (distribution) written beside the name."""

    name: str
    line: int | None = None
    role: str = ""
    note: str = ""
    uncertain: bool = False
    reason: str = ""


@dataclass
class Row:
    """One activity of the tidplan and its period as written."""

    title: str
    period: Period
    line: int | None = None
    kind: str = "other"  # Milestone.Kind, guessed from the title

    @property
    def uncertain(self) -> bool:
        return self.period.needs_review


@dataclass
class Relation:
    """One line of "Samband och gränsdragning"."""

    text: str
    kind: str  # AssignmentRelation.Kind
    reference: str = ""  # a registration number named in the text
    line: int | None = None


@dataclass
class Superseded:
    title: str | None
    date: dt.date | None


@dataclass
class Warning:
    """Something a person should check: a missing section, a guessed year, a spelling."""

    message: str
    field: str = ""
    line: int | None = None


@dataclass
class ParsedDocument:
    lines: list[str]
    registration_number: Found[str] | None = None
    date: Found[dt.date] | None = None
    title: Found[str] | None = None
    issuing_unit: Found[str] | None = None
    commissioners: list[Person] = field(default_factory=list)
    decision_makers: list[Person] = field(default_factory=list)
    decision_makers_label: Found[str] | None = None
    assignee: Person | None = None
    project_lead: Person | None = None
    supersedes: Found[Superseded] | None = None
    description: Found[str] | None = None
    purpose: Found[str] | None = None
    scope: list[Found[str]] = field(default_factory=list)
    requirements: list[Found[str]] = field(default_factory=list)
    working_group: list[Person] = field(default_factory=list)
    working_group_note: Found[str] | None = None
    relations: list[Relation] = field(default_factory=list)
    communication: Found[str] | None = None
    schedule_note: Found[str] | None = None
    milestones: list[Row] = field(default_factory=list)
    delivery_due: Found[dt.date] | None = None
    costs_and_financing: Found[str] | None = None
    decision_form: Found[str] | None = None
    execution: list[Person] = field(default_factory=list)
    information: list[Person] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    # A name spelled two ways in the document: the rarer spelling → the usual one (checks.py).
    same_person: dict[str, str] = field(default_factory=dict)
    # A PDF's page of each line (from 1), and the pages that were scans read by OCR.
    line_pages: list[int | None] = field(default_factory=list)
    scanned_pages: frozenset[int] = frozenset()

    def scanned_page(self, line: int | None) -> int | None:
        """The page a line was read from by OCR, if it was."""
        if line is None or line >= len(self.line_pages):
            return None
        page = self.line_pages[line]
        return page if page in self.scanned_pages else None

    def warn(self, message: str, *, field: str = "", line: int | None = None) -> None:
        self.warnings.append(Warning(message, field, line))

    def people(self) -> list[tuple[str, Person]]:
        """Every person named, with the field naming them, in the document's order."""
        named: list[tuple[str, Person]] = [("commissioners", p) for p in self.commissioners]
        named += [("assignee", p) for p in [self.assignee] if p]
        named += [("working_group", p) for p in self.working_group]
        named += [("project_lead", p) for p in [self.project_lead] if p]
        named += [("decision_makers", p) for p in self.decision_makers]
        named += [("execution", p) for p in self.execution]
        named += [("information", p) for p in self.information]
        return named

    def as_contract(self) -> dict[str, Any]:
        """The JSON object of `import_uppdragshandling --json`: exactly these keys, names as
        the document writes them, dates ISO or null."""
        supersedes = self.supersedes.value if self.supersedes else None
        return {
            "registration_number": _value(self.registration_number),
            "date": _iso(_value(self.date)),
            "title": _value(self.title),
            "issuing_unit": _value(self.issuing_unit),
            "commissioners": [p.name for p in self.commissioners],
            "decision_makers": [p.name for p in self.decision_makers],
            "assignee": self.assignee.name if self.assignee else None,
            "project_lead": self.project_lead.name if self.project_lead else None,
            "supersedes": (
                {"title": supersedes.title, "date": _iso(supersedes.date)} if supersedes else None
            ),
            "working_group": [{"name": p.name, "role": p.role} for p in self.working_group],
            "milestones": [
                {
                    "title": row.title,
                    "period_label": row.period.label,
                    "start": _iso(row.period.start),
                    "due": _iso(row.period.due),
                    "needs_review": row.period.needs_review,
                }
                for row in self.milestones
            ],
            "delivery_due": _iso(_value(self.delivery_due)),
            "distribution": {
                "execution": [{"name": p.name, "note": p.note} for p in self.execution],
                "information": [{"name": p.name, "note": p.note} for p in self.information],
            },
            "warnings": [w.message for w in self.warnings],
        }


def _value(found: Found | None):
    return found.value if found is not None else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
