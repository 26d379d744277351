"""Which events of the process a person is told about, in the app and by e-mail: their own
choice, kind by kind (issue #17, 7). Nothing chosen means everything, both ways. Reminders of
one's own deadlines and escalations are not events: no choice turns them off."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from assignments import audit
from assignments.models import User

from .models import EVENT_KINDS, NotificationPreference

BOTH = (True, True)


def preferences(person_ids: Iterable[int], kind: str) -> dict[int, tuple[bool, bool]]:
    """(in the app, by e-mail) for each person, for one kind of event, in one query."""
    ids = list(person_ids)
    chosen = {
        p.person_id: (p.in_app, p.by_email)
        for p in NotificationPreference.objects.filter(person_id__in=ids, event=kind)
    }
    return {pk: chosen.get(pk, BOTH) for pk in ids}


def choices_of(person: User) -> dict[str, tuple[bool, bool]]:
    """(in the app, by e-mail) for each kind of event, for one person."""
    chosen = {
        p.event: (p.in_app, p.by_email)
        for p in NotificationPreference.objects.filter(person=person)
    }
    return {kind: chosen.get(kind, BOTH) for kind in EVENT_KINDS}


def set_choices(*, person: User, choices: dict[str, tuple[bool, bool]]) -> int:
    """Store the person's choices (kind → (in the app, by e-mail)), each change audited.
    Returns how many kinds changed."""
    changed = 0
    with transaction.atomic():
        current = choices_of(person)
        for kind in EVENT_KINDS:
            if kind not in choices or choices[kind] == current[kind]:
                continue
            in_app, by_email = choices[kind]
            preference, _created = NotificationPreference.objects.update_or_create(
                person=person, event=kind, defaults={"in_app": in_app, "by_email": by_email}
            )
            before_app, before_email = current[kind]
            audit.record(
                actor=person,
                action="notifications.choice_changed",
                obj=preference,
                before={"event": kind, "in_app": before_app, "by_email": before_email},
                after={"event": kind, "in_app": in_app, "by_email": by_email},
            )
            changed += 1
    return changed
