"""The decision: "Form för beslut" as text, and who decides, from the first of

1. a label ("Beslutsfattare: Karin Lindqvist och Omar Haddad", read with the header's labels);
2. a signature: the names, then what they are, on lines of their own ("Ander Kullbratt och Per
   Albertsson" / "Beslutfattare Samordningsgrupp för vårdinformativmiljö" in seed 004, or a
   commissioner's "Ann Söderström" / "Regiondirektör" at the foot of the section);
3. the decision form's text naming people the document names elsewhere ("Rapportering sker
   till Karin Lindqvist.").

The signature is taken out of the decision form's text: it is no part of how the decision is
made.
"""

from __future__ import annotations

import re

from documents.importer.body import joined, paragraphs
from documents.importer.labels import label_of
from documents.importer.people import comparable, looks_like_name, split_names
from documents.importer.result import Found, ParsedDocument, Person
from documents.importer.sections import Layout, heading_of

DECISION_DATE = re.compile(r"^\s*datum för beslut", re.I)
DECISION_MAKERS = re.compile(r"^beslut(?:s)?fattare(?:na)?\b(?!\s*:)", re.I)
# A run of capitalised words (a name and its particles) inside a sentence.
NAME_IN_TEXT = re.compile(
    r"\b[A-ZÅÄÖÉ][\w'’-]+(?:\s+(?:(?:af|von|van|de)\s+)?[A-ZÅÄÖÉ][\w'’-]+){1,3}\b"
)


def read_decision(document: ParsedDocument, lines: list[str], layout: Layout) -> None:
    """The decision form's text and, unless a label named them, the decision-makers."""
    section = layout.sections.get("decision_form")
    kept: list[tuple[int, str]] = []
    if section is not None:
        for index, line in section.lines:
            if DECISION_DATE.match(line) or label_of(line.strip()):
                continue
            kept.append((index, line))
    taken = _labelled_signature(document, lines, layout) or _closing_signature(document, kept)
    kept = [(i, t) for i, t in kept if i not in taken]
    if section is None:
        return
    document.decision_form = joined(paragraphs(kept, layout))
    if not document.decision_makers and document.decision_form is not None:
        document.decision_makers = _named_in(document, document.decision_form)


def _labelled_signature(document: ParsedDocument, lines: list[str], layout: Layout) -> set[int]:
    """Names on the line above "Beslut(s)fattare …" (seed 004): the lines it took."""
    for index, line in enumerate(lines):
        text = line.strip()
        if not DECISION_MAKERS.match(text):
            continue
        above = _previous_text(lines, index, layout)
        if above is None:
            continue
        names_index, names_text = above
        names = split_names(names_text)
        if names and all(looks_like_name(name) for name in names):
            document.decision_makers_label = Found(text, index)
            if not document.decision_makers:
                document.decision_makers = [Person(name, names_index) for name in names]
            return {index, names_index}
    return set()


def _closing_signature(document: ParsedDocument, kept: list[tuple[int, str]]) -> set[int]:
    """The lines that close the section when they are a signature: names alone on a line,
    then at most one short line saying what they are ("Regiondirektör")."""
    filled = [(i, t.strip()) for i, t in kept if t.strip()]
    if not filled:
        return set()
    *_rest, (last_index, last) = filled
    if _names(last):
        signature = [(last_index, last)]
        title = None
    elif len(filled) > 1 and _is_title(last) and _names(filled[-2][1]):
        signature = [filled[-2]]
        title = (last_index, last)
    else:
        return set()
    names_index, names_text = signature[0]
    if not document.decision_makers:
        document.decision_makers = [Person(n, names_index) for n in split_names(names_text)]
    if title is not None and document.decision_makers_label is None:
        document.decision_makers_label = Found(title[1], title[0])
    return {names_index} | ({title[0]} if title else set())


def _names(text: str) -> bool:
    names = split_names(text)
    return bool(names) and not text.endswith((".", ":")) and all(looks_like_name(n) for n in names)


def _is_title(text: str) -> bool:
    """What a signature says the person is: short, no sentence, no label."""
    return (
        len(text) <= 80
        and not text.endswith((".", ":"))
        and label_of(text) is None
        and heading_of(text) is None
        and "\t" not in text
    )


def _named_in(document: ParsedDocument, text: Found[str]) -> list[Person]:
    """People the decision form's text names, when the document names them elsewhere too."""
    known = {comparable(person.name) for _field, person in document.people()}
    found: list[Person] = []
    for match in NAME_IN_TEXT.finditer(text.value):
        name = match.group(0)
        if comparable(name) in known and name not in [p.name for p in found]:
            found.append(Person(name, text.line))
    return found


def _previous_text(lines: list[str], index: int, layout: Layout) -> tuple[int, str] | None:
    for before in range(index - 1, max(index - 4, -1), -1):
        if before in layout.dropped or not lines[before].strip():
            continue
        return before, lines[before].strip()
    return None
