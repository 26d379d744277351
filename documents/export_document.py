"""An uppdragshandling regenerated from live data, in the layout of seed 004, as blocks that the
PDF (export_pdf.py) and Word (export_docx.py) writers lay out the same way.

The document is Swedish whatever language its reader uses the site in: it is the record, in
the order and with the headings of the real document (seed 004), so that the importer reads it
back. Where the seed writes a field on one line ("Uppdragsgivare: Anders Kullbratt och Per
Albertsson") so does the export. The text is plain: the writers, not this module, make it safe
for their format (reportlab's Paragraph parses markup; Word takes text as text).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Prefetch

from assignments.models import (
    Assignment,
    AssignmentItem,
    AssignmentRelation,
    AuditEntry,
    Decision,
    Distribution,
    Milestone,
    User,
    WorkingGroupMember,
)

# What the seed writes where no decision has been made yet.
DECISION_DATE_PLACEHOLDER = "ÅÅÅÅ-MM-DD (ifylls av beslutfattaren vid godkännande)"
# Months as Swedish documents write them in a tidplan ("Juni – aug 2025", "Sep – okt 2025").
MONTHS = ("jan", "feb", "mars", "april", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec")
# Control characters other than tab and line breaks: no format takes them (Word's XML refuses
# them outright), and nobody means them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 0: the document's title


@dataclass(frozen=True)
class Text:
    """A paragraph; `emphasis` sets it in bold (the issuing unit, as in the letterhead)."""

    text: str
    emphasis: bool = False


@dataclass(frozen=True)
class Field:
    """One field on its own line: "Uppdragsgivare: …" (or "Datum 2025-08-12", separator " ")."""

    label: str
    value: str
    separator: str = ": "


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Heading | Text | Field | Bullets | Table


@dataclass
class ExportedDocument:
    """The blocks in the document's order, and what a file needs around them."""

    registration_number: str
    title: str
    document_date: dt.date
    issuing_unit: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def filename_stem(self) -> str:
        """ "uppdragshandling-RS-2024-05699-2025-08-12": ASCII only, nothing a header or a file
        system reads specially (two versions share a Dnr; their dates tell them apart)."""
        ascii_number = unicodedata.normalize("NFKD", self.registration_number)
        number = re.sub(r"[^A-Za-z0-9]+", "-", ascii_number).strip("-") or "utan-dnr"
        return f"uppdragshandling-{number}-{self.document_date.isoformat()}"

    @property
    def footer(self) -> str:
        return f"Dnr {self.registration_number}"


def clean_text(value) -> str:
    """The value as text a document can hold: control characters removed, line breaks kept."""
    text = "" if value is None else str(value)
    return CONTROL_CHARACTERS.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def paragraphs(value) -> list[str]:
    """A text field's paragraphs (separated by an empty line), each kept with its line breaks."""
    return [p.strip() for p in re.split(r"\n\s*\n", clean_text(value)) if p.strip()]


def names(people) -> str:
    """ "Anders Kullbratt och Per Albertsson", as the seed names two or more people."""
    listed = [clean_text(p) for p in people]
    if len(listed) < 2:
        return "".join(listed)
    return ", ".join(listed[:-1]) + " och " + listed[-1]


def _month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


def period_text(start: dt.date, due: dt.date) -> str:
    """A period the way a tidplan writes it: "Nov 2025", "Juni – aug 2025", "Nov 2025 – feb
    2026" for whole months; "2025-11-03 – 2026-01-15" for anything else."""
    if start.day != 1 or not _month_end(due) or due < start:
        return f"{start.isoformat()} – {due.isoformat()}"
    first, last = MONTHS[start.month - 1], MONTHS[due.month - 1]
    if (start.year, start.month) == (due.year, due.month):
        return f"{first.capitalize()} {start.year}"
    if start.year == due.year:
        return f"{first.capitalize()} – {last} {due.year}"
    return f"{first.capitalize()} {start.year} – {last} {due.year}"


def load(assignment: Assignment) -> Assignment:
    """The assignment with everything the document shows, in a fixed number of queries."""
    return (
        Assignment.objects.select_related(
            "issuing_unit__parent__parent", "assignee", "project_lead", "supersedes"
        )
        .prefetch_related(
            Prefetch("items", queryset=AssignmentItem.objects.order_by("kind", "position", "pk")),
            Prefetch(
                "working_group",
                queryset=WorkingGroupMember.objects.filter(is_active=True)
                .select_related("person")
                .order_by("position", "pk"),
            ),
            Prefetch(
                "relations",
                queryset=AssignmentRelation.objects.select_related(
                    "target_assignment", "target_group"
                ).order_by("position", "pk"),
            ),
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related("responsible").order_by(
                    "position", "start", "pk"
                ),
            ),
            Prefetch(
                "distribution",
                queryset=Distribution.objects.select_related("person").order_by("position", "pk"),
            ),
        )
        .get(pk=assignment.pk)
    )


def listed_people(assignment: Assignment, relation: str) -> list[User]:
    """The commissioners or decision-makers in the order they were registered, which is the
    document's ("Anders Kullbratt och Per Albertsson"), not the alphabet's."""
    through = getattr(Assignment, relation).through
    return [
        row.user
        for row in through.objects.filter(assignment=assignment)
        .select_related("user")
        .order_by("pk")
    ]


def _decision(assignment: Assignment) -> Decision | None:
    try:
        return Decision.objects.get(assignment=assignment)
    except Decision.DoesNotExist:
        return None


def _region_of(unit) -> str:
    """The top of the issuing unit's tree ("Västra Götalandsregionen"), if it is another unit."""
    top = unit
    while top.parent_id is not None and top.parent is not None:
        top = top.parent
    return top.name if top.pk != unit.pk else ""


def relation_text(relation) -> str:
    """A line of "Samband och gränsdragning": its text, or what it points to."""
    if relation.text.strip():
        return clean_text(relation.text)
    parts = [str(relation.get_kind_display())]
    if relation.target_group is not None:
        parts.append(relation.target_group.name)
    if relation.target_assignment is not None:
        target = relation.target_assignment
        parts.append(f"{target.title} (diarienummer {target.registration_number})")
    elif relation.target_reference:
        parts.append(f"(diarienummer {relation.target_reference})")
    return clean_text(" ".join(parts))


def _timeline(assignment: Assignment) -> tuple[tuple[str, str], ...]:
    """Aktivitet | Tidplan as the document writes it; a period whose due date moved since it
    was written (or that has none) is written from the milestone's dates as they are now."""
    moved = set(
        AuditEntry.objects.filter(assignment=assignment, action="milestone.due_moved").values_list(
            "object_id", flat=True
        )
    )
    rows = []
    for milestone in assignment.milestones.all():
        label = clean_text(milestone.period_label)
        if not label or str(milestone.pk) in moved:
            label = period_text(milestone.start, milestone.due)
        rows.append((clean_text(milestone.title), label))
    return tuple(rows)


def _header(a: Assignment, blocks: list[Block]) -> None:
    blocks.append(Heading("Uppdragshandling", level=0))
    blocks.append(Field("Datum", a.document_date.isoformat(), separator=" "))
    blocks.append(Field("Diarienummer", clean_text(a.registration_number), separator=" "))
    if region := _region_of(a.issuing_unit):
        blocks.append(Text(clean_text(region)))
    blocks.append(Text(clean_text(a.issuing_unit.name), emphasis=True))
    blocks.append(Field("Uppdrag", clean_text(a.title)))
    blocks.append(Field("Uppdragsgivare", names(listed_people(a, "commissioners"))))
    blocks.append(Field("Beslutsfattare", names(listed_people(a, "decision_makers"))))
    blocks.append(Field("Uppdragstagare", clean_text(a.assignee)))
    if a.project_lead_id:
        blocks.append(Field("Projektledare", clean_text(a.project_lead)))
    if a.supersedes_id:
        old = a.supersedes
        blocks.append(
            Text(
                "Observera: denna uppdragshandling ersätter tidigare uppdragshandling benämnd "
                f'"{clean_text(old.title)}", daterad {old.document_date.isoformat()}.'
            )
        )


def _body(a: Assignment, blocks: list[Block]) -> None:
    items = list(a.items.all())
    scope = tuple(clean_text(i.text) for i in items if i.kind == AssignmentItem.Kind.SCOPE)
    requirements = tuple(
        clean_text(i.text) for i in items if i.kind == AssignmentItem.Kind.REQUIREMENT
    )
    description = paragraphs(a.description) + paragraphs(a.purpose)
    if description or scope or requirements:
        blocks.append(Heading("Uppdragsbeskrivning"))
        blocks += [Text(p) for p in description]
    if scope:
        blocks += [Text("Uppdraget innefattar följande:"), Bullets(scope)]
    if requirements:
        blocks += [Text("Uppdraget ska:"), Bullets(requirements)]

    members = [
        f"{clean_text(m.person)}, {clean_text(m.role)}" if m.role.strip() else clean_text(m.person)
        for m in a.working_group.all()
    ]
    note = paragraphs(a.working_group_note)
    if members or a.project_lead_id or note:
        blocks.append(Heading("Arbetsorganisation"))
    if members:
        blocks += [Text("Arbetsgruppen utgörs av följande personer:"), Bullets(tuple(members))]
    if a.project_lead_id:
        blocks.append(Text(f"Sammanställande och projektledare: {clean_text(a.project_lead)}."))
    blocks += [Text(p) for p in note]

    relations = tuple(relation_text(r) for r in a.relations.all())
    if relations:
        blocks += [
            Heading("Samband och gränsdragning till andra uppdrag och pågående arbete"),
            Bullets(relations),
        ]
    if communication := paragraphs(a.communication):
        blocks.append(Heading("Kommunikation"))
        blocks += [Text(p) for p in communication]


def _schedule(a: Assignment, blocks: list[Block]) -> None:
    note = paragraphs(a.schedule_note)
    rows = _timeline(a)
    if not (note or rows or a.delivery_due):
        return
    blocks.append(Heading("Tidplan"))
    blocks += [Text(p) for p in note]
    due = a.delivery_due.isoformat() if a.delivery_due else ""
    if due and due not in clean_text(a.schedule_note):
        # the seed says it in the note ("slutleverans senast 2025-12-01"); when the note does
        # not give today's date, the document says it itself
        blocks.append(Field("Slutleverans senast", due))
    if rows:
        blocks.append(Table(("Aktivitet", "Tidplan"), rows))


def _decision_and_distribution(a: Assignment, blocks: list[Block]) -> None:
    if costs := paragraphs(a.costs_and_financing):
        blocks.append(Heading("Kostnader och finansiering"))
        blocks += [Text(p) for p in costs]
    blocks.append(Heading("Form för beslut när uppdraget är klart"))
    blocks += [Text(p) for p in paragraphs(a.decision_form)]
    decision = _decision(a)
    if decision is None:
        blocks.append(Field("Datum för beslut", DECISION_DATE_PLACEHOLDER))
    else:
        blocks.append(Field("Datum för beslut", decision.decided_on.isoformat()))
        if reference := clean_text(decision.paragraph_reference):
            reference = reference if reference.startswith("§") else f"§ {reference}"
            blocks.append(Field("Paragraf", reference))
    if deciders := names(listed_people(a, "decision_makers")):
        blocks.append(Text(deciders))
    if label := clean_text(a.decision_makers_label):
        blocks.append(Text(label))

    def listed(purpose):
        return tuple(
            f"{clean_text(d.person)} {clean_text(d.note)}".strip()
            for d in a.distribution.all()
            if d.purpose == purpose
        )

    execution = listed(Distribution.Purpose.EXECUTION)
    information = listed(Distribution.Purpose.INFORMATION)
    if execution or information:
        blocks.append(Heading("Uppdraget skickas till"))
    if execution:
        blocks += [Text("För genomförande:"), Bullets(execution)]
    if information:
        blocks += [Text("För kännedom:"), Bullets(information)]


def build(assignment: Assignment) -> ExportedDocument:
    """The uppdragshandling of `assignment` as it stands now, block by block in seed 004's
    order: header, description, working organisation, relations, communication, timeline,
    costs, decision form and date, distribution."""
    a = load(assignment)
    document = ExportedDocument(
        registration_number=clean_text(a.registration_number),
        title=clean_text(a.title),
        document_date=a.document_date,
        issuing_unit=clean_text(a.issuing_unit.name),
    )
    _header(a, document.blocks)
    _body(a, document.blocks)
    _schedule(a, document.blocks)
    _decision_and_distribution(a, document.blocks)
    return document
