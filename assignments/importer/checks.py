"""What a person should check after an import: missing parts, periods that are no exact
range, a name spelled two ways in one document, and deadlines that passed before the
assignment was registered (seed 004 entered the registry mid-flight)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from .people import looks_like_name, similarity
from .result import ParsedDocument, Person
from .sections import Layout


def warn_missing(document: ParsedDocument, layout: Layout) -> None:
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
                % {"title": shortened(row.title), "reason": row.period.reason},
                field="milestones",
                line=row.line,
            )


def shortened(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def warn_spellings(document: ParsedDocument) -> None:
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
            document.same_person[rarer.name] = usual.name
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


def warn_past_deadlines(document: ParsedDocument, today: dt.date) -> None:
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
                    "title": shortened(row.title),
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
