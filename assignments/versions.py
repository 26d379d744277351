"""Versions of an uppdragshandling: a new document that replaces an earlier one ("denna
uppdragshandling ersätter tidigare uppdragshandling …, daterad …", seed 004) records it in
`Assignment.supersedes`. The chain of versions, and the copy a new version starts from.

The copy is a registry write only; workflow.services.draft_new_version checks who may make
it, audits it and starts its process, and adopting it supersedes the old one.
"""

from __future__ import annotations

import datetime as dt

from .models import (
    Assignment,
    AssignmentItem,
    AssignmentRelation,
    Distribution,
    Milestone,
    WorkingGroupMember,
)

# What a new version takes over as it is; its date and final delivery are asked for, its
# state is a draft and it records what it supersedes.
COPIED_FIELDS = (
    "registration_number",
    "issuing_unit",
    "title",
    "description",
    "purpose",
    "working_group_note",
    "communication",
    "schedule_note",
    "costs_and_financing",
    "decision_form",
    "decision_makers_label",
    "assignee",
    "project_lead",
    "is_public",
)
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


def _copy_rows(model, rows, assignment: Assignment, fields: tuple[str, ...], changes=None):
    """Copies of `rows` on `assignment`: their `fields` as they are, with `changes(row)`."""
    model.objects.bulk_create(
        model(
            assignment=assignment,
            **{f: getattr(row, f) for f in fields},
            **(changes(row) if changes else {}),
        )
        for row in rows
    )


def _milestone_status(milestone: Milestone) -> str:
    """Work done stays done. How the rest went (under way, at risk, blocked) was said of the old
    plan; the new plan starts them again when it is adopted."""
    if milestone.status == Milestone.Status.DONE:
        return Milestone.Status.DONE
    return Milestone.Status.PLANNED


def copy_as_draft(
    old: Assignment, *, document_date: dt.date, delivery_due: dt.date | None
) -> Assignment:
    """A new draft with everything of `old`: fields, people, scope and requirements, working
    group, relations, timeline and distribution. Cancelled activities are not part of the new
    plan and are left behind; the new draft's milestones restart as `_milestone_status` says.
    Raises ValidationError (in Swedish, by field) if the new document is not valid."""
    new = Assignment(
        **{name: getattr(old, name) for name in COPIED_FIELDS},
        document_date=document_date,
        delivery_due=delivery_due,
        supersedes=old,
        state=Assignment.State.DRAFT,
    )
    new.full_clean()
    new.save()
    new.commissioners.set(old.commissioners.all())
    new.decision_makers.set(old.decision_makers.all())

    _copy_rows(
        AssignmentItem,
        old.items.order_by("kind", "position", "pk"),
        new,
        ("kind", "position", "text"),
    )
    _copy_rows(
        WorkingGroupMember,
        old.working_group.filter(is_active=True).order_by("position", "pk"),
        new,
        ("person", "role", "position"),
    )
    _copy_rows(
        AssignmentRelation,
        old.relations.order_by("position", "pk"),
        new,
        ("kind", "position", "text", "target_assignment", "target_group", "target_reference"),
    )
    _copy_rows(
        Milestone,
        old.milestones.exclude(status=Milestone.Status.CANCELLED).order_by("position", "pk"),
        new,
        ("kind", "title", "period_label", "start", "due", "responsible", "position"),
        lambda m: {"status": _milestone_status(m)},
    )
    _copy_rows(
        Distribution,
        old.distribution.order_by("position", "pk"),
        new,
        ("person", "purpose", "note", "position"),
    )
    return new
