"""The body of an uppdragshandling: its text sections as paragraphs, its lists as items (a
"- " item, "1." item or a wrapped continuation), the working group, the relations, the
distribution lists (the decision form and its signature are decision.py's)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from documents.importer.labels import REGISTRATION_NUMBER, label_of
from documents.importer.people import (
    looks_like_name,
    split_name_and_note,
    split_name_and_role,
)
from documents.importer.result import Found, ParsedDocument, Person, Relation
from documents.importer.sections import Layout

NUMBERED_ITEM = re.compile(r"^(?:\d{1,2}|[a-z])[.)]\s+(?=\S)")


def blocks(lines: list[tuple[int, str]], layout: Layout) -> list[list[tuple[int, str]]]:
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


def paragraphs(lines: list[tuple[int, str]], layout: Layout) -> list[Found[str]]:
    return [
        Found(" ".join(text for _i, text in block), block[0][0]) for block in blocks(lines, layout)
    ]


def items_and_paragraphs(
    lines: list[tuple[int, str]], layout: Layout
) -> tuple[list[Found[str]], list[Found[str]]]:
    """List items ("- …", "1. …", a continuation line joined) and the other paragraphs."""
    items: list[Found[str]] = []
    other: list[Found[str]] = []
    for block in blocks(lines, layout):
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
            elif current is not None and "\t" not in text and not _ends_items(text):
                current.value = f"{current.value} {text}"
            else:
                loose.append((index, text))
        if loose:
            other.append(Found(" ".join(t for _i, t in loose), loose[0][0]))
    return items, other


def _ends_items(text: str) -> bool:
    """A line that cannot go on with the list item above it: a label line ("Sammanställande
    och projektledare: Jan Sträng."), whatever the layout lost of the gap before it."""
    labelled = label_of(text)
    return labelled is not None and labelled[0] not in ("title", "issuing_unit")


def joined(paragraphs: list[Found[str]]) -> Found[str] | None:
    if not paragraphs:
        return None
    return Found("\n\n".join(p.value for p in paragraphs), paragraphs[0].line)


def section_text(layout: Layout, key: str) -> Found[str] | None:
    section = layout.sections.get(key)
    return joined(paragraphs(section.lines, layout)) if section else None


def read_description(document: ParsedDocument, layout: Layout) -> None:
    section = layout.sections.get("description")
    found = paragraphs(section.lines, layout) if section else []
    purpose = layout.sections.get("purpose")
    if purpose:
        document.purpose = joined(paragraphs(purpose.lines, layout))
    else:
        # Seed 004 states its purpose as a paragraph of the description: "Syftet med …".
        for paragraph in found:
            if paragraph.value.casefold().startswith(("syftet", "syfte")):
                document.purpose = Found(paragraph.value, paragraph.line)
                found.remove(paragraph)
                break
    document.description = joined(found)


def read_lists(document: ParsedDocument, layout: Layout) -> None:
    for key in ("scope", "requirements"):
        section = layout.sections.get(key)
        if section is None:
            continue
        items, other = items_and_paragraphs(section.lines, layout)
        # A section written as paragraphs has one item a paragraph; an intro ending with a
        # colon is not one.
        setattr(document, key, items or [p for p in other if not p.value.endswith(":")])


def _is_header_row(text: str) -> bool:
    """A member table's header row: "Namn | Roll"."""
    first = text.split("\t")[0].strip().casefold()
    return "\t" in text and first in {"namn", "person", "deltagare", "ledamot", "medlem"}


def _member_line(text: str) -> bool:
    """ "Name, role", "Name<TAB>role", "Role: Name" or a name alone."""
    label = label_of(text)
    if label is not None or text.endswith(":"):
        return False
    name, _role = split_name_and_role(text)
    return looks_like_name(name)


def read_working_group(document: ParsedDocument, layout: Layout) -> None:
    """The members with their roles (a list, a table, or lines "Name, role"), and what is
    said about the group (the note); the project lead's label line is the project lead."""
    section = layout.sections.get("working_group")
    if section is None:
        return
    items: list[Found[str]] = []
    note: list[Found[str]] = []
    for block in blocks(section.lines, layout):
        block = [(i, t) for i, t in block if not _is_header_row(t)]
        rows = [(i, t) for i, t in block if not t.startswith("- ")]
        if len(rows) > 1 and all(_member_line(t) for _i, t in rows):
            # A table or lines "Name, role" without bullets: a member a line.
            items += [Found(t[2:] if t.startswith("- ") else t, i) for i, t in block]
            continue
        found, other = items_and_paragraphs(block, layout)
        items += found
        for paragraph in other:
            labelled = label_of(paragraph.value)
            if labelled and labelled[0] == "project_lead":
                continue
            if paragraph.value.endswith(":"):
                continue  # "Arbetsgruppen utgörs av följande personer:"
            if ":" in paragraph.value and _member_line(paragraph.value):
                items.append(paragraph)  # "Ordförande: Anna Berg"
                continue
            note.append(paragraph)
    for item in sorted(items, key=lambda found: found.line or 0):
        name, role = split_name_and_role(item.value)
        person = Person(name, item.line, role=role)
        if not looks_like_name(name):
            person.uncertain = True
            person.reason = _("”%(name)s” ser inte ut som ett namn.") % {"name": name}
        document.working_group.append(person)
    document.working_group_note = joined(note)


def read_relations(document: ParsedDocument, layout: Layout) -> None:
    section = layout.sections.get("relations")
    if section is None:
        return
    items, other = items_and_paragraphs(section.lines, layout)
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


# -- distribution ------------------------------------------------------------------------------


def read_distribution(document: ParsedDocument, layout: Layout) -> None:
    for key in ("execution", "information"):
        section = layout.sections.get(key)
        if section is None:
            continue
        people = getattr(document, key)
        for index, text in _entries(section.lines, layout):
            entries = [text]
            if "," in text and all(looks_like_name(p.strip()) for p in text.split(",")):
                entries = [p.strip() for p in text.split(",")]
            for entry in entries:
                name, note = split_name_and_note(entry)
                if name:
                    people.append(Person(name, index, note=note))
    loose = layout.sections.get("distribution")
    if loose is not None and not (document.execution or document.information):
        for index, text in _entries(loose.lines, layout):
            name, note = split_name_and_note(text)
            document.information.append(
                Person(
                    name,
                    index,
                    note=note,
                    uncertain=True,
                    reason=_("Sändlistan säger inte om det är för genomförande eller kännedom."),
                )
            )


def _entries(lines: list[tuple[int, str]], layout: Layout) -> list[tuple[int, str]]:
    """A distribution list's entries: a line each, or a list item with its wrapped lines (a
    PDF's "… för distribution till koncernledning hälso- och" / "sjukvård")."""
    entries: list[tuple[int, str]] = []
    in_item = False
    for index, line in lines:
        text = line.strip()
        if index in layout.dropped or not text:
            in_item = False
            continue
        is_item = text.startswith("- ") or NUMBERED_ITEM.match(text)
        if in_item and not is_item and entries and _continues(text):
            entries[-1] = (entries[-1][0], f"{entries[-1][1]} {text}")
            continue
        in_item = bool(is_item)
        entries.append((index, text[2:] if text.startswith("- ") else NUMBERED_ITEM.sub("", text)))
    return entries


def _continues(text: str) -> bool:
    """Whether a line right under a list item goes on with it (the readers set a blank line
    where a list ends): not a label line ("Projektledare: …") nor a heading."""
    from documents.importer.sections import heading_of

    return label_of(text) is None and heading_of(text) is None and ":" not in text[:40]
