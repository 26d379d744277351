"""An uppdragshandling's text → its fields (ParsedDocument), for the kind of document, not one
file: labels wherever a line or table cell starts with them (labels.py), sections by their
headings in any order (sections.py), the body (body.py), the tidplan (timeline.py); whatever is
missing becomes a warning (checks.py), never an error."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from documents.importer import body, checks, decision, timeline
from documents.importer.labels import bare_label, cells_of, date_in, label_of, read_labels
from documents.importer.result import Found, ParsedDocument, Superseded
from documents.importer.sections import Layout, split_sections
from documents.importer.text import NotAnAssignmentDocument

REGION = re.compile(
    r"^(?:västra götalandsregionen|region\s+\w+(?:\s+län)?|\w+regionen|landstinget\s+\w+"
    r"(?:\s+län)?)\b",
    re.I,
)


def parse_text(lines: list[str], *, today: dt.date | None = None) -> ParsedDocument:
    """The fields of an uppdragshandling from its lines (formats.extract_lines)."""
    layout = split_sections(lines)
    if not is_assignment_document(lines, layout):
        raise NotAnAssignmentDocument(
            _(
                "Filen ser inte ut som en uppdragshandling: den saknar uppdragsgivare, "
                "uppdragstagare, diarienummer eller tidplan."
            )
        )
    document = ParsedDocument(lines=lines)
    read_labels(document, lines, layout)
    _issuing_unit(document, layout)
    _supersedes(document, lines, layout)
    body.read_description(document, layout)
    body.read_lists(document, layout)
    body.read_working_group(document, layout)
    body.read_relations(document, layout)
    document.communication = body.section_text(layout, "communication")
    document.costs_and_financing = body.section_text(layout, "costs")
    timeline.read_timeline(document, layout)
    decision.read_decision(document, lines, layout)
    body.read_distribution(document, layout)
    checks.warn_missing(document, layout)
    checks.warn_spellings(document)
    if today is not None:
        checks.warn_past_deadlines(document, today)
    return document


# -- is it one at all ------------------------------------------------------------------------------


def is_assignment_document(lines: list[str], layout: Layout) -> bool:
    """An uppdragshandling names its parties and has a few of its sections or header fields."""
    cells = [cell for line in lines for cell in cells_of(line)]
    found = {key for cell in cells for key, _v in [label_of(cell) or (None, None)] if key}
    found |= {key for cell in cells if (key := bare_label(cell)) and key != "title"}
    marker = any(
        line.strip().casefold().startswith("uppdragshandling") and len(line) < 120 for line in lines
    )
    parties = bool({"commissioners", "assignee"} & found)
    score = 2 * marker + len(found & {"commissioners", "assignee", "registration_number", "title"})
    score += len(set(layout.sections) & {"description", "timeline", "working_group", "scope"})
    score += "distribution" in layout.sections or "execution" in layout.sections
    return parties and score >= 4


# -- header ----------------------------------------------------------------------------------------


def _issuing_unit(document: ParsedDocument, layout: Layout) -> None:
    """The unit in the letterhead: "Västra Götalandsregionen | Koncernkontoret" gives the
    unit, the region's own name only when nothing else stands there."""
    if document.issuing_unit is not None:
        return
    regions: list[tuple[int, str]] = []
    for index, line in layout.header:
        if index in layout.dropped or _is_known_line(document, index):
            continue
        cells = cells_of(line)
        for position, cell in enumerate(cells):
            if label_of(cell) or bare_label(cell) or len(cell) > 80:
                continue
            if position and _is_label_cell(cells[position - 1]):
                continue  # the value of the label before it
            if cell.endswith(".") or ":" in cell:
                continue
            if cell.casefold().startswith("uppdragshandling") or not re.search(
                r"[A-Za-zÅÄÖåäö]", cell
            ):
                continue
            region = REGION.match(cell)
            if region and cell[region.end() :].strip():
                document.issuing_unit = Found(cell[region.end() :].strip(" ,–-"), index)
                return
            if region:
                regions.append((index, cell))
                continue
            document.issuing_unit = Found(cell, index, uncertain=not regions)
            return
    if regions:
        index, cell = regions[0]
        document.issuing_unit = Found(cell, index, uncertain=True)


def _is_label_cell(cell: str) -> bool:
    labelled = label_of(cell)
    return bool(bare_label(cell)) or (labelled is not None and not labelled[1])


def _is_known_line(document: ParsedDocument, index: int) -> bool:
    used = [document.title, document.registration_number, document.date, document.assignee]
    used += document.commissioners + document.decision_makers
    return any(found is not None and found.line == index for found in used)


def _supersedes(document: ParsedDocument, lines: list[str], layout: Layout) -> None:
    """ "… ersätter tidigare uppdragshandling benämnd "…", daterad 2025-06-18.", read from
    the paragraph, which a PDF may have wrapped over several lines."""
    paragraphs = body.paragraphs(list(enumerate(lines)), layout)
    for paragraph in paragraphs:
        index, line = paragraph.line, paragraph.value
        folded = line.casefold()
        if "ersätter" not in folded or "uppdragshandling" not in folded:
            continue
        sentence = line[folded.index("ersätter") :]
        quoted = re.search(r"[\"”“„«']([^\"”“„«»']{3,})[\"”“»']", sentence)
        title = quoted.group(1).strip() if quoted else None
        after_title = sentence[quoted.end() :] if quoted else sentence
        day = date_in(after_title) or date_in(sentence)
        uncertain = title is None or day is None
        document.supersedes = Found(
            Superseded(title, day),
            index,
            uncertain=uncertain,
            reason=_("Den ersatta handlingens titel eller datum kunde inte läsas.")
            if uncertain
            else "",
        )
        return
