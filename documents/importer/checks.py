"""What a person should check after an import: missing parts, periods that are no exact
range, a name spelled two ways in one document, and deadlines that passed before the
assignment was registered (seed 004 entered the registry mid-flight)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from documents.importer.people import SIMILAR, looks_like_name, similarity
from documents.importer.result import ParsedDocument, Person
from documents.importer.sections import Layout


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
    the rarer spelling (on a tie, the later one) is marked, and a warning names both."""
    named = [(field, p) for field, p in document.people() if looks_like_name(p.name)]
    counts: dict[str, int] = {}
    first: dict[str, tuple[str, Person]] = {}
    for field, person in named:
        counts[person.name] = counts.get(person.name, 0) + 1
        first.setdefault(person.name, (field, person))
    names = list(first)
    for position, name in enumerate(names):
        for other in names[position + 1 :]:
            if not similarity(name, other, at_least=SIMILAR):
                continue
            rare, usual = (name, other) if counts[name] < counts[other] else (other, name)
            document.same_person[rare] = usual
            for _field, person in named:
                if person.name == rare:
                    person.uncertain = True
                    person.reason = _("Stavas ”%(usual)s” på andra ställen i handlingen.") % {
                        "usual": usual
                    }
            field, person = first[rare]
            document.warn(
                _(
                    "”%(rare)s” liknar ”%(usual)s” på andra ställen i handlingen: kontrollera "
                    "stavningen."
                )
                % {"rare": rare, "usual": usual},
                field=field,
                line=person.line,
            )


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


def flag_scanned(document: ParsedDocument) -> None:
    """Every field read by OCR from a scanned page is marked for review, naming its page: a
    misread letter in a name or a digit in a date looks right."""
    if not document.scanned_pages:
        return
    found = [
        getattr(document, name)
        for name in (
            "registration_number",
            "date",
            "title",
            "issuing_unit",
            "supersedes",
            "delivery_due",
            "description",
            "purpose",
            "communication",
            "costs_and_financing",
            "decision_form",
        )
    ]
    found += [person for _field, person in document.people()]
    found += document.scope + document.requirements
    for item in found:
        page = document.scanned_page(item.line) if item is not None else None
        if page is None:
            continue
        item.uncertain = True
        item.reason = " ".join(filter(None, [item.reason, scanned_reason(page)]))
    pages = ", ".join(str(page) for page in sorted(document.scanned_pages))
    document.warn(
        _("Sidan %(pages)s är skannad och lästes med OCR: jämför varje fält med sidbilden.")
        % {"pages": pages},
        field="scan",
    )


def scanned_reason(page: int) -> str:
    return _("Läst med OCR från sida %(page)d: jämför med sidbilden.") % {"page": page}
