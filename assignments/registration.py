"""The one writer of drafts: "Nytt uppdrag" (new or edited), both imports (the reviewed page
and `manage.py import_uppdragshandling`), "Ny version" and the demo all save a draft through
save_draft(), so a draft is the same record whichever way it came in: its fields, its people,
its rows, its relations' links to groups and registration numbers, what it supersedes, each
write audited as what it changed. Starting the draft's process is workflow's
(workflow/imports.py register_draft), in the same transaction.

What a draft holds comes as one dict in the page's shape (RegistrationForms.cleaned()): the
TEXT_FIELDS, the issuing unit, the people, and the rows of each part. A person is a name as
written or picked ("Name (username)") or an account; the unit a name or an OrgUnit.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils.translation import gettext as _

from assignments import audit, permissions, storage

from .contacts import PeopleByName
from .models import (
    REGISTRATION_NUMBER_IN_TEXT,
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

# The one list of an assignment's own values, as its document writes them (its parts with rows
# and its people aside): the page, the imports, a new version's copy, the version diff and the
# forms' initial values all read it.
TEXT_FIELDS = (
    "registration_number",
    "document_date",
    "title",
    "description",
    "purpose",
    "working_group_note",
    "communication",
    "schedule_note",
    "delivery_due",
    "costs_and_financing",
    "decision_form",
    "decision_makers_label",
)
# The ones that are no text: empty is None, not "".
DATE_FIELDS = ("document_date", "delivery_due")

# Parts of a draft that are rows, each a list in the data (the page's formsets' prefixes).
ROW_PARTS = (
    "commissioners",
    "decision_makers",
    "scope",
    "requirements",
    "working_group",
    "relations",
    "milestones",
    "execution",
    "information",
)


def unit_named(name: str, *, actor) -> OrgUnit:
    """The unit of that name, or a new top-level one (audited)."""
    name = " ".join(name.split())
    unit = OrgUnit.objects.filter(name__iexact=name, is_archived=False).order_by("pk").first()
    if unit is None:
        unit = OrgUnit.objects.create(name=name)
        audit.record(actor=actor, action="unit.created", obj=unit, after=audit.full_snapshot(unit))
    return unit


def group_named_in(text: str) -> Group | None:
    """The region-wide group a relation names, written out in full (the longest name wins)."""
    folded = text.casefold()
    named = [
        group
        for group in Group.objects.filter(~Q(is_archived=True)).only("pk", "name")
        if group.name.casefold() in folded
    ]
    return max(named, key=lambda group: len(group.name)) if named else None


def reference_in(text: str) -> str:
    """The registration number a relation names, if any ("… (diarienummer RS 2024-05699)")."""
    found = REGISTRATION_NUMBER_IN_TEXT.search(text)
    return found.group(0)[:40] if found else ""


class People:
    """Who each person value of a draft is: an account as given, a name through `by_name`
    (PeopleByName: an account, or a new contact, audited, once per written name)."""

    def __init__(self, actor, by_name: Callable[[str], User] | None = None):
        self.by_name = by_name or PeopleByName(actor)

    def __call__(self, value: User | str) -> User:
        return value if isinstance(value, User) else self.by_name(value)


def save_draft(
    *,
    data: dict,
    actor,
    assignment: Assignment | None = None,
    source: tuple[bytes, str] | None = None,
    people: Callable[[str], User] | None = None,
    supersedes: Assignment | None = None,
    action: str = "assignment.registered",
    trusted: bool = False,
) -> Assignment:
    """Save `data` as a draft: a new one, or `assignment` edited. `source` is the imported file
    (its bytes and name), kept as the source document; `people` resolves written names (the
    import's matches; PeopleByName otherwise); `supersedes` is the document a new draft
    replaces; `action` names the new draft's audit entry. ValidationError (per field) or
    PermissionDenied says why not; nothing is kept then.

    `trusted` is the command line and the demo loader, run by whoever may run manage.py: they
    ask nobody's permission (`actor`, if any, is who the trail names). Anyone else is asked
    whether they may register these commissioners' work."""
    with audit.one_write():
        person = People(actor, people)
        commissioners = _distinct([person(row["name"]) for row in data["commissioners"]])
        if not trusted:
            _may_save(actor, commissioners, assignment)
        if not commissioners:
            raise ValidationError({"commissioners": _("Ange minst en uppdragsgivare.")})
        new = assignment is None
        before = None if new else audit.full_snapshot(assignment)
        if new:
            assignment = Assignment(state=Assignment.State.DRAFT, supersedes=supersedes)
        for name in TEXT_FIELDS:
            value = data.get(name)
            empty = None if name in DATE_FIELDS else ""
            setattr(assignment, name, empty if value in (None, "") else value)
        unit = data["issuing_unit"]
        assignment.issuing_unit = (
            unit if isinstance(unit, OrgUnit) else unit_named(unit, actor=actor)
        )
        assignment.assignee = person(data["assignee"])
        assignment.project_lead = person(data["project_lead"]) if data["project_lead"] else None
        if "is_public" in data:
            assignment.is_public = bool(data["is_public"])
        if source is not None:
            content, filename = source
            file = ContentFile(content, name=filename)
            storage.validate_document(file)
            assignment.source_document.save(filename, file, save=False)
            assignment.source_document_name = filename[:255]
        assignment.full_clean(exclude=["source_document"])
        assignment.save()
        assignment.commissioners.set(commissioners)
        deciding = _distinct([person(row["name"]) for row in data["decision_makers"]])
        assignment.decision_makers.set(deciding or commissioners)
        reason = assignment.source_document_name if source else ""
        if new:
            audit.record(
                actor=actor,
                action=action,
                obj=assignment,
                after=audit.full_snapshot(assignment),
                reason=reason,
            )
        else:
            audit.record_change(
                actor=actor,
                action="assignment.edited",
                obj=assignment,
                before=before,
                after=audit.full_snapshot(assignment),
                reason=reason,
            )
        _save_rows(assignment, data, person, actor)
        return assignment


def _may_save(actor, commissioners, assignment) -> None:
    if not permissions.may_register_for(actor, commissioners):
        if not permissions.may_register_assignments(actor):
            raise PermissionDenied
        raise ValidationError(
            {"commissioners": _("Du kan bara registrera uppdrag där du själv är uppdragsgivare.")}
        )
    if assignment is not None and not permissions.may_edit_draft(actor, assignment):
        raise PermissionDenied


def _distinct(people):
    seen, result = set(), []
    for p in people:
        if p.pk not in seen:
            seen.add(p.pk)
            result.append(p)
    return result


def _save_row(model, assignment, row_id, values: dict, actor):
    """Create a row, or change the saved one `row_id` (of this assignment only)."""
    if row_id:
        obj = model.objects.filter(assignment=assignment, pk=row_id).first()
        if obj is None:
            raise ValidationError(_("En rad hör inte till det här uppdraget."))
        before = audit.full_snapshot(obj)
        for key, value in values.items():
            setattr(obj, key, value)
        obj.full_clean(exclude=["assignment"])
        obj.save()
        after = audit.full_snapshot(obj)
        audit.record_change(actor=actor, action="row.edited", obj=obj, before=before, after=after)
        return obj
    obj = model(assignment=assignment, **values)
    obj.full_clean(exclude=["assignment"], validate_unique=False)
    obj.save()
    audit.record(actor=actor, action="row.registered", obj=obj, after=audit.full_snapshot(obj))
    return obj


def _relation_links(assignment: Assignment, row: dict) -> dict:
    """What a relation points at: as given (a copy keeps its links); for a new row, or a saved
    one whose text changed, what its text names (a group written out in full, a registration
    number), on every path alike; a saved row whose text is as it was keeps its links (one
    set in the admin, say, for a group its text names otherwise)."""
    text = row["text"]
    if row.get("row_id") and not any(key.startswith("target_") for key in row):
        saved = AssignmentRelation.objects.filter(assignment=assignment, pk=row["row_id"]).first()
        if saved is not None and saved.text == text:
            return {}
    links = {
        "target_group": row["target_group"] if "target_group" in row else group_named_in(text),
        "target_reference": row.get("target_reference", reference_in(text)),
    }
    if "target_assignment" in row:
        links["target_assignment"] = row["target_assignment"]
    return links


def _save_rows(assignment: Assignment, data: dict, person, actor) -> None:
    for kind, prefix in (
        (AssignmentItem.Kind.SCOPE, "scope"),
        (AssignmentItem.Kind.REQUIREMENT, "requirements"),
    ):
        for position, row in enumerate(data[prefix], start=1):
            values = {"kind": kind, "position": position, "text": row["text"]}
            _save_row(AssignmentItem, assignment, row.get("row_id"), values, actor)
    members: set[int] = set()
    for position, row in enumerate(data["working_group"], start=1):
        member = person(row["name"])
        if member.pk in members:
            continue
        members.add(member.pk)
        values = {"person": member, "role": row["role"], "position": position}
        _save_row(WorkingGroupMember, assignment, row.get("row_id"), values, actor)
    for position, row in enumerate(data["relations"], start=1):
        values = {"kind": row["kind"], "text": row["text"], "position": position}
        values.update(_relation_links(assignment, row))
        _save_row(AssignmentRelation, assignment, row.get("row_id"), values, actor)
    for position, row in enumerate(data["milestones"], start=1):
        values = {
            "title": row["title"],
            "kind": row["kind"],
            "period_label": row["period_label"],
            "start": row["start"] or row["due"],
            "due": row["due"],
            "position": position,
        }
        if row.get("status"):
            values["status"] = row["status"]
        if row.get("responsible"):
            values["responsible"] = person(row["responsible"])
        _save_row(Milestone, assignment, row.get("row_id"), values, actor)
    for purpose, prefix in (
        (Distribution.Purpose.EXECUTION, "execution"),
        (Distribution.Purpose.INFORMATION, "information"),
    ):
        listed: set[int] = set()
        for position, row in enumerate(data[prefix], start=1):
            listed_person = person(row["name"])
            if listed_person.pk in listed:
                continue
            listed.add(listed_person.pk)
            values = {
                "person": listed_person,
                "purpose": purpose,
                "note": row["note"],
                "position": position,
            }
            _save_row(Distribution, assignment, row.get("row_id"), values, actor)
