"""The history people read: each AuditEntry told as a sentence, in the reader's language.

The trail stores codes and values (`milestone.status_changed`, `{"status": "done"}`, a person's
id) so that it stays a record whatever the screens say. This module words an entry at display
time, so that the same entry reads in Swedish to one person and in English to another, and
names people, statuses and fields as the pages do. describe() looks everything an entry refers
to up in bulk: a page of entries costs a handful of queries, however many there are.

Every action the code writes has a sentence here (tests/assignments/test_history.py checks
each one); an action without one is still told in words, with its fields listed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from .models import Assignment, AuditEntry, Delivery, Milestone

LONG_TEXT_CHARS = 200

# Keys of an entry's before/after that name an object without being one of its model's fields.
REFERENCE_KEYS: dict[str, str] = {
    "decision_maker": "assignments.User",
    "acted_by": "assignments.User",
    "owner": "assignments.User",
    "superseded_by": "assignments.Assignment",
    "supersedes": "assignments.Assignment",
    "task": "viewflow.Task",
}


@dataclass
class Change:
    """One field of an entry: its label, the value before (None for a new object) and after."""

    label: str
    before: str | None
    after: str


@dataclass
class Line:
    """An entry as the history shows it."""

    entry: AuditEntry
    text: str
    changes: list[Change] = field(default_factory=list)


def describe(entries: Iterable[AuditEntry]) -> list[Line]:
    """The entries as sentences in the active language (their actors select_related)."""
    entries = list(entries)
    lookup = _Lookup(entries)
    return [_line(entry, lookup) for entry in entries]


# -- looking up what entries refer to, in bulk -----------------------------------------------


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
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


class _Lookup:
    """The objects a page of entries refers to: people, assignments, deliveries, tasks and the
    targets of any foreign key or many-to-many field in an admin change, one query per model."""

    def __init__(self, entries: list[AuditEntry]):
        wanted: dict[type[models.Model], set] = defaultdict(set)
        for entry in entries:
            model = _model(entry.object_type)
            if model in (Delivery, _model("reminders.Reminder")) and entry.object_id:
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
            if model is _model("reminders.Reminder"):
                queryset = queryset.select_related("recipient")
            found = queryset.in_bulk([pk for pk in pks if str(pk).isdigit()])
            self.objects[model] = {str(pk): obj for pk, obj in found.items()}

    @staticmethod
    def _target(model, key: str) -> type[models.Model] | None:
        f = _field(model, key)
        if f is not None and f.is_relation:
            return f.related_model
        if f is None and key in REFERENCE_KEYS:
            return _model(REFERENCE_KEYS[key])
        return None

    def get(self, model: type[models.Model] | None, pk) -> models.Model | None:
        if model is None or pk is None:
            return None
        return self.objects.get(model, {}).get(str(pk))

    def name(self, label: str, pk) -> str:
        """The object's name; a placeholder when it cannot be found (never its id)."""
        obj = self.get(_model(label), pk)
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


def _as_date(value) -> dt.date | None:
    return parse_date(value) if isinstance(value, str) else None


def _value_text(f: models.Field | None, value, lookup: _Lookup) -> str:
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
        day = _as_date(value)
        if day is not None:
            return date_text(day)
    return Truncator(str(value)).chars(LONG_TEXT_CHARS)


def _label(f: models.Field | None, key: str) -> str:
    return str(capfirst(f.verbose_name)) if f is not None else key


def _is_own_assignment(f: models.Field | None, value, entry: AuditEntry) -> bool:
    """Whether the field is the entry's own assignment (an inline row's parent)."""
    return (
        f is not None
        and f.is_relation
        and f.related_model is Assignment
        and str(value) == str(entry.assignment_id)
    )


def _changes(entry: AuditEntry, lookup: _Lookup, *, skip: Iterable[str] = ()) -> list[Change]:
    """The entry's fields one by one with their labels: before → after for a change, the
    values given for a new object. The key, the object's own assignment and empty values of
    a new object are left out."""
    model = _model(entry.object_type)
    before = entry.before if isinstance(entry.before, dict) else None
    after = entry.after if isinstance(entry.after, dict) else {}
    changes = []
    for key in after:
        f = _field(model, key)
        if key in skip or (f is not None and f.primary_key):
            continue
        if _is_own_assignment(f, after[key], entry):
            continue
        if before is None and after[key] in (None, "", [], False):
            continue
        if before is not None and before.get(key) == after[key]:
            continue
        changes.append(
            Change(
                label=_label(f, key),
                before=_value_text(f, before.get(key), lookup) if before is not None else None,
                after=_value_text(f, after[key], lookup),
            )
        )
    return changes


# -- the sentences, one per action ------------------------------------------------------------

Sentence = Callable[[AuditEntry, _Lookup, dict], str]
SENTENCES: dict[str, Sentence] = {}
# Actions whose fields are listed under the sentence (the others' sentence says it all).
LISTS_FIELDS = {
    "admin.created",
    "admin.changed",
    "settings_changed",
    "reminder.retried",
    "reminder.cancelled",
    "delivery.submitted",
}


def sentence(*actions: str):
    def register(function: Sentence) -> Sentence:
        for action in actions:
            SENTENCES[action] = function
        return function

    return register


def _after(entry: AuditEntry, key: str, default=None):
    return entry.after.get(key, default) if isinstance(entry.after, dict) else default


def _before(entry: AuditEntry, key: str, default=None):
    return entry.before.get(key, default) if isinstance(entry.before, dict) else default


def _choice(choices: type[models.TextChoices], value) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "–")


def _delivery_number(entry: AuditEntry, lookup: _Lookup) -> str:
    delivery = lookup.get(Delivery, entry.object_id)
    return str(delivery.number) if delivery is not None else "?"


@sentence("process.started")
def _process_started(entry, lookup, words):
    return _("%(actor)s startade uppdragets process") % words


@sentence("assignment.adopted")
def _adopted(entry, lookup, words):
    return _("%(actor)s fastställde uppdraget") % words


@sentence("assignment.state_changed")
def _state_changed(entry, lookup, words):
    before, after = _before(entry, "state"), _after(entry, "state")
    if (before, after) == (Assignment.State.ADOPTED, Assignment.State.IN_PROGRESS):
        words["reason"] = ""  # the services' own words, in the language of whoever started
        return _("Arbetet med uppdraget startade (%(actor)s): status %(after)s") % {
            **words,
            "after": _choice(Assignment.State, after),
        }
    return _("Uppdragets status ändrades från %(before)s till %(after)s") % {
        "before": _choice(Assignment.State, before),
        "after": _choice(Assignment.State, after),
    }


@sentence("milestone.status_changed")
def _milestone_status(entry, lookup, words):
    return _("%(actor)s satte %(milestone)s till %(status)s") % {
        **words,
        "milestone": entry.object_repr,
        "status": _choice(Milestone.Status, _after(entry, "status")),
    }


@sentence("milestone.due_moved")
def _milestone_due(entry, lookup, words):
    before, after = _as_date(_before(entry, "due")), _as_date(_after(entry, "due"))
    if before is None or after is None:
        return _("%(actor)s flyttade slutdatum för %(milestone)s") % {
            **words,
            "milestone": entry.object_repr,
        }
    before_text, after_text = date_range_text(before, after)
    return _("%(actor)s flyttade slutdatum för %(milestone)s från %(before)s till %(after)s") % {
        **words,
        "milestone": entry.object_repr,
        "before": before_text,
        "after": after_text,
    }


@sentence("delivery.submitted")
def _submitted(entry, lookup, words):
    return _("%(actor)s lämnade slutleverans %(number)s") % {
        **words,
        "number": _after(entry, "number") or _delivery_number(entry, lookup),
    }


def _answer(entry, lookup, words, *, own: str, for_someone: str) -> str:
    """An answer on a delivery; one given by a stand-in names both, as the decision page
    does ("Per Albertsson, genom ställföreträdare Kim Berg")."""
    decision_maker = _after(entry, "decision_maker")
    words = {**words, "number": _delivery_number(entry, lookup)}
    if decision_maker is not None and decision_maker != entry.actor_id:
        return for_someone % {**words, "decision_maker": lookup.person(decision_maker)}
    return own % words


@sentence("delivery.approved")
def _approved(entry, lookup, words):
    text = _answer(
        entry,
        lookup,
        words,
        own=_("%(actor)s godkände slutleverans %(number)s"),
        for_someone=_(
            "%(decision_maker)s, genom ställföreträdare %(actor)s, godkände slutleverans %(number)s"
        ),
    )
    decided_on = _as_date(_after(entry, "decided_on"))
    if decided_on is not None:
        text = _("%(sentence)s, beslutsdatum %(date)s") % {
            "sentence": text,
            "date": date_text(decided_on),
        }
    if _after(entry, "paragraph_reference"):
        text = f"{text} ({_after(entry, 'paragraph_reference')})"
    return text


@sentence("delivery.returned")
def _returned(entry, lookup, words):
    return _answer(
        entry,
        lookup,
        words,
        own=_("%(actor)s återremitterade slutleverans %(number)s"),
        for_someone=_(
            "%(decision_maker)s, genom ställföreträdare %(actor)s, återremitterade "
            "slutleverans %(number)s"
        ),
    )


@sentence("decision.recorded")
def _decided(entry, lookup, words):
    decided_on = _as_date(_after(entry, "decided_on"))
    return _("Uppdraget beslutades %(date)s (slutleverans %(number)s)") % {
        "date": date_text(decided_on) if decided_on else "–",
        "number": _after(entry, "delivery", "?"),
    }


@sentence("assignment.superseded")
def _superseded(entry, lookup, words):
    new = lookup.name("assignments.Assignment", _after(entry, "superseded_by"))
    if entry.reason in _said_in_every_language("Ersatt av %(new)s", new=new):
        words["reason"] = ""  # the services' own note, not the person's
    return _("%(actor)s ersatte uppdraget med %(new)s") % {**words, "new": new}


@sentence("assignment.supersedes")
def _supersedes(entry, lookup, words):
    return _("%(actor)s registrerade uppdraget som ersättning för %(old)s") % {
        **words,
        "old": lookup.name("assignments.Assignment", _after(entry, "supersedes")),
    }


@sentence("task.reassigned")
def _reassigned(entry, lookup, words):
    task = lookup.get(_model("viewflow.Task"), _after(entry, "task"))
    before, owner = _before(entry, "owner"), _after(entry, "owner")
    decision_maker = _after(entry, "decision_maker")
    words = {
        **words,
        "task": _("uppgiften ”%(title)s”") % {"title": task.title} if task else _("en uppgift"),
        "before": lookup.person(before),
        "after": lookup.person(owner),
    }
    if before is None or before == entry.actor_id:
        text = _("%(actor)s lämnade %(task)s till %(after)s") % words
    else:
        text = _("%(actor)s lämnade %(task)s från %(before)s till %(after)s") % words
    if decision_maker is not None and decision_maker != owner:
        text = _("%(sentence)s, som ställföreträdare för %(decision_maker)s") % {
            "sentence": text,
            "decision_maker": lookup.person(decision_maker),
        }
    return text


def _kind(entry: AuditEntry) -> str:
    model = _model(entry.object_type)
    return str(model._meta.verbose_name) if model is not None else entry.object_type


@sentence("admin.created")
def _admin_created(entry, lookup, words):
    return _("%(actor)s registrerade %(kind)s ”%(object)s”") % {
        **words,
        "kind": _kind(entry),
        "object": entry.object_repr,
    }


@sentence("admin.changed")
def _admin_changed(entry, lookup, words):
    return _("%(actor)s ändrade %(kind)s ”%(object)s”") % {
        **words,
        "kind": _kind(entry),
        "object": entry.object_repr,
    }


@sentence("admin.password_changed")
def _password_changed(entry, lookup, words):
    return _("%(actor)s bytte lösenord för %(object)s") % {**words, "object": entry.object_repr}


@sentence("settings_changed")
def _settings_changed(entry, lookup, words):
    return _("%(actor)s ändrade sina inställningar") % words


def _reminder(entry, lookup) -> dict:
    reminder = lookup.get(_model("reminders.Reminder"), entry.object_id)
    if reminder is None:
        return {"kind": "", "recipient": _("(okänd)")}
    return {"kind": reminder.get_kind_display(), "recipient": str(reminder.recipient)}


@sentence("reminder.retried")
def _reminder_retried(entry, lookup, words):
    return _("%(actor)s lät påminnelsen ”%(kind)s” till %(recipient)s skickas igen") % {
        **words,
        **_reminder(entry, lookup),
    }


@sentence("reminder.cancelled")
def _reminder_cancelled(entry, lookup, words):
    return _("%(actor)s avbröt påminnelsen ”%(kind)s” till %(recipient)s") % {
        **words,
        **_reminder(entry, lookup),
    }


def _unknown(entry, lookup, words):
    return _("%(actor)s gjorde en ändring i %(kind)s ”%(object)s”") % {
        **words,
        "kind": _kind(entry),
        "object": entry.object_repr,
    }


def _said_in_every_language(msgid: str, **params) -> set[str]:
    """A text the services write, as it reads in each of the site's languages."""
    from django.conf import settings

    said = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            said.add(_(msgid) % params)
    return said


def _line(entry: AuditEntry, lookup: _Lookup) -> Line:
    words = {
        "actor": str(entry.actor) if entry.actor_id else _("Systemet"),
        "reason": entry.reason,
    }
    known = entry.action in SENTENCES
    text = SENTENCES.get(entry.action, _unknown)(entry, lookup, words)
    if words["reason"]:
        text = _("%(sentence)s: ”%(reason)s”") % {"sentence": text, "reason": words["reason"]}
    changes = []
    if not known or entry.action in LISTS_FIELDS:
        skip = ("number",) if entry.action == "delivery.submitted" else ()
        changes = _changes(entry, lookup, skip=skip)
    return Line(entry=entry, text=text, changes=changes)
