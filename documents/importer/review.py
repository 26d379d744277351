"""What the review page of an import shows: the parsed document as the initial values of the
"Nytt uppdrag" forms, and a mark (the reason) on each field a person should check — a name
matched only fuzzily or to no account, a period that is not a month range, a missing section,
a milestone whose date has already passed (done? still open?). Reads only; saves nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assignments.contacts import person_label
from assignments.models import User
from assignments.registration import DATE_FIELDS, TEXT_FIELDS
from documents.importer.drafts import PARSED_AS, PeopleMatches, milestone_dates
from documents.importer.result import ParsedDocument

HEADER = {
    "registration_number": gettext_lazy("diarienummer"),
    "document_date": gettext_lazy("datum"),
    "issuing_unit": gettext_lazy("utfärdande enhet"),
    "title": gettext_lazy("rubrik"),
}


def review_values(document: ParsedDocument, matches: PeopleMatches, today: dt.date):
    """(initial, rows, marks): the main form's initial values, each formset's rows, and the
    marks keyed by the field's HTML name ("assignee", "milestones-2-period_label")."""
    marks: dict[str, str] = {}
    accounts = {
        u.pk: u
        for u in User.objects.filter(
            pk__in=[m.candidate.pk for m in matches.matches.values() if m.candidate]
        )
    }

    def person(name: str, key: str) -> str:
        match = matches.matches.get(name)
        account = accounts.get(match.candidate.pk) if match and match.candidate else None
        if match is None or account is None:
            # one line of the checks names them all (review_checks), not a mark on each
            return name
        if match.kind == "exact":
            return person_label(account)
        marks[key] = _(
            "”%(name)s” liknar %(account)s men stämmer inte exakt: välj rätt person i listan."
        ) % {"name": name, "account": person_label(account)}
        return name

    def found(value):
        return value.value if value is not None else ""

    initial = {name: found(getattr(document, PARSED_AS.get(name, name))) for name in TEXT_FIELDS}
    for name in DATE_FIELDS:
        initial[name] = initial[name] or None
    initial.update(
        issuing_unit=found(document.issuing_unit),
        assignee=person(document.assignee.name, "assignee") if document.assignee else "",
        project_lead=(
            person(document.project_lead.name, "project_lead") if document.project_lead else ""
        ),
    )
    for key, label in HEADER.items():
        if not initial[key]:
            marks[key] = _("Saknas i handlingen: fyll i %(field)s.") % {"field": label}
    for key in ("registration_number", "document_date", "issuing_unit", "title"):
        value = getattr(document, "date" if key == "document_date" else key, None)
        if value is not None and value.uncertain:
            marks[key] = value.reason
    if not document.assignee:
        marks["assignee"] = _("Saknas i handlingen: fyll i uppdragstagare.")

    rows: dict[str, list[dict]] = {}
    for prefix, people in (
        ("commissioners", document.commissioners),
        ("decision_makers", document.decision_makers),
    ):
        rows[prefix] = [
            {"name": person(p.name, f"{prefix}-{i}-name")} for i, p in enumerate(people)
        ]
    rows["scope"] = [{"text": item.value} for item in document.scope]
    rows["requirements"] = [{"text": item.value} for item in document.requirements]
    rows["working_group"] = [
        {"name": person(p.name, f"working_group-{i}-name"), "role": p.role}
        for i, p in enumerate(document.working_group)
    ]
    rows["relations"] = [{"kind": r.kind, "text": r.text} for r in document.relations]
    rows["milestones"] = []
    for i, row in enumerate(document.milestones):
        start, due = milestone_dates(document, row)
        rows["milestones"].append(
            {
                "title": row.title,
                "kind": row.kind,
                "period_label": row.period.label,
                "start": start,
                "due": due,
            }
        )
        if row.period.needs_review:
            marks[f"milestones-{i}-period_label"] = row.period.reason or _(
                "Perioden är ingen månadsperiod: kontrollera start och slut."
            )
        if due and due < today:
            marks[f"milestones-{i}-status"] = _(
                "Datumet %(due)s har passerat: klar? fortfarande öppen?"
            ) % {"due": due.isoformat()}
    for prefix, people in (
        ("execution", document.execution),
        ("information", document.information),
    ):
        rows[prefix] = [
            {"name": person(p.name, f"{prefix}-{i}-name"), "note": p.note}
            for i, p in enumerate(people)
        ]
    for section, prefix in (
        (_("Uppdragsgivare"), "commissioners"),
        (_("Tidplan"), "milestones"),
    ):
        if not rows[prefix]:
            marks[f"{prefix}-section"] = _("Avsnittet %(section)s saknas i handlingen.") % {
                "section": section
            }
    _mark_uncertain_people(document, marks)
    return initial, rows, marks


def _mark_uncertain_people(document: ParsedDocument, marks: dict[str, str]) -> None:
    """A person the document gave uncertainly (read by OCR, spelled two ways): the reason on
    the field, unless the field has a mark already."""
    for key, person in person_fields(document):
        if person.uncertain and person.reason and key not in marks:
            marks[key] = person.reason


def person_fields(document: ParsedDocument):
    """(the form field's HTML name, the person) for every person the document names."""
    counters: dict[str, int] = {}
    for field, person in document.people():
        index = counters.get(field, 0)
        counters[field] = index + 1
        yield (field if field in ("assignee", "project_lead") else f"{field}-{index}-name"), person


# -- the checks above the form, by consequence ----------------------------------------------

BLOCKING, PEOPLE, PERIODS, OTHER = "blocking", "people", "periods", "other"
LEVELS = (BLOCKING, PEOPLE, PERIODS, OTHER)
LEVEL_NAMES = {
    BLOCKING: gettext_lazy("Måste fyllas i"),
    PEOPLE: gettext_lazy("Personer"),
    PERIODS: gettext_lazy("Tidplan"),
    OTHER: gettext_lazy("Övrigt"),
}
# A missing header field → its form field and what to say; the draft cannot be saved without.
REQUIRED = (
    ("registration_number", "registration_number", gettext_lazy("Diarienummer saknas.")),
    ("date", "document_date", gettext_lazy("Handlingens datum saknas.")),
    ("commissioners", "commissioners-0-name", gettext_lazy("Uppdragsgivare saknas.")),
    ("title", "title", gettext_lazy("Uppdragets rubrik saknas.")),
    ("assignee", "assignee", gettext_lazy("Uppdragstagare saknas.")),
    ("issuing_unit", "issuing_unit", gettext_lazy("Utfärdande enhet saknas.")),
)


@dataclass
class Check:
    """One thing the registrar should look at: how much it matters (`level`), what to say,
    the form field it is about (its HTML name) and the source line it came from."""

    level: str
    message: str
    field: str = ""
    line: int | None = None
    action: str = ""  # "past_done": the check's button answers every past milestone "Klar"

    @property
    def level_name(self) -> str:
        return str(LEVEL_NAMES[self.level])


def review_checks(document: ParsedDocument, matches: PeopleMatches, today: dt.date) -> list[Check]:
    """The review's checks in the order of their consequence: what keeps the draft from being
    saved, then people (a name to confirm; the names without an account, on one line), then
    the tidplan (inexact periods; the milestones already past, with one action for all), then
    the rest (a scan read by OCR, a missing section)."""
    checks: list[Check] = []
    covered: set[str] = set()
    for attribute, field, message in REQUIRED:
        if not getattr(document, attribute):
            checks.append(Check(BLOCKING, str(message), field))
            covered.add(str(message))
    first_field = _first_fields(document)
    for match in matches.matches.values():
        if match.kind == "fuzzy":
            checks.append(
                Check(
                    PEOPLE,
                    _("”%(name)s” liknar kontot %(account)s: kontrollera att det är samma person.")
                    % {"name": match.name, "account": match.candidate.full_name},
                    *first_field.get(match.name, ("", None)),
                )
            )
    for rare, usual in document.same_person.items():
        checks.append(
            Check(
                PEOPLE,
                _("”%(rare)s” stavas ”%(usual)s” på andra ställen: räknas som samma person.")
                % {"rare": rare, "usual": usual},
                *first_field.get(rare, ("", None)),
            )
        )
    covered |= {w.message for w in document.warnings if w.message.startswith("”")}
    unmatched = [m.name for m in matches.matches.values() if m.kind == "none"]
    if unmatched:
        checks.append(
            Check(
                PEOPLE,
                _("Inget konto för %(names)s: de sparas som kontakter utan inloggning.")
                % {"names": ", ".join(unmatched)},
                *first_field.get(unmatched[0], ("", None)),
            )
        )
    if not document.decision_makers:
        checks.append(
            Check(
                PEOPLE,
                _("Beslutsfattare anges inte: uppdragsgivarna blir beslutsfattare."),
                "decision_makers-0-name",
            )
        )
        covered.add(_("Beslutsfattare anges inte i handlingen."))
    past = []
    for i, row in enumerate(document.milestones):
        if row.period.needs_review:
            checks.append(
                Check(
                    PERIODS,
                    _("”%(title)s”: %(reason)s")
                    % {"title": row.title, "reason": row.period.reason},
                    f"milestones-{i}-period_label",
                    row.line,
                )
            )
        if row.period.due and row.period.due < today:
            past.append((i, row))
    if past:
        checks.append(
            Check(
                PERIODS,
                ngettext(
                    "%(count)d aktivitet har redan passerat: är den klar?",
                    "%(count)d aktiviteter har redan passerat: är de klara?",
                    len(past),
                )
                % {"count": len(past)},
                f"milestones-{past[0][0]}-status",
                past[0][1].line,
                action="past_done",
            )
        )
    covered |= {w.message for w in document.warnings if w.field == "milestones"}
    for warning in document.warnings:
        if warning.message not in covered and warning.field not in ("milestones",):
            checks.append(
                Check(OTHER, warning.message, _FIELDS.get(warning.field, ""), warning.line)
            )
            covered.add(warning.message)
    return sorted(checks, key=lambda check: LEVELS.index(check.level))


_FIELDS = {
    "delivery_due": "delivery_due",
    "issuing_unit": "issuing_unit",
    "decision_makers": "decision_makers-0-name",
    "distribution": "execution-0-name",
}


def _first_fields(document: ParsedDocument) -> dict[str, tuple[str, int | None]]:
    """Each written name → the form field it first stands in, and its source line."""
    fields: dict[str, tuple[str, int | None]] = {}
    for name, person in person_fields(document):
        fields.setdefault(person.name, (name, person.line))
    return fields
