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

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import AuditEntry
from . import personal  # noqa: F401 - registers the sentences of a person's own things
from .sentences import LISTS_FIELDS, SENTENCES, persons_reason, unknown
from .values import Change, Lookup, changes

__all__ = ["SENTENCES", "Change", "Line", "describe"]


@dataclass
class Line:
    """An entry as the history shows it."""

    entry: AuditEntry
    text: str
    changes: list[Change] = field(default_factory=list)


def describe(entries: Iterable[AuditEntry]) -> list[Line]:
    """The entries as sentences in the active language (their actors select_related)."""
    entries = list(entries)
    lookup = Lookup(entries)
    return [_line(entry, lookup) for entry in entries]


def _line(entry: AuditEntry, lookup: Lookup) -> Line:
    actor = str(entry.actor) if entry.actor_id else _("Systemet")
    known = entry.action in SENTENCES
    text = SENTENCES.get(entry.action, unknown)(entry, lookup, {"actor": actor})
    reason = persons_reason(entry)
    if reason:
        text = _("%(sentence)s: ”%(reason)s”") % {"sentence": text, "reason": reason}
    listed = []
    if not known or entry.action in LISTS_FIELDS:
        skip = ("number",) if entry.action == "delivery.submitted" else ()
        listed = changes(entry, lookup, skip=skip)
    return Line(entry=entry, text=text, changes=listed)
