"""The tidplan: rows of an activity and its period (a Word table row, a line "Activity<TAB or
spaces>Period", or a line ending in a period), the text around them, and the date of the
final delivery ("… slutleverans senast 2025-12-01")."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from assignments.periods import Period, parse_period
from documents.importer.body import joined, paragraphs
from documents.importer.labels import date_in
from documents.importer.result import Found, ParsedDocument, Row
from documents.importer.sections import Layout

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


FINAL_DELIVERY_LABEL = re.compile(r"^\W*slutleverans(?:en)?\s+senast\s*:?\s*$", re.I)


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


def read_timeline(document: ParsedDocument, layout: Layout) -> None:
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
        if row is not None and FINAL_DELIVERY_LABEL.search(row[0]):
            row = None  # "Slutleverans senast: 2026-12-01" is the deadline, not an activity
        if row is not None and row[0]:
            title, period = row
            previous = document.milestones[-1].period if document.milestones else None
            if (
                period.needs_review
                and year_hint
                and previous is not None
                and previous.start
                and period.start
                and period.start < previous.start
                and not re.search(r"\b(?:19|20)\d\d\b", period.label)
            ):
                # A row without a year after one late in the year: the year after.
                period = parse_period(period.label, year_hint=year_hint + 1) or period
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
    document.schedule_note = joined(paragraphs(prose, layout))
    _delivery_due(document, layout, prose)


def _delivery_due(document: ParsedDocument, layout: Layout, prose: list[tuple[int, str]]) -> None:
    """ "Uppdrags avslut sker i samband med slutleverans senast 2025-12-01." – in the timeline's
    text, else anywhere, else the row of the final delivery. A sentence about the final
    delivery with a date but no "senast" gives it too, marked uncertain."""
    candidates = paragraphs(prose, layout) + paragraphs(list(enumerate(document.lines)), layout)
    for paragraph in candidates:
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])", paragraph.value):
            word = DELIVERY_WORDS.search(sentence)
            if not word:
                continue
            found = re.search(
                r"senast\s*:?\s*(?P<when>[^,;()]+?)\s*(?:[.,;)]\s|[.,;)]?$)", sentence
            )
            if found:
                period = parse_period("senast " + found.group("when"), year_hint=None)
                if period is not None and period.due is not None:
                    document.delivery_due = Found(
                        period.due, paragraph.line, uncertain=period.needs_review
                    )
                    return
            elif day := date_in(sentence[word.end() :]):
                document.delivery_due = Found(day, paragraph.line, uncertain=True)
                return
    for row in document.milestones:
        if (
            re.search(r"slutleverans|slutrapport|slutredovisning", row.title, re.I)
            and row.period.due
        ):
            document.delivery_due = Found(row.period.due, row.line, uncertain=True)
            return
