"""What changed between two versions of an uppdragshandling: field by field, and row by row in
its lists (scope, requirements, working group, relations, timeline, distribution), as seed 004
changed its title and timeline from the version of 2025-06-18.

Rows of two versions are paired by what they are (the same activity, person or text), then by
likeness, so an activity whose wording or period changed is one changed row, not a removed and
an added one. A text that changed is split into words so the page can mark just what changed.
Process data (states, milestone statuses) is not part of the document and is not compared.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assignments.models import (
    Assignment,
    AssignmentItem,
    AssignmentRelation,
    Distribution,
    Milestone,
    WorkingGroupMember,
)
from assignments.registration import TEXT_FIELDS
from documents import export_document

Kind = AssignmentItem.Kind

# Two rows this alike (difflib's ratio, 0–1) are one row that changed.
ALIKE = 0.5
# Words, spaces and punctuation; a date or a number ("2025-12-01", "05699") is one word.
TOKENS = re.compile(r"\d+(?:[-/.:]\d+)*|\w+|\s+|[^\w\s]")

SAME, CHANGED, ADDED, REMOVED = "same", "changed", "added", "removed"
STATUS_LABELS = {
    SAME: gettext_lazy("Oförändrad"),
    CHANGED: gettext_lazy("Ändrad"),
    ADDED: gettext_lazy("Ny"),
    REMOVED: gettext_lazy("Borttagen"),
}

# The document's header, then its people, then the rest of its own values (the one list:
# registration.TEXT_FIELDS), and whether it is public.
_HEADER = ("registration_number", "document_date", "issuing_unit", "title")
_PEOPLE = ("commissioners", "decision_makers", "assignee", "project_lead")
FIELDS = (*_HEADER, *_PEOPLE, *(f for f in TEXT_FIELDS if f not in _HEADER), "is_public")


@dataclass
class Piece:
    text: str
    kind: str  # SAME, ADDED or REMOVED


@dataclass
class Value:
    """One value in both versions, each side cut into pieces that are the same or changed."""

    before: list[Piece]
    after: list[Piece]

    @property
    def changed(self) -> bool:
        return any(p.kind != SAME for p in self.before + self.after)


@dataclass
class FieldChange:
    label: str
    value: Value


@dataclass
class Row:
    status: str
    cells: list[Value]

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class ListChange:
    key: str
    title: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(row.status != SAME for row in self.rows)


@dataclass
class VersionDiff:
    old: Assignment
    new: Assignment
    fields: list[FieldChange]  # the fields that changed
    unchanged_fields: list[str]  # the labels of those that did not
    lists: list[ListChange]

    @property
    def changed(self) -> bool:
        return bool(self.fields) or any(lst.changed for lst in self.lists)


# -- values ------------------------------------------------------------------------------------


def compare_text(before: str, after: str) -> Value:
    """Two texts as pieces: word by word when both have words to keep, else whole."""
    if before == after:
        return Value([Piece(before, SAME)] if before else [], [Piece(after, SAME)] if after else [])
    old, new = TOKENS.findall(before), TOKENS.findall(after)
    # spaces and lone punctuation never anchor a match: "aktiviteter." gaining " (inkl. …)"
    # is one addition, not two around the full stop of "inkl."
    matcher = difflib.SequenceMatcher(a=old, b=new, isjunk=_is_filler, autojunk=False)
    if not before or not after or matcher.ratio() < ALIKE:
        return Value(
            [Piece(before, REMOVED)] if before else [], [Piece(after, ADDED)] if after else []
        )
    value = Value([], [])
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            _same(value, "".join(old[i1:i2]))
            continue
        # what a replacement begins or ends with on both sides (a space, the full stop the
        # matcher would not anchor on) is the same, not changed
        head = 0
        while i1 + head < i2 and j1 + head < j2 and old[i1 + head] == new[j1 + head]:
            head += 1
        tail = 0
        while (
            i2 - tail > i1 + head
            and j2 - tail > j1 + head
            and old[i2 - tail - 1] == new[j2 - tail - 1]
        ):
            tail += 1
        _same(value, "".join(old[i1 : i1 + head]))
        _add(value.before, "".join(old[i1 + head : i2 - tail]), REMOVED)
        _add(value.after, "".join(new[j1 + head : j2 - tail]), ADDED)
        _same(value, "".join(old[i2 - tail : i2]))
    return value


def _same(value: Value, text: str) -> None:
    _add(value.before, text, SAME)
    _add(value.after, text, SAME)


def _is_filler(token: str) -> bool:
    return not token.strip() or (len(token) == 1 and not token.isalnum())


def _add(pieces: list[Piece], text: str, kind: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].kind == kind:
        pieces[-1].text += text
    elif kind != SAME and not text.strip() and pieces:
        pieces[-1].text += text  # a changed space alone is no change worth marking
    else:
        pieces.append(Piece(text, kind))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return export_document.clean_text(value)


def _field_value(a: Assignment, name: str) -> str:
    if name in ("commissioners", "decision_makers"):
        return export_document.names(export_document.listed_people(a, name))
    if name == "issuing_unit":
        return a.issuing_unit.name
    return _text(getattr(a, name))


def _label(name: str) -> str:
    return str(capfirst(Assignment._meta.get_field(name).verbose_name))


# -- rows --------------------------------------------------------------------------------------


@dataclass
class _Row:
    key: object
    cells: tuple[str, ...]
    likeness: str  # the text rows are compared by when their keys differ
    kind: str = ""  # a milestone's kind: two activities of one kind are alike


def _pairs(old: Sequence[_Row], new: Sequence[_Row]) -> dict[int, int]:
    """new index → old index: the same key first, then the most alike above ALIKE."""
    pairs: dict[int, int] = {}
    by_key: dict[object, list[int]] = defaultdict(list)
    for i, row in enumerate(old):
        by_key[row.key].append(i)
    used: set[int] = set()
    for j, row in enumerate(new):
        free = [i for i in by_key.get(row.key, []) if i not in used]
        if free:
            pairs[j] = free[0]
            used.add(free[0])
    scored = []
    for j, row in enumerate(new):
        if j in pairs:
            continue
        for i, earlier in enumerate(old):
            if i in used:
                continue
            ratio = difflib.SequenceMatcher(a=earlier.likeness, b=row.likeness).ratio()
            if row.kind and row.kind == earlier.kind and row.kind != Milestone.Kind.OTHER:
                ratio += ALIKE
            if ratio >= ALIKE:
                scored.append((-ratio, j, i))
    for _ratio, j, i in sorted(scored):
        if j not in pairs and i not in used:
            pairs[j] = i
            used.add(i)
    return pairs


def _removed(row: _Row) -> Row:
    return Row(REMOVED, [compare_text(cell, "") for cell in row.cells])


def compare_rows(old: Sequence[_Row], new: Sequence[_Row]) -> list[Row]:
    """The rows of the new version in their order, each paired with its earlier self; a row
    that is gone is shown where it was."""
    pairs = _pairs(old, new)
    matched = set(pairs.values())
    rows: list[Row] = []
    shown_up_to = 0
    for j, row in enumerate(new):
        i = pairs.get(j)
        if i is None:
            rows.append(Row(ADDED, [compare_text("", cell) for cell in row.cells]))
            continue
        for k in range(shown_up_to, i):
            if k not in matched:
                rows.append(_removed(old[k]))
        shown_up_to = max(shown_up_to, i + 1)
        cells = [compare_text(a, b) for a, b in zip(old[i].cells, row.cells, strict=True)]
        rows.append(Row(CHANGED if any(c.changed for c in cells) else SAME, cells))
    rows += [_removed(old[k]) for k in range(shown_up_to, len(old)) if k not in matched]
    return rows


def _items(kind: str) -> Callable[[Assignment], list[_Row]]:
    def rows(a: Assignment) -> list[_Row]:
        texts = [_text(i.text) for i in a.items.all() if i.kind == kind]
        return [_Row(key=t, cells=(t,), likeness=t) for t in texts]

    return rows


def _working_group(a: Assignment) -> list[_Row]:
    return [
        _Row(key=m.person_id, cells=(str(m.person), _text(m.role)), likeness=_text(m.role))
        for m in a.working_group.all()
    ]


def _relations(a: Assignment) -> list[_Row]:
    rows = []
    for r in a.relations.all():
        text = export_document.relation_text(r)
        rows.append(_Row(key=text, cells=(str(r.get_kind_display()), text), likeness=text))
    return rows


def _timeline(a: Assignment) -> list[_Row]:
    return [
        _Row(
            key=_text(m.title),
            cells=(
                _text(m.title),
                _text(m.period_label),
                _text(m.start),
                _text(m.due),
                str(m.responsible_person),
            ),
            likeness=_text(m.title),
            kind=m.kind,
        )
        for m in a.milestones.all()
    ]


def _distribution(a: Assignment) -> list[_Row]:
    return [
        _Row(
            key=(d.purpose, d.person_id),
            cells=(str(d.get_purpose_display()), str(d.person), _text(d.note)),
            likeness=str(d.person),
        )
        for d in a.distribution.all()
    ]


def _labels(model, *names: str) -> list[str]:
    return [str(capfirst(model._meta.get_field(n).verbose_name)) for n in names]


def _lists() -> list[tuple[str, str, list[str], Callable[[Assignment], list[_Row]]]]:
    """Each list of the document: its key, its title, its columns and its rows."""
    items, relation = AssignmentItem, AssignmentRelation
    return [
        ("scope", Kind.SCOPE.label, _labels(items, "text"), _items(Kind.SCOPE)),
        ("requirements", Kind.REQUIREMENT.label, _labels(items, "text"), _items(Kind.REQUIREMENT)),
        (
            "working_group",
            WorkingGroupMember._meta.verbose_name_plural,
            _labels(WorkingGroupMember, "person", "role"),
            _working_group,
        ),
        (
            "relations",
            relation._meta.verbose_name_plural,
            _labels(relation, "kind", "text"),
            _relations,
        ),
        (
            "milestones",
            Milestone._meta.verbose_name_plural,
            _labels(Milestone, "title", "period_label", "start", "due", "responsible"),
            _timeline,
        ),
        (
            "distribution",
            Distribution._meta.verbose_name_plural,
            _labels(Distribution, "purpose", "person", "note"),
            _distribution,
        ),
    ]


def compare(old: Assignment, new: Assignment) -> VersionDiff:
    """What changed from `old` to `new`, field by field and row by row."""
    old, new = export_document.load(old), export_document.load(new)
    fields, unchanged = [], []
    for name in FIELDS:
        value = compare_text(_field_value(old, name), _field_value(new, name))
        if value.changed:
            fields.append(FieldChange(_label(name), value))
        else:
            unchanged.append(_label(name))
    lists = [
        ListChange(key, str(capfirst(title)), columns, compare_rows(rows(old), rows(new)))
        for key, title, columns, rows in _lists()
    ]
    return VersionDiff(old=old, new=new, fields=fields, unchanged_fields=unchanged, lists=lists)
