"""The registrar's desk on the start page: what waits for the registry rather than for one
person. The registrar's own uploads being read or waiting for review (an upload is the
uploader's until it is saved as a draft), drafts not yet sent for adoption, drafts waiting for
their adoption, and what needs attention: an open assignment whose commissioner
has no login (a contact), a late milestone whose responsible person nobody can tell, mail that
bounced. Each list is one query, cut at DESK_LIST rows (`more` says when there are more), so
the page costs the same however large the registry grows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from viewflow.workflow.models import Task

from assignments import permissions
from assignments.contacts import contacts_q, unreachable_q
from assignments.models import Assignment, Milestone
from assignments.selectors import LIST_FIELDS
from documents import import_jobs
from reminders import selectors as outbox

DESK_LIST = 10
BOUNCED_DAYS = 30


@dataclass
class Listing:
    rows: list
    more: bool


def _first(queryset, limit: int = DESK_LIST) -> Listing:
    rows = list(queryset[: limit + 1])
    return Listing(rows[:limit], len(rows) > limit)


def _adoption_waits() -> Exists:
    """An open adoption task in the assignment's process (the artifact is the assignment)."""
    return Exists(
        Task.objects.filter(
            process__artifact_object_id=OuterRef("pk"),
            flow_task_type="HUMAN",
            owner_permission=permissions.ADOPT_PERMISSION,
            status__in=permissions.OPEN_TASK_STATUSES,
        )
    )


def registrar_desk(request, today: dt.date, now: dt.datetime) -> dict:
    """The desk's lists for a registrar (an empty dict for anyone else)."""
    if not permissions.is_registrar(request.user):
        return {}
    drafts = (
        Assignment.objects.filter(state=Assignment.State.DRAFT)
        .only(*LIST_FIELDS)
        .annotate(waits_for_adoption=_adoption_waits())
    )
    late = Q(due__lt=today) & ~Q(status__in=Milestone.CLOSED_STATUSES)
    nobody_told = Q(responsible__isnull=False) & unreachable_q("responsible__") | Q(
        responsible__isnull=True
    ) & (Q(assignment__assignee__isnull=True) | unreachable_q("assignment__assignee__"))
    desk = {
        "imports": _first(
            import_jobs.jobs_of(request.user).only("token", "filename", "status", "created_at")
        ),
        "drafts": _first(drafts.filter(waits_for_adoption=False).order_by("-pk")),
        "to_adopt": _first(drafts.filter(waits_for_adoption=True).order_by("pk")),
        "contact_commissioners": _first(
            Assignment.objects.filter(state__in=Assignment.OPEN_STATES)
            .filter(pk__in=Assignment.objects.filter(contacts_q("commissioners__")).values("pk"))
            .only(*LIST_FIELDS)
            .order_by("delivery_due", "pk")
        ),
        "unreported_late": _first(
            Milestone.objects.filter(late, nobody_told)
            .filter(assignment__state__in=Assignment.IN_FORCE_STATES)
            .select_related("assignment", "responsible", "assignment__assignee")
            .order_by("due", "pk")
        ),
        "bounced": outbox.bounced(now - dt.timedelta(days=BOUNCED_DAYS), DESK_LIST),
    }
    desk["needs_attention"] = bool(
        desk["contact_commissioners"].rows or desk["unreported_late"].rows or desk["bounced"]
    )
    return {"desk": desk}
