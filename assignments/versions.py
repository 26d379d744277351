"""Versions of an uppdragshandling: a new document that replaces an earlier one ("denna
uppdragshandling ersätter tidigare uppdragshandling …, daterad …", seed 004) records it in
`Assignment.supersedes`. The chain of versions, and the copy a new version starts from.

The copy is saved by the one draft writer (registration.save_draft) like any draft;
workflow.services.draft_new_version checks who may make it. Its process starts when it is saved
on "Ändra utkastet" (workflow/imports.py), and adopting it supersedes the old one.
"""

from __future__ import annotations

import datetime as dt

from .models import Assignment, AssignmentItem, Distribution, Milestone
from .registration import TEXT_FIELDS, save_draft

# Open, and past the draft: a draft is edited, not given a new version.
REPLACEABLE_STATES = (
    Assignment.State.ADOPTED,
    Assignment.State.IN_PROGRESS,
    Assignment.State.DELIVERED,
)
# A chain longer than this is a loop or a mistake, not a history of versions.
MAX_VERSIONS = 100


def next_version(assignment: Assignment) -> Assignment | None:
    """The document that replaces this one, or its draft: the one not dropped (cancelled)."""
    return (
        Assignment.objects.filter(supersedes=assignment)
        .exclude(state=Assignment.State.CANCELLED)
        .order_by("pk")
        .first()
    )


def chain(assignment: Assignment) -> list[Assignment]:
    """Every version of the document, the first one first: those it supersedes, those that
    supersede it (dropped drafts included: they are versions someone wrote)."""
    root, seen = assignment, {assignment.pk}
    while root.supersedes_id and root.supersedes_id not in seen and len(seen) < MAX_VERSIONS:
        root = Assignment.objects.get(pk=root.supersedes_id)
        seen.add(root.pk)
    versions, level = [root], [root.pk]
    while level and len(versions) < MAX_VERSIONS:
        found = [
            a
            for a in Assignment.objects.filter(supersedes__in=level).order_by("pk")
            if a.pk not in {v.pk for v in versions}
        ]
        versions += found
        level = [a.pk for a in found]
    return sorted(versions, key=lambda a: (a.document_date, a.created_at, a.pk))


def _milestone_status(milestone: Milestone) -> str:
    """Work done stays done. How the rest went (under way, at risk, blocked) was said of the old
    plan; the new plan starts them again when it is adopted."""
    if milestone.status == Milestone.Status.DONE:
        return Milestone.Status.DONE
    return Milestone.Status.PLANNED


def copy_as_draft(
    old: Assignment, *, actor, document_date: dt.date, delivery_due: dt.date | None
) -> Assignment:
    """A new draft with everything of `old`, saved by the one draft writer: its values,
    people, scope and requirements, working group, relations (with their links), timeline and
    distribution. Cancelled activities are not part of the new plan and are left behind; the
    new draft's milestones restart as `_milestone_status` says. Raises ValidationError (in
    Swedish, by field) if the new document is not valid."""
    return save_draft(
        data=copy_values(old, document_date=document_date, delivery_due=delivery_due),
        actor=actor,
        supersedes=old,
    )


def copy_values(old: Assignment, *, document_date: dt.date, delivery_due: dt.date | None):
    """`old` in the draft writer's shape, its people as accounts, with the new dates."""
    values = {name: getattr(old, name) for name in TEXT_FIELDS}
    values.update(document_date=document_date, delivery_due=delivery_due)
    items = list(old.items.order_by("kind", "position", "pk"))
    values.update(
        issuing_unit=old.issuing_unit,
        assignee=old.assignee,
        project_lead=old.project_lead,
        is_public=old.is_public,
        commissioners=[{"name": p} for p in old.commissioners.order_by("pk")],
        decision_makers=[{"name": p} for p in old.decision_makers.order_by("pk")],
        scope=[{"text": i.text} for i in items if i.kind == AssignmentItem.Kind.SCOPE],
        requirements=[{"text": i.text} for i in items if i.kind == AssignmentItem.Kind.REQUIREMENT],
        working_group=[
            {"name": m.person, "role": m.role}
            for m in old.working_group.filter(is_active=True).order_by("position", "pk")
        ],
        relations=[
            {
                "kind": r.kind,
                "text": r.text,
                "target_assignment": r.target_assignment,
                "target_group": r.target_group,
                "target_reference": r.target_reference,
            }
            for r in old.relations.order_by("position", "pk")
        ],
        milestones=[
            {
                "title": m.title,
                "kind": m.kind,
                "period_label": m.period_label,
                "start": m.start,
                "due": m.due,
                "status": _milestone_status(m),
                "responsible": m.responsible,
            }
            for m in old.milestones.exclude(status=Milestone.Status.CANCELLED).order_by(
                "position", "pk"
            )
        ],
    )
    for purpose, prefix in (
        (Distribution.Purpose.EXECUTION, "execution"),
        (Distribution.Purpose.INFORMATION, "information"),
    ):
        values[prefix] = [
            {"name": d.person, "note": d.note}
            for d in old.distribution.filter(purpose=purpose).order_by("position", "pk")
        ]
    return values
