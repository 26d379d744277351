"""Seed 004's two versions (DOMAIN.md, seed 004): the document of 2025-08-12 "ersätter tidigare
uppdragshandling benämnd "Koncernkontorets organisering …", daterad 2025-06-18". The earlier
version is not public; this fixture gives it seed 004's text with the earlier title (the seed
names it) and an earlier, made-up timeline, so that a diff shows what the seed says changed:
the title and the timeline."""

from __future__ import annotations

import datetime as dt

from assignments import demo_data
from assignments.models import (
    Assignment,
    AssignmentItem,
    AssignmentRelation,
    Distribution,
    Group,
    Milestone,
    User,
    WorkingGroupMember,
)

D = dt.date
# (kind, title, period label, start, due) of the version of 2025-06-18 (made up for the test)
EARLIER_TIMELINE = [
    (
        "resource_allocation",
        "Resurssättning av arbetsgrupper/ansvariga samt etablering av metod.",
        "Juni 2025",
        D(2025, 6, 1),
        D(2025, 6, 30),
    ),
    (
        "seminars",
        "Genomförande av seminarier och övriga aktiviteter.",
        "Juli – sep 2025",
        D(2025, 7, 1),
        D(2025, 9, 30),
    ),
    (
        "compilation",
        "Sammanställning av material, framtagande av förslag till organisering",
        "Okt 2025",
        D(2025, 10, 1),
        D(2025, 10, 31),
    ),
]


def earlier_version_of_seed_004(seed: Assignment) -> Assignment:
    """The demo's version of 2025-06-18 (superseded by seed 004), filled in: seed 004's text,
    people and lists, the earlier title it already has and EARLIER_TIMELINE."""
    data = demo_data.SEED_004
    people = {u.username: u for u in User.objects.all()}
    groups = {g.name: g for g in Group.objects.all()}
    old = Assignment.objects.get(pk=seed.supersedes_id)
    assert old.title == data["supersedes"]["title"]
    for name in (
        "description",
        "purpose",
        "working_group_note",
        "communication",
        "schedule_note",
        "costs_and_financing",
        "decision_form",
        "decision_makers_label",
        "delivery_due",
    ):
        setattr(old, name, data[name])
    old.project_lead = people[data["project_lead"]]
    old.save()
    add_document_rows(old, data, people, groups, milestones=EARLIER_TIMELINE)
    return old


def add_document_rows(assignment, data, people, groups, *, milestones=None) -> None:
    """An uppdragshandling's people and rows as demo_data writes them, straight into the
    tables: the earlier version is history (superseded), not a draft the draft writer saves."""
    assignment.commissioners.set([people[u] for u in data["commissioners"]])
    assignment.decision_makers.set([people[u] for u in data["decision_makers"]])
    for kind, texts in (("scope", data["scope"]), ("requirement", data["requirements"])):
        for position, text in enumerate(texts, start=1):
            AssignmentItem.objects.create(
                assignment=assignment, kind=kind, position=position, text=text
            )
    for position, (username, role) in enumerate(data["working_group"], start=1):
        WorkingGroupMember.objects.create(
            assignment=assignment, person=people[username], role=role, position=position
        )
    for position, (kind, text, group, reference) in enumerate(data["relations"], start=1):
        AssignmentRelation.objects.create(
            assignment=assignment,
            kind=kind,
            position=position,
            text=text,
            target_group=groups.get(group) if group else None,
            target_reference=reference,
        )
    timeline = data["milestones"] if milestones is None else milestones
    for position, (kind, title, label, start, due) in enumerate(timeline, start=1):
        Milestone.objects.create(
            assignment=assignment,
            kind=kind,
            title=title,
            period_label=label,
            start=start,
            due=due,
            position=position,
        )
    for position, (purpose, username, note) in enumerate(data["distribution"], start=1):
        Distribution.objects.create(
            assignment=assignment,
            person=people[username],
            purpose=purpose,
            note=note,
            position=position,
        )
