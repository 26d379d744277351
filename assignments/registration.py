"""Saving a draft from "Nytt uppdrag" (new or edited) or from a reviewed import: the
assignment, its rows and the people it names, each write audited. Starting the process is
workflow's (workflow/imports.py register_draft), in the same transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from assignments import audit, permissions, storage
from assignments.contacts import PeopleByName

from .models import (
    Assignment,
    AssignmentItem,
    AssignmentRelation,
    Distribution,
    Milestone,
    OrgUnit,
    WorkingGroupMember,
)

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


def unit_named(name: str, *, actor) -> OrgUnit:
    """The unit of that name, or a new top-level one (audited), as the importer does."""
    name = " ".join(name.split())
    unit = OrgUnit.objects.filter(name__iexact=name, is_archived=False).order_by("pk").first()
    if unit is None:
        unit = OrgUnit.objects.create(name=name)
        audit.record(actor=actor, action="unit.created", obj=unit, after=audit.full_snapshot(unit))
    return unit


def save_draft(
    *,
    data: dict,
    actor,
    assignment: Assignment | None = None,
    source: tuple[bytes, str] | None = None,
) -> Assignment:
    """Save what the page holds (RegistrationForms.cleaned()) as a draft: a new one, or
    `assignment` edited. `source` is the imported file (its bytes and name), kept as the
    source document. ValidationError (per field) or PermissionDenied says why not; callers
    hold the transaction, so nothing is kept then."""
    with transaction.atomic():
        person = PeopleByName(actor)
        commissioners = _distinct([person(row["name"]) for row in data["commissioners"]])
        if not permissions.may_register_for(actor, commissioners):
            if not permissions.may_register_assignments(actor):
                raise PermissionDenied
            raise ValidationError(
                {
                    "commissioners": _(
                        "Du kan bara registrera uppdrag där du själv är uppdragsgivare."
                    )
                }
            )
        if assignment is not None and not permissions.may_edit_draft(actor, assignment):
            raise PermissionDenied
        new = assignment is None
        before = None if new else audit.full_snapshot(assignment)
        assignment = assignment or Assignment(state=Assignment.State.DRAFT)
        for name in TEXT_FIELDS:
            value = data[name]
            setattr(assignment, name, "" if value is None and name != "delivery_due" else value)
        assignment.issuing_unit = unit_named(data["issuing_unit"], actor=actor)
        assignment.assignee = person(data["assignee"])
        assignment.project_lead = person(data["project_lead"]) if data["project_lead"] else None
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
        audit.record(
            actor=actor,
            action="assignment.registered" if new else "assignment.edited",
            obj=assignment,
            before=before,
            after=audit.full_snapshot(assignment),
            reason=assignment.source_document_name if source else "",
        )
        _save_rows(assignment, data, person, actor)
        return assignment


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
        if after != before:
            audit.record(actor=actor, action="row.edited", obj=obj, before=before, after=after)
        return obj
    obj = model(assignment=assignment, **values)
    obj.full_clean(exclude=["assignment"], validate_unique=False)
    obj.save()
    audit.record(actor=actor, action="row.registered", obj=obj, after=audit.full_snapshot(obj))
    return obj


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
