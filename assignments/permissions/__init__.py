"""Who may do what on an assignment (docs/security.md, "The rules"), written once: the one
vocabulary of can_/is_/may_ predicates, the process's task rules included.

Every view and task checks these predicates server-side. The role predicates are `rules`
predicates, so they also answer `user.has_perm("assignments.view_assignment", assignment)` and
friends; the task rules read a person's Standing on one assignment.

One vocabulary, kept in parts by what it is about; callers use this package, never a part:
- roles: who a person is to an assignment (is_registrar, is_commissioner, is_stand_in …);
- records: reading and changing the record (can_view_assignment, visible_assignments,
  may_register_for, may_edit_draft …), and the object permissions registered with `rules`;
- tasks: the process's tasks and the decision (Standing, may_hold_approval, may_hand_to …);
- people: accounts and identity (may_manage_person, AUTHORITY, may_change_identity …).
Importing this package registers the object permissions (AssignmentsConfig.ready does).
"""

from __future__ import annotations

from .people import (
    AUTHORITY,
    REGISTRAR_PERMISSIONS,
    holds_authority,
    may_change_identity,
    may_change_identity_fields,
    may_manage_person,
    may_set_password,
    registrar_permissions,
)
from .records import (
    can_adopt_assignment,
    can_cancel_assignment,
    can_edit_assignment,
    can_submit_delivery,
    can_supersede_assignment,
    can_update_milestone,
    can_view_assignment,
    may_edit_draft,
    may_import_documents,
    may_register_assignments,
    may_register_for,
    may_report_on_commissioner,
    may_see_portfolio,
    may_update_milestone,
    visible_assignments,
    visible_assignments_q,
)
from .roles import (
    OPEN_TASK_STATUSES,
    REGIONAL_DIRECTOR_GROUP,
    REGISTRAR_GROUP,
    is_assignee,
    is_commissioner,
    is_decision_maker,
    is_information_reader,
    is_public_within_organisation,
    is_regional_director,
    is_registrar,
    is_stand_in,
    is_working_group_member,
    is_working_group_member_in,
)
from .tasks import (
    ADOPT,
    ADOPT_PERMISSION,
    APPROVE,
    NOBODY,
    WORK,
    Standing,
    decision_maker_of,
    involved,
    may_answer,
    may_decide_in_person,
    may_hand_on,
    may_hand_to,
    may_hold,
    may_hold_approval,
    may_run,
    may_stand_in,
    may_take,
    stand_in_of,
    standing,
    standings,
)

__all__ = [
    "ADOPT",
    "ADOPT_PERMISSION",
    "APPROVE",
    "AUTHORITY",
    "NOBODY",
    "OPEN_TASK_STATUSES",
    "REGIONAL_DIRECTOR_GROUP",
    "REGISTRAR_GROUP",
    "REGISTRAR_PERMISSIONS",
    "Standing",
    "WORK",
    "can_adopt_assignment",
    "can_cancel_assignment",
    "can_edit_assignment",
    "can_submit_delivery",
    "can_supersede_assignment",
    "can_update_milestone",
    "can_view_assignment",
    "decision_maker_of",
    "holds_authority",
    "involved",
    "is_assignee",
    "is_commissioner",
    "is_decision_maker",
    "is_information_reader",
    "is_public_within_organisation",
    "is_regional_director",
    "is_registrar",
    "is_stand_in",
    "is_working_group_member",
    "is_working_group_member_in",
    "may_answer",
    "may_change_identity",
    "may_change_identity_fields",
    "may_decide_in_person",
    "may_edit_draft",
    "may_import_documents",
    "may_hand_on",
    "may_hand_to",
    "may_hold",
    "may_hold_approval",
    "may_manage_person",
    "may_register_assignments",
    "may_register_for",
    "may_report_on_commissioner",
    "may_run",
    "may_see_portfolio",
    "may_set_password",
    "may_stand_in",
    "may_take",
    "may_update_milestone",
    "registrar_permissions",
    "stand_in_of",
    "standing",
    "standings",
    "visible_assignments",
    "visible_assignments_q",
]
