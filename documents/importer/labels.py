"""Labels of an uppdragshandling's header, wherever a line or a table cell starts with one:
"Dnr RS 2024-05699", "Datum: 12 augusti 2025", "Uppdragsgivare: … och …", "Uppdragstagare:"
with its value in the next cell or on the next line."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from assignments.models import REGISTRATION_NUMBER_IN_TEXT
from assignments.periods import MONTH_WORDS
from documents.importer.people import looks_like_name, split_names
from documents.importer.result import Found, ParsedDocument, Person
from documents.importer.sections import Layout, heading_of

REGISTRATION_NUMBER = REGISTRATION_NUMBER_IN_TEXT
DATE = re.compile(
    r"\b(?P<iso>(?:19|20)\d\d-\d{1,2}-\d{1,2})\b"
    r"|\b(?P<day>\d{1,2})\s+(?P<month>[a-zåäö]+)\.?\s+(?P<year>(?:19|20)\d\d)\b",
    re.I,
)
# Labels that begin a line or a table cell; `colon` says whether the colon is required.
LABELS: list[tuple[str, str, bool]] = [
    ("registration_number", r"diarienummer|diarienr\.?|dnr\.?|diarie-nr", False),
    ("date", r"datum(?!\s+för\s+beslut)|daterad|upprättad", False),
    ("commissioners", r"uppdragsgivare|uppdragsgivarna|beställare", False),
    ("assignee", r"uppdragstagare|uppdragsansvarig", False),
    ("decision_makers", r"beslutsfattare|beslutfattare|beslutsfattarna", True),
    (
        "project_lead",
        r"(?:sammanställande och )?projektledare(?: och sammanställare)?|sammanställare",
        True,
    ),
    ("issuing_unit", r"utfärdande enhet|utfärdad av|avsändare|enhet|förvaltning", True),
    ("title", r"uppdrag|uppdragets (?:namn|titel|rubrik)|rubrik|benämning|ärende", True),
]
# Labels whose value is any text: read without a colon only from a table's next cell.
FREE_TEXT = ("title", "issuing_unit")
# Where a second label hides inside a cell: "… Per Albertsson Uppdragstagare: Jan Sträng".
INNER_LABEL = re.compile(
    r"\s+(?=(?:uppdragstagare|uppdragsgivare|beslutsfattare|diarienummer|dnr|datum)\s*:)", re.I
)


def cells_of(line: str) -> list[str]:
    cells = []
    for cell in line.split("\t"):
        cells.extend(part for part in INNER_LABEL.split(cell) if part.strip())
    return [cell.strip() for cell in cells]


def label_of(cell: str) -> tuple[str, str] | None:
    """(field, value) when the cell starts with a label; the value may be empty."""
    if cell.startswith("- "):
        return None
    for key, pattern, colon in LABELS:
        found = re.match(rf"^(?:{pattern})\s*:\s*(?P<value>.*)$", cell, re.I)
        if found:
            return key, found.group("value").strip()
        if colon:
            continue
        found = re.match(rf"^(?:{pattern})\s+(?P<value>\S.*)$", cell, re.I)
        if found and _plausible(key, found.group("value")):
            return key, found.group("value").strip()
    return None


def bare_label(cell: str) -> str | None:
    """The field of a cell that is a label and nothing else, without its colon: the label
    cell of a header table ("Datum" | "2025-08-12") or a label on a line of its own."""
    if cell.startswith("- ") or cell.endswith(":"):
        return None
    for key, pattern, _colon in LABELS:
        if re.fullmatch(rf"(?:{pattern})", cell.strip(), re.I):
            return key
    return None


def _plausible(key: str, value: str) -> bool:
    """A label without a colon is one only when its value is of its kind."""
    if key == "registration_number":
        return bool(REGISTRATION_NUMBER.match(value))
    if key == "date":
        return date_in(value) is not None and len(value) < 30
    return value[:1].isupper() and all(looks_like_name(n) for n in split_names(value))


def read_labels(document: ParsedDocument, lines: list[str], layout: Layout) -> None:
    taken: set[str] = set()
    for index, line in enumerate(lines):
        if index in layout.dropped:
            continue
        cells = cells_of(line)
        for position, cell in enumerate(cells):
            labelled = label_of(cell)
            if labelled is None:
                labelled = _bare(cells, position, lines, index)
            if labelled is None:
                continue
            key, value = labelled
            if key in taken:
                continue
            line_of_value = index
            if not value:
                if position + 1 < len(cells) and label_of(cells[position + 1]) is None:
                    value = cells[position + 1]
                else:
                    value, line_of_value = _next_value(lines, index)
            if not value:
                continue
            if key == "title":
                value = _title_with_continuation(value, lines, line_of_value)
            if _store(document, key, value, line_of_value):
                taken.add(key)


def _bare(cells: list[str], position: int, lines: list[str], index: int):
    """A label without its colon, its value in the next cell of the row (a header table) or
    on the next line, when the value is of the label's kind (a date, a Dnr, names)."""
    key = bare_label(cells[position])
    if key is None:
        return None
    if position + 1 < len(cells):
        value = cells[position + 1]
    else:
        value, _line = _next_value(lines, index)
    if not value or label_of(value) is not None or bare_label(value) is not None:
        return None
    if _plausible(key, value) or (key in FREE_TEXT and position + 1 < len(cells)):
        return key, value if position + 1 < len(cells) else ""
    return None


def _next_value(lines: list[str], index: int) -> tuple[str, int]:
    for following in range(index + 1, min(index + 3, len(lines))):
        text = lines[following].strip()
        if not text:
            continue
        if heading_of(text) or any(label_of(cell) for cell in cells_of(text)):
            return "", index
        return text, following
    return "", index


def _title_with_continuation(value: str, lines: list[str], index: int) -> str:
    """A title wrapped over lines (a PDF) goes on until a blank line, a label or a heading."""
    parts = [value]
    for following in range(index + 1, min(index + 4, len(lines))):
        text = lines[following].strip()
        if not text or "\t" in text or heading_of(text) or label_of(text):
            break
        if text.casefold().startswith(("observera", "obs")):
            break
        parts.append(text)
    return " ".join(parts)


def _store(document: ParsedDocument, key: str, value: str, line: int) -> bool:
    value = value.strip()
    if key == "registration_number":
        found = REGISTRATION_NUMBER.search(value)
        if not found:
            return False
        document.registration_number = Found(found.group(0), line)
    elif key == "date":
        day = date_in(value)
        if day is None:
            return False
        document.date = Found(day, line)
    elif key == "title":
        document.title = Found(value.rstrip(), line)
    elif key == "issuing_unit":
        document.issuing_unit = Found(value.rstrip("."), line)
    elif key == "assignee":
        names = split_names(value)
        document.assignee = Person(names[0], line) if names else None
        if len(names) > 1:
            document.assignee.uncertain = True
            document.assignee.reason = _("Flera uppdragstagare angivna: %(names)s.") % {
                "names": ", ".join(names)
            }
    elif key == "project_lead":
        names = split_names(value)
        if not names:
            return False
        document.project_lead = Person(names[0], line)
    else:  # commissioners, decision_makers
        people = [Person(name, line) for name in split_names(value)]
        if not people:
            return False
        setattr(document, key, people)
    return True


def date_in(text: str) -> dt.date | None:
    found = DATE.search(text)
    if not found:
        return None
    try:
        if found.group("iso"):
            return dt.date(*(int(part) for part in found.group("iso").split("-")))
        month = MONTH_WORDS.get(found.group("month").casefold().rstrip("."))
        if month is None:
            return None
        return dt.date(int(found.group("year")), month, int(found.group("day")))
    except ValueError:
        return None
