"""The values an audit entry holds, in words: what its ids name (looked up in bulk), a choice's
label, a date as the pages write it, and its fields one by one with their labels."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from .. import audit
from ..models import Assignment, AssignmentRelation, AuditEntry, Delivery, Distribution

LONG_TEXT_CHARS = 200

# Keys of an entry's before/after that name an object without being one of its model's fields.
REFERENCE_KEYS: dict[str, str] = {
    "decision_maker": "assignments.User",
    "acted_by": "assignments.User",
    "owner": "assignments.User",
    "superseded_by": "assignments.Assignment",
    "supersedes": "assignments.Assignment",
    "new_version": "assignments.Assignment",
    "task": "viewflow.Task",
}


@dataclass
class Change:
    """One field of an entry: its label, the value before (None for a new object) and after."""

    label: str
    before: str | None
    after: str


# -- looking up what entries refer to, in bulk -----------------------------------------------


def model_of(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def field_of(model: type[models.Model] | None, key: str) -> models.Field | None:
    """The concrete or many-to-many field a snapshot key names (`assignee_id`, `commissioners`)."""
    if model is None:
        return None
    for f in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if key in (f.attname, f.name):
            return f
    return None


def _values(entry: AuditEntry) -> Iterable[tuple[str, Any]]:
    for values in (entry.before, entry.after):
        if isinstance(values, dict):
            yield from values.items()


class Lookup:
    """The objects a page of entries refers to: people, assignments, deliveries, tasks and the
    targets of any foreign key or many-to-many field in an admin change, one query per model."""

    def __init__(self, entries: list[AuditEntry]):
        wanted: dict[type[models.Model], set] = defaultdict(set)
        for entry in entries:
            model = model_of(entry.object_type)
            if model in (Delivery, model_of("reminders.Reminder")) and entry.object_id:
                wanted[model].add(entry.object_id)
            for key, value in _values(entry):
                target = self._target(model, key)
                if target is None or value in (None, "", []):
                    continue
                for pk in value if isinstance(value, list) else [value]:
                    wanted[target].add(pk)
        self.objects: dict[type[models.Model], dict] = {}
        for model, pks in wanted.items():
            queryset = model._default_manager.all()
            if model is model_of("reminders.Reminder"):
                queryset = queryset.select_related("recipient")
            found = queryset.in_bulk([pk for pk in pks if str(pk).isdigit()])
            self.objects[model] = {str(pk): obj for pk, obj in found.items()}

    @staticmethod
    def _target(model, key: str) -> type[models.Model] | None:
        f = field_of(model, key)
        if f is not None and f.is_relation:
            return f.related_model
        if f is None and key in REFERENCE_KEYS:
            return model_of(REFERENCE_KEYS[key])
        return None

    def get(self, model: type[models.Model] | None, pk) -> models.Model | None:
        if model is None or pk is None:
            return None
        return self.objects.get(model, {}).get(str(pk))

    def name(self, label: str, pk) -> str:
        """The object's name; a placeholder when it cannot be found (never its id)."""
        obj = self.get(model_of(label), pk)
        return str(obj) if obj is not None else _("(okänd)")

    def person(self, pk) -> str:
        return self.name("assignments.User", pk)


# -- values as the pages show them -------------------------------------------------------------


def date_text(value: dt.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def date_range_text(before: dt.date, after: dt.date) -> tuple[str, str]:
    """Two dates as a Swede says them: the year once when they share it ("15 mar", "26 mar
    2027"), on both when they do not."""
    if before.year == after.year:
        return formats.date_format(before, "MONTH_DAY_FORMAT"), date_text(after)
    return date_text(before), date_text(after)


def as_date(value) -> dt.date | None:
    return parse_date(value) if isinstance(value, str) else None


def value_text(f: models.Field | None, value, lookup: Lookup) -> str:
    """One recorded value in words: a person's name, a choice's label, a date, ja/nej."""
    if value is None or value == "" or value == []:
        return "–"
    if f is None:
        return Truncator(str(value)).chars(LONG_TEXT_CHARS)
    if f.many_to_many or f.is_relation:
        pks = value if isinstance(value, list) else [value]
        label = f.related_model._meta.label
        return ", ".join(lookup.name(label, pk) for pk in pks)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return _("ja") if value else _("nej")
    if isinstance(f, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is not None:
            return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    if isinstance(f, models.DateField):
        day = as_date(value)
        if day is not None:
            return date_text(day)
    return Truncator(str(value)).chars(LONG_TEXT_CHARS)


def label_of(f: models.Field | None, key: str) -> str:
    return str(capfirst(f.verbose_name)) if f is not None else key


def _is_own_assignment(f: models.Field | None, value, entry: AuditEntry) -> bool:
    """Whether the field is the entry's own assignment (an inline row's parent)."""
    return (
        f is not None
        and f.is_relation
        and f.related_model is Assignment
        and str(value) == str(entry.assignment_id)
    )


def in_field_order(model: type[models.Model] | None, values: dict) -> list[str]:
    """The keys in the order the model declares its fields (the form's order), whatever order
    the database gave them back in: PostgreSQL's jsonb keeps keys sorted by length, not as
    written. Keys that name no field come last, as given."""
    if model is None:
        return list(values)
    order = {}
    for position, f in enumerate([*model._meta.concrete_fields, *model._meta.many_to_many]):
        order.setdefault(f.attname, position)
        order.setdefault(f.name, position)
    return sorted(values, key=lambda key: order.get(key, len(order)))


def changes(entry: AuditEntry, lookup: Lookup, *, skip: Iterable[str] = ()) -> list[Change]:
    """The entry's changes one by one with their labels (audit.changes: old -> new, whichever
    shape the entry was written in), the values given for a new object. The key, the object's
    own assignment and empty values of a new object are left out."""
    model = model_of(entry.object_type)
    new = not isinstance(entry.before, dict)
    changed = audit.changes(entry)
    listed = []
    for key in in_field_order(model, changed):
        f = field_of(model, key)
        if key in skip or (f is not None and f.primary_key):
            continue
        old, value = changed[key]
        if _is_own_assignment(f, value, entry):
            continue
        if new and value in (None, "", [], False):
            continue
        listed.append(
            Change(
                label=label_of(f, key),
                before=None if new else value_text(f, old, lookup),
                after=value_text(f, value, lookup),
            )
        )
    return listed


def object_name(entry: AuditEntry) -> str:
    """The entry's object as it was named when recorded, in the reader's language: a
    distribution row was recorded as "Name (För genomförande)", a relation as "Samarbete med:
    …", their choices in Swedish."""
    name = entry.object_repr
    for purpose in Distribution.Purpose:
        with translation.override("sv"):
            recorded = f" ({purpose.label})"
        if name.endswith(recorded):
            return f"{name.removesuffix(recorded)} ({purpose.label})"
    for kind in AssignmentRelation.Kind:
        with translation.override("sv"):
            recorded = f"{kind.label}: "
        if name.startswith(recorded):
            return f"{kind.label}: {name.removeprefix(recorded)}"
    return name
