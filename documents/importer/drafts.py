"""An imported uppdragshandling saved as a draft: the assignment, its items, working group,
relations, tidplan and distribution, people matched to accounts, and the source file kept on
it, all through the one draft writer (registration.save_draft), so the command and the review
page save the same record. The registry's half of an import: starting the draft's process is
workflow's (workflow/imports.py), in the same transaction.

A written name that matches no account becomes a person without a login (an account with no
usable password and no e-mail, as a registrar creates one in the admin), kept as written, so
the record names everyone the document names; it can be given a login later.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assignments.contacts import PeopleByName
from assignments.models import Assignment, OrgUnit, User
from assignments.registration import DATE_FIELDS, TEXT_FIELDS, save_draft
from documents.importer.people import Candidate, Directory, Match, account_candidates, match_name
from documents.importer.result import ParsedDocument

# The draft's fields the parsed document names otherwise.
PARSED_AS = {"document_date": "date"}


@dataclass
class PeopleMatches:
    """Each written name of a document and the account it was matched to."""

    matches: dict[str, Match] = field(default_factory=dict)
    # A spelling the document itself corrects elsewhere → the usual spelling.
    aliases: dict[str, str] = field(default_factory=dict)

    def warnings(self) -> list[str]:
        """A fuzzy match to check, and the names that match no account."""
        found = []
        for match in self.matches.values():
            if match.kind == "fuzzy":
                found.append(
                    _("”%(name)s” matchades osäkert mot kontot %(account)s: kontrollera.")
                    % {"name": match.name, "account": match.candidate.full_name}
                )
        unmatched = [m.name for m in self.matches.values() if m.kind == "none"]
        if unmatched:
            found.append(
                _("Inget konto heter %(names)s: de registreras som personer utan inloggning.")
                % {"names": ", ".join(f"”{name}”" for name in unmatched)}
            )
        return found


def match_people(document: ParsedDocument, candidates: list[Candidate] | None = None):
    """Every name the document writes, matched to the accounts (exactly or fuzzily)."""
    directory = Directory(account_candidates() if candidates is None else candidates)
    matches = PeopleMatches()
    for _field, person in document.people():
        if person.name not in matches.matches:
            matches.matches[person.name] = match_name(person.name, directory)
    for rare, usual in document.same_person.items():
        # "Ander Kullbratt" beside "Anders Kullbratt": one person, whichever account (or none)
        # the usual spelling found; the spelling warning already asks the registrar to look.
        if matches.matches[rare].kind == "none" or matches.matches[usual].kind == "exact":
            matches.matches[rare] = Match(rare, "same", matches.matches[usual].candidate)
            matches.aliases[rare] = usual
    return matches


def missing_for_draft(document: ParsedDocument) -> list[str]:
    """What a draft cannot be saved without (the document's parse warned of it already)."""
    required = [
        (document.registration_number, _("diarienummer")),
        (document.date, _("datum")),
        (document.title, _("rubrik")),
        (document.issuing_unit, _("utfärdande enhet")),
        (document.assignee, _("uppdragstagare")),
        (document.commissioners, _("uppdragsgivare")),
    ]
    return [label for value, label in required if not value]


class _People:
    """Who each written name of the document is, as the command and the reviewed page both
    resolve it: the account the document's name was matched to (exactly, fuzzily, or as the
    spelling the document itself corrects), else a name typed or picked on the page, or a new
    contact (contacts.PeopleByName)."""

    def __init__(self, actor, matches: PeopleMatches):
        self.matches = matches
        self.by_name = PeopleByName(actor)
        self.accounts: dict[int, User] = {}

    def __call__(self, name: str) -> User:
        written = self.matches.aliases.get(name, name)
        match = self.matches.matches.get(written)
        if match is None or match.candidate is None:
            return self.by_name(name)
        pk = match.candidate.pk
        if pk not in self.accounts:
            self.accounts[pk] = User.objects.get(pk=pk)
        return self.accounts[pk]


def superseded_assignment(document: ParsedDocument) -> Assignment | None:
    """The registered assignment the document says it replaces (same diarienummer and the
    date it gives), if there is one."""
    if not (document.supersedes and document.registration_number):
        return None
    day = document.supersedes.value.date
    if day is None:
        return None
    return (
        Assignment.objects.filter(
            registration_number=document.registration_number.value, document_date=day
        )
        .order_by("pk")
        .first()
    )


def refuse_in_force(document: ParsedDocument) -> Assignment | None:
    """The registered document this one replaces (superseded_assignment), if any; a
    ValidationError when that one is still in force: replacing it is "Ny version"'s."""
    old = superseded_assignment(document)
    if old is not None and old.state != Assignment.State.SUPERSEDED:
        raise ValidationError(
            _(
                "Handlingen ersätter %(old)s daterad %(date)s, som fortfarande gäller. "
                "Ersätt den som en ny version av uppdraget i stället."
            )
            % {"old": old.registration_number, "date": old.document_date.isoformat()}
        )
    return old


def draft_values(document: ParsedDocument) -> dict:
    """What the document says, in the draft writer's shape (registration.save_draft; the same
    the review page prefills): names as written."""
    values = {name: _value(getattr(document, PARSED_AS.get(name, name))) for name in TEXT_FIELDS}
    for name in DATE_FIELDS:
        values[name] = values[name] or None
    values["title"] = values["title"][:400]
    values["decision_makers_label"] = values["decision_makers_label"][:300]
    values["issuing_unit"] = _value(document.issuing_unit)
    values["assignee"] = document.assignee.name if document.assignee else ""
    values["project_lead"] = document.project_lead.name if document.project_lead else ""
    values["commissioners"] = [{"name": p.name} for p in document.commissioners]
    values["decision_makers"] = [{"name": p.name} for p in document.decision_makers]
    values["scope"] = [{"text": item.value} for item in document.scope]
    values["requirements"] = [{"text": item.value} for item in document.requirements]
    values["working_group"] = [
        {"name": m.name, "role": m.role[:300]} for m in document.working_group
    ]
    values["relations"] = [{"kind": r.kind, "text": r.text} for r in document.relations]
    values["milestones"] = []
    for row in document.milestones:
        start, due = milestone_dates(document, row)
        if due is None:
            document.warn(
                _("Aktiviteten ”%(title)s” har inget datum och lades inte in.")
                % {"title": row.title},
                field="milestones",
                line=row.line,
            )
            continue
        values["milestones"].append(
            {
                "title": row.title[:400],
                "kind": row.kind,
                "period_label": row.period.label[:100],
                "start": start,
                "due": due,
            }
        )
    for prefix, people in (
        ("execution", document.execution),
        ("information", document.information),
    ):
        values[prefix] = [{"name": p.name, "note": p.note[:300]} for p in people]
    return values


def create_draft(
    document: ParsedDocument,
    *,
    data: bytes,
    filename: str,
    actor=None,
    matches: PeopleMatches | None = None,
    reviewed: dict | None = None,
    trusted: bool = False,
) -> Assignment:
    """Save the document as a draft assignment with everything it holds, through the one
    draft writer (callers hold the transaction and start the process): what the document
    says, or `reviewed`, the review page's values for it. ValidationError says what keeps it
    from being saved; what the registrar should check is added to document.warnings.
    `trusted`: the command line (registration.save_draft)."""
    if reviewed is None:
        missing = missing_for_draft(document)
        if missing:
            raise ValidationError(
                _("Handlingen kan inte sparas som utkast, det saknas: %(missing)s.")
                % {"missing": ", ".join(missing)}
            )
    matches = matches or match_people(document)
    values = reviewed if reviewed is not None else draft_values(document)
    unit = " ".join(str(values["issuing_unit"]).split())
    if not OrgUnit.objects.filter(name__iexact=unit, is_archived=False).exists():
        document.warn(
            _("Enheten ”%(unit)s” fanns inte och har lagts upp.") % {"unit": unit},
            field="issuing_unit",
        )
    if not values["decision_makers"]:
        document.warn(
            _("Uppdragsgivarna har lagts in som beslutsfattare."), field="decision_makers"
        )
    assignment = save_draft(
        data=values,
        actor=actor,
        source=(data, filename),
        people=_People(actor, matches),
        supersedes=refuse_in_force(document),
        action="assignment.imported",
        trusted=trusted,
    )
    for message in matches.warnings():
        document.warn(message)
    return assignment


def _value(found) -> str:
    return found.value if found is not None else ""


def milestone_dates(document: ParsedDocument, row):
    """A milestone's start and due: a deadline alone starts and ends on its day; a start
    alone ends at the final delivery (the review shows both as uncertain)."""
    start, due = row.period.start, row.period.due
    if due is None and start is not None:
        final = document.delivery_due.value if document.delivery_due else None
        due = final if final and final >= start else start
    if start is None:
        start = due
    return start, due
