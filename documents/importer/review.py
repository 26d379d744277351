"""What the review page of an import shows: the parsed document as the initial values of the
"Nytt uppdrag" forms, and a mark (the reason) on each field a person should check — a name
matched only fuzzily or to no account, a period that is not a month range, a missing section,
a milestone whose date has already passed (done? still open?). Reads only; saves nothing."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
            marks[key] = _(
                "Inget konto heter ”%(name)s”: sparas som kontakt (utan inloggning)."
            ) % {"name": name}
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
    return initial, rows, marks
