"""One sentence per action the code writes to the audit trail, worded when it is shown."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..models import Assignment, AuditEntry, Delivery, Milestone
from .values import Lookup, as_date, date_range_text, date_text, model_of, object_name

Sentence = Callable[[AuditEntry, Lookup, dict], str]
SENTENCES: dict[str, Sentence] = {}
# Actions whose fields are listed under the sentence (the others' sentence says it all).
LISTS_FIELDS = {
    "admin.created",
    "assignment.imported",
    "import.registered",
    "admin.changed",
    "assignment.registered",
    "assignment.edited",
    "row.registered",
    "row.edited",
    "settings_changed",
    "notifications.choice_changed",
    "reminder.retried",
    "reminder.cancelled",
    "delivery.submitted",
    "assignment.decision_makers_changed",
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


def _delivery_number(entry: AuditEntry, lookup: Lookup) -> str:
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
        return _("Arbetet med uppdraget startade (%(actor)s): status %(after)s") % {
            **words,
            "after": _choice(Assignment.State, after),
        }
    return _("Uppdragets status ändrades från %(before)s till %(after)s") % {
        "before": _choice(Assignment.State, before),
        "after": _choice(Assignment.State, after),
    }


@sentence("assignment.decision_makers_changed")
def _decision_makers_changed(entry, lookup, words):
    return _("%(actor)s ändrade vilka som beslutar") % words


@sentence("milestone.status_changed")
def _milestone_status(entry, lookup, words):
    return _("%(actor)s satte %(milestone)s till %(status)s") % {
        **words,
        "milestone": object_name(entry),
        "status": _choice(Milestone.Status, _after(entry, "status")),
    }


@sentence("milestone.due_moved")
def _milestone_due(entry, lookup, words):
    before, after = as_date(_before(entry, "due")), as_date(_after(entry, "due"))
    if before is None or after is None:
        return _("%(actor)s flyttade slutdatum för %(milestone)s") % {
            **words,
            "milestone": object_name(entry),
        }
    before_text, after_text = date_range_text(before, after)
    return _("%(actor)s flyttade slutdatum för %(milestone)s från %(before)s till %(after)s") % {
        **words,
        "milestone": object_name(entry),
        "before": before_text,
        "after": after_text,
    }


@sentence("milestone.commented")
def _milestone_commented(entry, lookup, words):
    return _("%(actor)s kommenterade %(milestone)s") % {**words, "milestone": entry.object_repr}


@sentence("absence.set")
def _absence_set(entry, lookup, words):
    person, stand_in = _after(entry, "person"), _after(entry, "stand_in")
    words = {
        **words,
        "starts": _after(entry, "starts"),
        "ends": _after(entry, "ends"),
        "person": lookup.person(person),
        "stand_in": lookup.person(stand_in),
    }
    if person is not None and person != entry.actor_id:
        if stand_in is not None:
            return (
                _(
                    "%(actor)s angav frånvaro %(starts)s–%(ends)s för %(person)s, "
                    "ersättare %(stand_in)s"
                )
                % words
            )
        return _("%(actor)s angav frånvaro %(starts)s–%(ends)s för %(person)s") % words
    if stand_in is not None:
        return _("%(actor)s angav frånvaro %(starts)s–%(ends)s, ersättare %(stand_in)s") % words
    return _("%(actor)s angav frånvaro %(starts)s–%(ends)s") % words


@sentence("absence.ended")
def _absence_ended(entry, lookup, words):
    person = _after(entry, "person")
    if person is not None and person != entry.actor_id:
        return _("%(actor)s avslutade frånvaron för %(person)s") % {
            **words,
            "person": lookup.person(person),
        }
    return _("%(actor)s avslutade sin frånvaro") % words


@sentence("delivery.submitted")
def _submitted(entry, lookup, words):
    return _("%(actor)s lämnade slutleverans %(number)s") % {
        **words,
        "number": _after(entry, "number") or _delivery_number(entry, lookup),
    }


def _answer(entry, lookup, words, *, own: str, for_someone: str) -> str:
    """An answer on a delivery; one given by a stand-in names both, as the decision page
    does ("Per Albertsson, genom ersättare Kim Berg")."""
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
            "%(decision_maker)s, genom ersättare %(actor)s, godkände slutleverans %(number)s"
        ),
    )
    decided_on = as_date(_after(entry, "decided_on"))
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
            "%(decision_maker)s, genom ersättare %(actor)s, återremitterade slutleverans %(number)s"
        ),
    )


@sentence("decision.recorded")
def _decided(entry, lookup, words):
    decided_on = as_date(_after(entry, "decided_on"))
    return _("Uppdraget beslutades %(date)s (slutleverans %(number)s)") % {
        "date": date_text(decided_on) if decided_on else "–",
        "number": _after(entry, "delivery", "?"),
    }


@sentence("assignment.superseded")
def _superseded(entry, lookup, words):
    new = lookup.name("assignments.Assignment", _after(entry, "superseded_by"))
    return _("%(actor)s ersatte uppdraget med %(new)s") % {**words, "new": new}


@sentence("assignment.supersedes")
def _supersedes(entry, lookup, words):
    return _("%(actor)s registrerade uppdraget som ersättning för %(old)s") % {
        **words,
        "old": lookup.name("assignments.Assignment", _after(entry, "supersedes")),
    }


@sentence("assignment.version_drafted")
def _version_drafted(entry, lookup, words):
    return _("%(actor)s gjorde ett utkast till ny version: %(new)s") % {
        **words,
        "new": lookup.name("assignments.Assignment", _after(entry, "new_version")),
    }


@sentence("task.reassigned")
def _reassigned(entry, lookup, words):
    task = lookup.get(model_of("viewflow.Task"), _after(entry, "task"))
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
    model = model_of(entry.object_type)
    return str(model._meta.verbose_name) if model is not None else entry.object_type


@sentence(
    "admin.created", "assignment.registered", "row.registered", "unit.created", "contact.created"
)
def _admin_created(entry, lookup, words):
    return _("%(actor)s registrerade %(kind)s ”%(object)s”") % {
        **words,
        "kind": _kind(entry),
        "object": object_name(entry),
    }


@sentence("assignment.imported")
def _imported(entry, lookup, words):
    # The reason is the source document's file name.
    return _("%(actor)s registrerade uppdraget ur dokumentet") % words


@sentence("import.registered")
def _import_registered(entry, lookup, words):
    return _("%(actor)s registrerade %(kind)s ”%(object)s” ur en inläst uppdragshandling") % {
        **words,
        "kind": _kind(entry),
        "object": object_name(entry),
    }


@sentence("admin.changed", "assignment.edited", "row.edited")
def _admin_changed(entry, lookup, words):
    return _("%(actor)s ändrade %(kind)s ”%(object)s”") % {
        **words,
        "kind": _kind(entry),
        "object": object_name(entry),
    }


@sentence("contact.linked")
def _contact_linked(entry, lookup, words):
    # "Nytt uppdrag": a name of no account was a contact; a registrar linked it to its account.
    return _("%(actor)s kopplade kontakten ”%(object)s” till sitt konto") % {
        **words,
        "object": object_name(entry),
    }


def unknown(entry, lookup, words):
    """An action without a sentence of its own: still words, its fields listed under it."""
    return _("%(actor)s gjorde en ändring i %(kind)s ”%(object)s”") % {
        **words,
        "kind": _kind(entry),
        "object": object_name(entry),
    }


# What the services write as the reason when nobody gave one (assignments.services and
# workflow.services, the same msgids). They were said in the language of whoever caused the
# change; the history words the event itself in the reader's language instead.
SERVICES_OWN_REASONS = [gettext_noop("Arbetet har startat."), gettext_noop("Ersatt av %(new)s")]


def persons_reason(entry: AuditEntry) -> str:
    """The reason a person gave for the entry; "" when it is the services' own words."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for msgid in SERVICES_OWN_REASONS:
                pattern = re.escape(_(msgid)).replace(re.escape("%(new)s"), ".+")
                if re.fullmatch(pattern, entry.reason):
                    return ""
    return entry.reason
