"""An imported uppdragshandling saved as a draft: the assignment, its items, working group,
relations, tidplan and distribution, people matched to accounts, and the source file kept on
it. The registry's half of an import: starting the draft's process is workflow's
(workflow/imports.py), in the same transaction.

A written name that matches no account becomes a person without a login (an account with no
usable password and no e-mail, as a registrar creates one in the admin), kept as written, so
the record names everyone the document names; it can be given a login later.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils.translation import gettext as _

from assignments import audit, storage
from assignments.contacts import new_contact
from assignments.models import (
    Assignment,
    AssignmentItem,
    AssignmentRelation,
    Distribution,
    Group,
    Milestone,
    OrgUnit,
    User,
    WorkingGroupMember,
)
from documents.importer.people import Candidate, Directory, Match, account_candidates, match_name
from documents.importer.result import ParsedDocument


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


class _Registry:
    """The rows an import creates, each with its audit entry."""

    def __init__(self, actor, matches: PeopleMatches):
        self.actor = actor
        self.matches = matches
        self.people: dict[str, User] = {}
        self.created_people: list[User] = []

    def record(self, obj, assignment=None) -> None:
        audit.record(
            actor=self.actor,
            action="import.registered",
            obj=obj,
            after=audit.full_snapshot(obj),
            assignment=assignment,
        )

    def person(self, name: str) -> User:
        name = self.matches.aliases.get(name, name)
        if name in self.people:
            return self.people[name]
        match = self.matches.matches.get(name)
        if match is not None and match.candidate is not None:
            person = User.objects.get(pk=match.candidate.pk)
        else:
            person = new_contact(name)
            self.record(person)
            self.created_people.append(person)
        self.people[name] = person
        return person

    def unit(self, name: str) -> tuple[OrgUnit, bool]:
        unit = OrgUnit.objects.filter(name__iexact=name, is_archived=False).order_by("pk").first()
        if unit is not None:
            return unit, False
        unit = OrgUnit.objects.create(name=name)
        self.record(unit)
        return unit, True


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


def create_draft(
    document: ParsedDocument,
    *,
    data: bytes,
    filename: str,
    actor=None,
    matches: PeopleMatches | None = None,
) -> Assignment:
    """Save the document as a draft assignment with everything it holds (callers hold the
    transaction and start the process). ValidationError says what keeps it from being saved;
    what the registrar should check is added to document.warnings."""
    missing = missing_for_draft(document)
    if missing:
        raise ValidationError(
            _("Handlingen kan inte sparas som utkast, det saknas: %(missing)s.")
            % {"missing": ", ".join(missing)}
        )
    source = ContentFile(data, name=filename)
    storage.validate_document(source)
    matches = matches or match_people(document)
    registry = _Registry(actor, matches)
    unit, new_unit = registry.unit(document.issuing_unit.value)
    if new_unit:
        document.warn(
            _("Enheten ”%(unit)s” fanns inte och har lagts upp.") % {"unit": unit.name},
            field="issuing_unit",
        )
    old = superseded_assignment(document)
    if old is not None and old.state != Assignment.State.SUPERSEDED:
        raise ValidationError(
            _(
                "Handlingen ersätter %(old)s daterad %(date)s, som fortfarande gäller. "
                "Ersätt den som en ny version av uppdraget i stället."
            )
            % {"old": old.registration_number, "date": old.document_date.isoformat()}
        )
    assignment = Assignment(
        registration_number=document.registration_number.value,
        document_date=document.date.value,
        issuing_unit=unit,
        title=document.title.value[:400],
        description=_value(document.description),
        purpose=_value(document.purpose),
        working_group_note=_value(document.working_group_note),
        communication=_value(document.communication),
        schedule_note=_value(document.schedule_note),
        costs_and_financing=_value(document.costs_and_financing),
        decision_form=_value(document.decision_form),
        decision_makers_label=_value(document.decision_makers_label)[:300],
        delivery_due=document.delivery_due.value if document.delivery_due else None,
        assignee=registry.person(document.assignee.name),
        project_lead=registry.person(document.project_lead.name) if document.project_lead else None,
        supersedes=old,
        state=Assignment.State.DRAFT,
        source_document_name=filename[:255],
    )
    assignment.full_clean(exclude=["source_document"])
    assignment.source_document.save(filename, source, save=False)
    assignment.save()
    commissioners = [registry.person(p.name) for p in document.commissioners]
    assignment.commissioners.set(commissioners)
    if document.decision_makers:
        assignment.decision_makers.set([registry.person(p.name) for p in document.decision_makers])
    else:
        assignment.decision_makers.set(commissioners)
        document.warn(
            _("Uppdragsgivarna har lagts in som beslutsfattare."), field="decision_makers"
        )
    audit.record(
        actor=actor,
        action="assignment.imported",
        obj=assignment,
        after=audit.full_snapshot(assignment),
        reason=filename,
    )
    _rows(document, assignment, registry)
    for message in matches.warnings():
        document.warn(message)
    return assignment


def _value(found) -> str:
    return found.value if found is not None else ""


def _rows(document: ParsedDocument, assignment: Assignment, registry: _Registry) -> None:
    created = []
    for kind, items in (
        (AssignmentItem.Kind.SCOPE, document.scope),
        (AssignmentItem.Kind.REQUIREMENT, document.requirements),
    ):
        for position, item in enumerate(items, start=1):
            created.append(
                AssignmentItem.objects.create(
                    assignment=assignment, kind=kind, position=position, text=item.value
                )
            )
    members: set[int] = set()
    for position, member in enumerate(document.working_group, start=1):
        person = registry.person(member.name)
        if person.pk in members:
            continue
        members.add(person.pk)
        created.append(
            WorkingGroupMember.objects.create(
                assignment=assignment, person=person, role=member.role[:300], position=position
            )
        )
    for position, relation in enumerate(document.relations, start=1):
        created.append(
            AssignmentRelation.objects.create(
                assignment=assignment,
                kind=relation.kind,
                position=position,
                text=relation.text,
                target_group=_group_named_in(relation.text),
                target_reference=relation.reference,
            )
        )
    for position, row in enumerate(document.milestones, start=1):
        start, due = milestone_dates(document, row)
        if due is None:
            document.warn(
                _("Aktiviteten ”%(title)s” har inget datum och lades inte in.")
                % {"title": row.title},
                field="milestones",
                line=row.line,
            )
            continue
        created.append(
            Milestone.objects.create(
                assignment=assignment,
                kind=row.kind,
                title=row.title[:400],
                period_label=row.period.label[:100],
                start=start,
                due=due,
                position=position,
            )
        )
    for purpose, people in (
        (Distribution.Purpose.EXECUTION, document.execution),
        (Distribution.Purpose.INFORMATION, document.information),
    ):
        listed: set[int] = set()
        for position, entry in enumerate(people, start=1):
            person = registry.person(entry.name)
            if person.pk in listed:
                continue
            listed.add(person.pk)
            created.append(
                Distribution.objects.create(
                    assignment=assignment,
                    person=person,
                    purpose=purpose,
                    note=entry.note[:300],
                    position=position,
                )
            )
    for row in created:
        registry.record(row)


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


def _group_named_in(text: str) -> Group | None:
    """The region-wide group a relation names, written out in full."""
    folded = text.casefold()
    named = [
        group
        for group in Group.objects.filter(~Q(is_archived=True)).only("pk", "name")
        if group.name.casefold() in folded
    ]
    return max(named, key=lambda group: len(group.name)) if named else None
