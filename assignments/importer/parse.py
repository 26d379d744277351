"""An uppdragshandling's text → its fields (ParsedDocument), for the kind of document, not one
file: labels are found wherever a line or table cell starts with them ("Uppdragsgivare:",
"Dnr", "Datum"), sections by their headings in any order (sections.py), the timeline as rows
of an activity and a period (a Word table row, or a line "Activity<TAB or spaces>Period"), and
what is missing becomes a warning, never an error."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from .people import (
    looks_like_name,
    similarity,
    split_name_and_note,
    split_name_and_role,
    split_names,
)
from .periods import MONTH_WORDS, Period, parse_period
from .result import Found, ParsedDocument, Person, Relation, Row, Superseded
from .sections import Layout, heading_of, split_sections

REGISTRATION_NUMBER = re.compile(r"\b[A-ZÅÄÖ]{1,10} ?\d{4} ?[-/] ?\d{1,7}(?:-\d{1,4})?\b")
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
LABEL_NAMES = "|".join(pattern for _key, pattern, _colon in LABELS)
# Where a second label hides inside a cell: "… Per Albertsson Uppdragstagare: Jan Sträng".
INNER_LABEL = re.compile(
    r"\s+(?=(?:uppdragstagare|uppdragsgivare|beslutsfattare|diarienummer|dnr|datum)\s*:)", re.I
)
REGION = re.compile(
    r"^(?:västra götalandsregionen|region\s+\w+(?:\s+län)?|\w+regionen|landstinget\s+\w+"
    r"(?:\s+län)?)\b",
    re.I,
)
TABLE_HEADER_WORDS = {
    "aktivitet",
    "aktiviteter",
    "tidplan",
    "tidsplan",
    "tidpunkt",
    "period",
    "när",
    "datum",
    "klart",
    "klar",
    "senast",
    "milstolpe",
    "leverans",
    "ansvarig",
}
DELIVERY_WORDS = re.compile(
    r"slutleverans|slutrapport|slutredovisning|avslut|redovisas|rapporteras|levereras|lämnas",
    re.I,
)
KINDS = [
    ("resource_allocation", re.compile(r"resurssättning|bemanning|etablering", re.I)),
    ("seminars", re.compile(r"seminari|workshop|dialog", re.I)),
    ("compilation", re.compile(r"sammanställ|rapportskrivning|förslag", re.I)),
    ("decision", re.compile(r"beslut|genomförande", re.I)),
]
NUMBERED_ITEM = re.compile(r"^(?:\d{1,2}|[a-z])[.)]\s+(?=\S)")


class NotAnAssignmentDocument(Exception):
    """The text is no uppdragshandling (no parties, no registration number, no timeline)."""


def parse_text(lines: list[str], *, today: dt.date | None = None) -> ParsedDocument:
    """The fields of an uppdragshandling from its lines (text.extract_lines)."""
    layout = split_sections(lines)
    if not is_assignment_document(lines, layout):
        raise NotAnAssignmentDocument(
            _(
                "Filen ser inte ut som en uppdragshandling: den saknar uppdragsgivare, "
                "uppdragstagare, diarienummer eller tidplan."
            )
        )
    document = ParsedDocument(lines=lines)
    _labels(document, lines, layout)
    _issuing_unit(document, layout)
    _supersedes(document, lines, layout)
    _description(document, layout)
    _lists(document, layout)
    _working_group(document, layout)
    _relations(document, layout)
    document.communication = _text(layout, "communication")
    document.costs_and_financing = _text(layout, "costs")
    _timeline(document, layout)
    _decision(document, lines, layout)
    _distribution(document, layout)
    _missing(document, layout)
    _spellings(document)
    if today is not None:
        _past(document, today)
    return document


# -- is it one at all ------------------------------------------------------------------------------


def is_assignment_document(lines: list[str], layout: Layout) -> bool:
    """An uppdragshandling names its parties and has a few of its sections or header fields."""
    cells = [cell for line in lines for cell in _cells(line)]
    found = {key for cell in cells for key, _v in [_label(cell) or (None, None)] if key}
    marker = any(
        line.strip().casefold().startswith("uppdragshandling") and len(line) < 120 for line in lines
    )
    parties = bool({"commissioners", "assignee"} & found)
    score = 2 * marker + len(found & {"commissioners", "assignee", "registration_number", "title"})
    score += len(set(layout.sections) & {"description", "timeline", "working_group", "scope"})
    score += "distribution" in layout.sections or "execution" in layout.sections
    return parties and score >= 4


# -- labels ----------------------------------------------------------------------------------------


def _cells(line: str) -> list[str]:
    cells = []
    for cell in line.split("\t"):
        cells.extend(part for part in INNER_LABEL.split(cell) if part.strip())
    return [cell.strip() for cell in cells]


def _label(cell: str) -> tuple[str, str] | None:
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


def _plausible(key: str, value: str) -> bool:
    """A label without a colon is one only when its value is of its kind."""
    if key == "registration_number":
        return bool(REGISTRATION_NUMBER.match(value))
    if key == "date":
        return _date(value) is not None and len(value) < 30
    return value[:1].isupper() and all(looks_like_name(n) for n in split_names(value))


def _labels(document: ParsedDocument, lines: list[str], layout: Layout) -> None:
    taken: set[str] = set()
    for index, line in enumerate(lines):
        if index in layout.dropped:
            continue
        cells = _cells(line)
        for position, cell in enumerate(cells):
            labelled = _label(cell)
            if labelled is None:
                continue
            key, value = labelled
            if key in taken:
                continue
            line_of_value = index
            if not value:
                if position + 1 < len(cells) and _label(cells[position + 1]) is None:
                    value = cells[position + 1]
                else:
                    value, line_of_value = _next_value(lines, index)
            if not value:
                continue
            if key == "title":
                value = _title_with_continuation(value, lines, line_of_value)
            if _store(document, key, value, line_of_value):
                taken.add(key)


def _next_value(lines: list[str], index: int) -> tuple[str, int]:
    for following in range(index + 1, min(index + 3, len(lines))):
        text = lines[following].strip()
        if not text:
            continue
        if heading_of(text) or any(_label(cell) for cell in _cells(text)):
            return "", index
        return text, following
    return "", index


def _title_with_continuation(value: str, lines: list[str], index: int) -> str:
    """A title wrapped over lines (a PDF) goes on until a blank line, a label or a heading."""
    parts = [value]
    for following in range(index + 1, min(index + 4, len(lines))):
        text = lines[following].strip()
        if not text or "\t" in text or heading_of(text) or _label(text):
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
        day = _date(value)
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


def _date(text: str) -> dt.date | None:
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
        for cell in _cells(line):
            if _label(cell) or len(cell) > 80 or cell.endswith(".") or ":" in cell:
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


def _is_known_line(document: ParsedDocument, index: int) -> bool:
    used = [document.title, document.registration_number, document.date]
    return any(found is not None and found.line == index for found in used)


def _supersedes(document: ParsedDocument, lines: list[str], layout: Layout) -> None:
    """ "… ersätter tidigare uppdragshandling benämnd "…", daterad 2025-06-18."""
    for index, line in enumerate(lines):
        if index in layout.dropped:
            continue
        folded = line.casefold()
        if "ersätter" not in folded or "uppdragshandling" not in folded:
            continue
        sentence = line[folded.index("ersätter") :]
        quoted = re.search(r"[\"”“„«']([^\"”“„«»']{3,})[\"”“»']", sentence)
        title = quoted.group(1).strip() if quoted else None
        after_title = sentence[quoted.end() :] if quoted else sentence
        day = _date(after_title) or _date(sentence)
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


# -- body ------------------------------------------------------------------------------------------


def _blocks(lines: list[tuple[int, str]], layout: Layout) -> list[list[tuple[int, str]]]:
    """Lines grouped by blank lines, letterhead left out."""
    blocks: list[list[tuple[int, str]]] = [[]]
    for index, line in lines:
        if index in layout.dropped:
            continue
        if not line.strip():
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append((index, line.strip()))
    return [block for block in blocks if block]


def _paragraphs(lines: list[tuple[int, str]], layout: Layout) -> list[Found[str]]:
    return [
        Found(" ".join(text for _i, text in block), block[0][0]) for block in _blocks(lines, layout)
    ]


def _items(
    lines: list[tuple[int, str]], layout: Layout
) -> tuple[list[Found[str]], list[Found[str]]]:
    """List items ("- …", "1. …", a continuation line joined) and the other paragraphs."""
    items: list[Found[str]] = []
    other: list[Found[str]] = []
    for block in _blocks(lines, layout):
        current: Found[str] | None = None
        loose: list[tuple[int, str]] = []
        for index, text in block:
            if text.startswith("- ") or NUMBERED_ITEM.match(text):
                if loose:
                    other.append(Found(" ".join(t for _i, t in loose), loose[0][0]))
                    loose = []
                body = text[2:] if text.startswith("- ") else NUMBERED_ITEM.sub("", text)
                current = Found(body.strip(), index)
                items.append(current)
            elif current is not None and "\t" not in text:
                current.value = f"{current.value} {text}"
            else:
                loose.append((index, text))
        if loose:
            other.append(Found(" ".join(t for _i, t in loose), loose[0][0]))
    return items, other


def _joined(paragraphs: list[Found[str]]) -> Found[str] | None:
    if not paragraphs:
        return None
    return Found("\n\n".join(p.value for p in paragraphs), paragraphs[0].line)


def _text(layout: Layout, key: str) -> Found[str] | None:
    section = layout.sections.get(key)
    return _joined(_paragraphs(section.lines, layout)) if section else None


def _description(document: ParsedDocument, layout: Layout) -> None:
    section = layout.sections.get("description")
    paragraphs = _paragraphs(section.lines, layout) if section else []
    purpose = layout.sections.get("purpose")
    if purpose:
        document.purpose = _joined(_paragraphs(purpose.lines, layout))
    else:
        # Seed 004 states its purpose as a paragraph of the description: "Syftet med …".
        for paragraph in paragraphs:
            if paragraph.value.casefold().startswith(("syftet", "syfte")):
                document.purpose = Found(paragraph.value, paragraph.line)
                paragraphs.remove(paragraph)
                break
    document.description = _joined(paragraphs)


def _lists(document: ParsedDocument, layout: Layout) -> None:
    for key in ("scope", "requirements"):
        section = layout.sections.get(key)
        if section is None:
            continue
        items, other = _items(section.lines, layout)
        # A section written as paragraphs has one item a paragraph; an intro ending with a
        # colon is not one.
        setattr(document, key, items or [p for p in other if not p.value.endswith(":")])


def _working_group(document: ParsedDocument, layout: Layout) -> None:
    section = layout.sections.get("working_group")
    if section is None:
        return
    items, other = _items(section.lines, layout)
    note: list[Found[str]] = []
    for paragraph in other:
        labelled = _label(paragraph.value)
        if labelled and labelled[0] == "project_lead":
            continue
        if paragraph.value.endswith(":"):
            continue  # "Arbetsgruppen utgörs av följande personer:"
        lines = [t for i, t in section.lines if i == paragraph.line]
        if lines and "\t" in lines[0]:
            items.append(paragraph)  # a table row: name, role
            continue
        note.append(paragraph)
    # Rows of a table or lines "Name, role" without bullets read as members too.
    for index, line in section.lines:
        if "\t" in line and index not in {p.line for p in items} and not _label(line):
            name, _role = split_name_and_role(line)
            if looks_like_name(name):
                items.append(Found(line.strip(), index))
                note = [p for p in note if p.line != index]
    for item in sorted(items, key=lambda found: found.line or 0):
        name, role = split_name_and_role(item.value)
        if name.casefold() in {"namn", "person"}:
            continue  # a table's header row
        person = Person(name, item.line, role=role)
        if not looks_like_name(name):
            person.uncertain = True
            person.reason = _("”%(name)s” ser inte ut som ett namn.") % {"name": name}
        document.working_group.append(person)
    document.working_group_note = _joined(note)


def _relations(document: ParsedDocument, layout: Layout) -> None:
    section = layout.sections.get("relations")
    if section is None:
        return
    items, other = _items(section.lines, layout)
    for found in items or [p for p in other if not p.value.endswith(":")]:
        folded = found.value.casefold()
        if "inom ramen för" in folded:
            kind = "within"
        elif "samarbete" in folded or "samverka" in folded:
            kind = "cooperation"
        else:
            kind = "stakeholder"
        reference = REGISTRATION_NUMBER.search(found.value)
        document.relations.append(
            Relation(found.value, kind, reference.group(0) if reference else "", found.line)
        )


# -- timeline --------------------------------------------------------------------------------------


def _row(text: str, year_hint: int | None) -> tuple[str, Period] | None:
    """An activity and its period: "Activity<TAB>Period" (a table row, or several spaces), or
    a line that ends in a period ("… metod. Juni – aug 2025")."""
    cells = [cell.strip() for cell in re.split(r"\t|\s{3,}", text) if cell.strip()]
    if len(cells) >= 2:
        title, label = " ".join(cells[:-1]), cells[-1]
        period = parse_period(label, year_hint=year_hint)
        if period is None:
            if parse_period(cells[0], year_hint=year_hint) is not None:
                # "Period<TAB>Activity": the period first.
                title, label = " ".join(cells[1:]), cells[0]
                period = parse_period(label, year_hint=year_hint)
            else:
                period = Period(
                    label,
                    None,
                    None,
                    needs_review=True,
                    reason=_("”%(label)s” kunde inte tolkas som en tidpunkt.") % {"label": label},
                )
        return title.rstrip(), period
    if text.endswith("."):
        return None  # a sentence that happens to end in a date
    words = text.split()
    for start in range(1, len(words)):
        label = " ".join(words[start:])
        if len(words) - start > 8:
            continue
        period = parse_period(label, year_hint=year_hint)
        if period is None:
            continue
        if period.start is not None or label[:1].isupper():
            return " ".join(words[:start]), period
    return None


def _is_table_header(text: str) -> bool:
    words = {w.strip(":").casefold() for w in re.split(r"[\t ]+", text) if w}
    return bool(words) and words <= TABLE_HEADER_WORDS


def _kind(title: str) -> str:
    for kind, pattern in KINDS:
        if pattern.search(title):
            return kind
    return "other"


def _timeline(document: ParsedDocument, layout: Layout) -> None:
    """Rows of the tidplan, and its text (the schedule note, the final delivery's date). A
    wrapped table cell (a PDF) continues the row above when it starts in lower case, and the
    row below when it stands above a period."""
    section = layout.sections.get("timeline")
    if section is None:
        return
    year_hint = document.date.value.year if document.date else None
    prose: list[tuple[int, str]] = []
    pending: list[tuple[int, str]] = []
    in_table = False
    for index, line in section.lines:
        text = line.strip()
        if index in layout.dropped:
            continue
        if not text:
            prose.extend(pending)
            prose.append((index, ""))
            pending, in_table = [], False
            continue
        if _is_table_header(text):
            in_table = True
            continue
        row = _row(text[2:] if text.startswith("- ") else text, year_hint)
        if row is not None and row[0]:
            title, period = row
            line_of_row = index
            if pending:
                title = " ".join([t for _i, t in pending] + [title])
                line_of_row, pending = pending[0][0], []
            document.milestones.append(Row(title, period, line_of_row, _kind(title)))
            year_hint = (
                (period.due or period.start).year if (period.due or period.start) else year_hint
            )
            in_table = True
            continue
        if (
            in_table
            and document.milestones
            and not pending
            and (text[:1].islower() or text[0] in "(&")
        ):
            last = document.milestones[-1]
            last.title = f"{last.title} {text}"
            last.kind = _kind(last.title)
        elif in_table and not text.endswith(".") and len(text) <= 120:
            pending.append((index, text))
        else:
            prose.extend(pending)
            prose.append((index, text))
            pending, in_table = [], False
    prose.extend(pending)
    document.schedule_note = _joined(_paragraphs(prose, layout))
    _delivery_due(document, layout, prose)


def _delivery_due(document: ParsedDocument, layout: Layout, prose: list[tuple[int, str]]) -> None:
    """ "Uppdrags avslut sker i samband med slutleverans senast 2025-12-01." – in the timeline's
    text, else anywhere, else the row of the final delivery."""
    candidates = prose + [
        (i, line) for i, line in enumerate(document.lines) if i not in layout.dropped
    ]
    for index, text in candidates:
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])", text):
            if not DELIVERY_WORDS.search(sentence):
                continue
            found = re.search(
                r"senast\s*:?\s*(?P<when>[^,;()]+?)\s*(?:[.,;)]\s|[.,;)]?$)", sentence
            )
            if not found:
                continue
            period = parse_period("senast " + found.group("when"), year_hint=None)
            if period is not None and period.due is not None:
                document.delivery_due = Found(period.due, index, uncertain=period.needs_review)
                return
    for row in document.milestones:
        if (
            re.search(r"slutleverans|slutrapport|slutredovisning", row.title, re.I)
            and row.period.due
        ):
            document.delivery_due = Found(row.period.due, row.line, uncertain=True)
            return


# -- decision and distribution ---------------------------------------------------------------------


def _decision(document: ParsedDocument, lines: list[str], layout: Layout) -> None:
    """The decision form's text, and the signature under "Datum för beslut": the names of the
    decision-makers, then what they are ("Beslutfattare Samordningsgrupp för …")."""
    section = layout.sections.get("decision_form")
    kept: list[tuple[int, str]] = []
    if section is not None:
        for index, line in section.lines:
            if re.match(r"^\s*datum för beslut", line, re.I):
                continue
            kept.append((index, line))
    for index, line in enumerate(lines):
        text = line.strip()
        if not re.match(r"^beslut(?:s)?fattare(?:na)?\b(?!\s*:)", text, re.I):
            continue
        names_line = _previous_text(lines, index, layout)
        if names_line is None:
            continue
        names_index, names_text = names_line
        names = split_names(names_text)
        if names and all(looks_like_name(name) for name in names):
            document.decision_makers_label = Found(text, index)
            if not document.decision_makers:
                document.decision_makers = [Person(name, names_index) for name in names]
            kept = [(i, t) for i, t in kept if i not in (index, names_index)]
            break
    if section is not None:
        document.decision_form = _joined(_paragraphs(kept, layout))


def _previous_text(lines: list[str], index: int, layout: Layout) -> tuple[int, str] | None:
    for before in range(index - 1, max(index - 4, -1), -1):
        if before in layout.dropped or not lines[before].strip():
            continue
        return before, lines[before].strip()
    return None


def _distribution(document: ParsedDocument, layout: Layout) -> None:
    for key in ("execution", "information"):
        section = layout.sections.get(key)
        if section is None:
            continue
        people = getattr(document, key)
        for index, line in section.lines:
            text = line.strip()
            if index in layout.dropped or not text:
                continue
            text = text[2:] if text.startswith("- ") else NUMBERED_ITEM.sub("", text)
            entries = [text]
            if "," in text and all(looks_like_name(p.strip()) for p in text.split(",")):
                entries = [p.strip() for p in text.split(",")]
            for entry in entries:
                name, note = split_name_and_note(entry)
                if name:
                    people.append(Person(name, index, note=note))
    loose = layout.sections.get("distribution")
    if loose is not None and not (document.execution or document.information):
        for index, line in loose.lines:
            text = line.strip()
            if text and index not in layout.dropped:
                name, note = split_name_and_note(text[2:] if text.startswith("- ") else text)
                document.information.append(
                    Person(
                        name,
                        index,
                        note=note,
                        uncertain=True,
                        reason=_(
                            "Sändlistan säger inte om det är för genomförande eller kännedom."
                        ),
                    )
                )


# -- what a person should check --------------------------------------------------------------------


def _missing(document: ParsedDocument, layout: Layout) -> None:
    checks = [
        ("registration_number", document.registration_number, _("Diarienummer saknas.")),
        ("date", document.date, _("Handlingens datum saknas.")),
        ("title", document.title, _("Uppdragets rubrik saknas.")),
        ("issuing_unit", document.issuing_unit, _("Utfärdande enhet saknas.")),
        ("commissioners", document.commissioners, _("Uppdragsgivare saknas.")),
        ("assignee", document.assignee, _("Uppdragstagare saknas.")),
        (
            "decision_makers",
            document.decision_makers,
            _("Beslutsfattare anges inte i handlingen."),
        ),
        ("milestones", document.milestones, _("Tidplanen saknas eller har inga aktiviteter.")),
        ("delivery_due", document.delivery_due, _("Datum för slutleverans saknas.")),
        (
            "distribution",
            document.execution or document.information,
            _("Avsnittet ”Uppdraget skickas till” saknas."),
        ),
    ]
    for field, value, message in checks:
        if not value:
            document.warn(message, field=field)
    for row in document.milestones:
        if row.period.needs_review:
            document.warn(
                _("Tidplan, ”%(title)s”: %(reason)s")
                % {"title": _short(row.title), "reason": row.period.reason},
                field="milestones",
                line=row.line,
            )


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _spellings(document: ParsedDocument) -> None:
    """A name written two ways in one document ("Ander Kullbratt" beside "Anders Kullbratt"):
    the rarer spelling is marked, and a warning names both."""
    named = [(field, p) for field, p in document.people() if looks_like_name(p.name)]
    counts: dict[str, int] = {}
    for _field, person in named:
        counts[person.name] = counts.get(person.name, 0) + 1
    warned: set[frozenset[str]] = set()
    for position, (field, person) in enumerate(named):
        for other_field, other in named:
            pair = frozenset((person.name, other.name))
            if other.name == person.name or pair in warned:
                continue
            if similarity(person.name, other.name) < 0.86:
                continue
            # The rarer spelling is the slip; on a tie, the later one.
            rarer = person if counts[person.name] < counts[other.name] else other
            if counts[person.name] == counts[other.name]:
                rarer = person if position > _first(named, other.name) else other
            usual = other if rarer is person else person
            for _f, p in named:
                if p.name == rarer.name:
                    p.uncertain = True
                    p.reason = _("Stavas ”%(usual)s” på andra ställen i handlingen.") % {
                        "usual": usual.name
                    }
            document.warn(
                _(
                    "”%(rare)s” liknar ”%(usual)s” på andra ställen i handlingen: kontrollera "
                    "stavningen."
                )
                % {"rare": rarer.name, "usual": usual.name},
                field=field if rarer is person else other_field,
                line=rarer.line,
            )
            warned.add(pair)


def _first(named: list[tuple[str, Person]], name: str) -> int:
    return next(i for i, (_f, p) in enumerate(named) if p.name == name)


def _past(document: ParsedDocument, today: dt.date) -> None:
    """Registered mid-flight: deadlines that passed before the import are named, so nobody is
    reminded of them as if they were news (the review decides whether they are done)."""
    for row in document.milestones:
        if row.period.due and row.period.due < today:
            document.warn(
                _(
                    "”%(title)s” (%(label)s) skulle vara klar %(due)s, före registreringen: "
                    "ange om den är klar."
                )
                % {
                    "title": _short(row.title),
                    "label": row.period.label,
                    "due": row.period.due.isoformat(),
                },
                field="milestones",
                line=row.line,
            )
    if document.delivery_due and document.delivery_due.value < today:
        document.warn(
            _("Slutleveransen (senast %(due)s) har redan passerat.")
            % {"due": document.delivery_due.value.isoformat()},
            field="delivery_due",
            line=document.delivery_due.line,
        )
