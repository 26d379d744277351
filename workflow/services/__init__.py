"""How an assignment moves: adopt, work its milestones, submit, approve, return, decide, cancel,
supersede, reassign.

One path for every caller: the assignment page and viewflow's task views both call these.
Each service locks the row it changes first (so two decision-makers answering at the same
moment are serialised), changes the registry, drives the viewflow task and writes the audit,
in one transaction; each audit entry replans the reminders it concerns (reminders/receivers.py).

One vocabulary for the callers (`from workflow import services`), written in parts by what
they move: process (the shared plumbing, starting), work (adopt, milestones), decisions
(deliver, answer, decide), closing (cancel, supersede, new version), absence (hand on, who
decides)."""

from ..selectors import open_tasks
from .absence import (
    PARTIES_MAY_CHANGE,
    away_with_stand_in,
    change_decision_makers,
    check_absence,
    current_absences,
    end_absence,
    reassign_task,
    set_absence,
    task_to_hand_on,
)
from .closing import cancel_assignment, draft_new_version, supersede_assignment
from .decisions import (
    answerable_task,
    approve_delivery,
    delivery_awaiting_decision,
    return_delivery,
    submit_delivery,
)
from .process import commissioners_changed, current_process, start_process, waiting_for
from .work import (
    adopt_assignment,
    change_milestone_status,
    comment_on_milestone,
    move_milestone_due,
)

__all__ = [
    "PARTIES_MAY_CHANGE",
    "adopt_assignment",
    "answerable_task",
    "approve_delivery",
    "away_with_stand_in",
    "check_absence",
    "current_absences",
    "end_absence",
    "cancel_assignment",
    "change_decision_makers",
    "change_milestone_status",
    "comment_on_milestone",
    "current_process",
    "delivery_awaiting_decision",
    "draft_new_version",
    "move_milestone_due",
    "open_tasks",
    "reassign_task",
    "return_delivery",
    "set_absence",
    "start_process",
    "commissioners_changed",
    "submit_delivery",
    "supersede_assignment",
    "task_to_hand_on",
    "waiting_for",
]
