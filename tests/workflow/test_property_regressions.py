"""The failing examples the lifecycle's state machine (lifecycle_machine.py) found, each replayed
as the steps Hypothesis shrank it to: the same acts through the same machine, its invariants
checked after every step, so each fails as it did until its bug is fixed."""

import contextlib

import pytest

from .lifecycle_machine import (
    CONTACT_ASSIGNEE,
    CONTACT_DM,
    LifecycleMachine,
    check_reminders,
    check_state_and_process,
)

pytestmark = pytest.mark.django_db


def spec(**changes):
    """A small registration: one commissioner, who also decides, the assignee, no rows."""
    return {
        "reuse_number": False,
        "commissioners": ["c1"],
        "decision_makers": [],
        "assignee": "assignee",
        "lead": None,
        "members": [],
        "execution": [],
        "information": [],
        "milestones": [],
        "delivery_due": None,
        **changes,
    }


def replay(*steps):
    """Run the steps on a fresh machine, the invariants checked after each, as Hypothesis
    does; the example's rows are rolled back at the end."""
    machine = LifecycleMachine()
    try:
        machine.invariants_hold()
        for name, arguments in steps:
            getattr(machine, name)(**arguments)
            machine.invariants_hold()
        return machine
    finally:
        machine.teardown()


def test_saving_a_draft_unchanged_writes_no_audit_entry():
    """A no-op writes nothing: saving "Ändra utkastet" as it is wrote an assignment.edited
    entry with the whole record before and after (issue 25, reproduction 7's root)."""
    replay(
        ("start_with_one", {"spec": spec(), "stage": "draft"}),
        (
            "edit_draft",
            {"via": "service", "who": "registrar", "i": 0, "j": 0, "change": "none", "days": 1},
        ),
    )


def test_an_edit_records_only_what_changed():
    """An entry records a change as a change: a new title was written as an entry holding every
    field of the record, unchanged ones as "from X to X"."""
    replay(
        ("start_with_one", {"spec": spec(), "stage": "draft"}),
        (
            "edit_draft",
            {"via": "page", "who": "registrar", "i": 0, "j": 0, "change": "title", "days": 1},
        ),
    )


def test_linking_a_contact_is_audited_on_every_assignment_it_changes():
    """Every change has an entry naming what changed: linking a contact moved the assignee of
    an assignment with one entry on the contact only (no assignment, no field)."""
    replay(
        ("start_with_one", {"spec": spec(assignee=CONTACT_ASSIGNEE), "stage": "adopted"}),
        (
            "link",
            {
                "via": "service",
                "contact": CONTACT_ASSIGNEE,
                "account": "stand_in",
                "who": "registrar",
            },
        ),
    )


def test_linking_a_contact_hands_its_reminders_to_the_account():
    """Every planned reminder goes to a current person: after linking the contact that was
    the assignee, its reminders stayed with the deactivated contact and the account had none
    (issue 25, reproduction 6). The link here is the service's, without the machine's audit
    check, so that this test tells the reminders alone."""
    from assignments.contacts import link_contact
    from assignments.models import Assignment, User

    machine = LifecycleMachine()
    try:
        machine.start_with_one(
            spec=spec(assignee=CONTACT_ASSIGNEE, milestones=[(30, 10)], delivery_due=120),
            stage="adopted",
        )
        assignment = Assignment.objects.get(pk=machine.assignments[0])
        contact = assignment.assignee
        check_reminders(assignment, machine.today())
        link_contact(
            contact=contact, account=machine.people["stand_in"], actor=machine.people["registrar"]
        )
        assignment.refresh_from_db()
        assert assignment.assignee == machine.people["stand_in"]
        assert not User.objects.get(pk=contact.pk).is_active
        check_reminders(assignment, machine.today())
    finally:
        machine.teardown()


def test_linking_a_contact_who_decides_a_waiting_delivery_keeps_state_and_process_agreed():
    """The state and the process agree: linking a contact who is a decision-maker of a
    delivered assignment made the account the decision-maker of record while the open
    approval task still asked the contact. (Refusing the link is an answer too.)"""
    from django.core.exceptions import ValidationError

    from assignments.contacts import link_contact
    from assignments.models import Assignment, User

    machine = LifecycleMachine()
    try:
        machine.start_with_one(spec=spec(decision_makers=["d1", CONTACT_DM]), stage="delivered")
        assignment = Assignment.objects.get(pk=machine.assignments[0])
        check_state_and_process(assignment)
        contact = User.objects.get(first_name="Dora")
        with contextlib.suppress(ValidationError):
            link_contact(
                contact=contact,
                account=machine.people["stand_in"],
                actor=machine.people["registrar"],
            )
        assignment.refresh_from_db()
        check_state_and_process(assignment)
    finally:
        machine.teardown()


def test_handing_a_task_to_whoever_holds_it_writes_nothing():
    """A no-op writes nothing: the assignee handed the work task to themself, and
    task.reassigned was written (owner 953 -> 953) and they were told of it."""
    replay(
        ("start_with_one", {"spec": spec(), "stage": "adopted"}),
        (
            "hand_on",
            {
                "via": "service",
                "who": "assignee",
                "i": 0,
                "j": 0,
                "k": 0,
                "to": "assignee",
                "m": 0,
            },
        ),
    )


def test_a_drafts_delivery_date_corrected_in_the_admin_is_no_reported_move():
    """The report's deviations are the moves that happened: a draft's final delivery corrected
    in the admin (no reason asked: it is not adopted) was listed as "Flyttat slutdatum" once the
    draft was adopted, while the same correction on "Ändra utkastet" is not."""
    replay(
        (
            "start_with_one",
            {"spec": spec(delivery_due=60, milestones=[(5, 0)]), "stage": "draft"},
        ),
        ("move_delivery", {"who": "registrar", "i": 0, "j": 0, "days": 1}),
        ("adopt", {"via": "service", "who": "commissioner", "i": 0, "j": 0}),
    )


def test_a_draft_cancelled_before_adoption_reports_no_move():
    """The report's deviations are the moves that happened (bench, 5,000 examples): a draft's
    final delivery corrected in the admin, then the draft cancelled, was reported as moved
    "från 2026-06-30 till 2026-08-19": with no adoption the report counted every correction.
    A draft cancelled or replaced before its adoption was nobody's commission."""
    replay(
        ("start_with_one", {"spec": spec(delivery_due=120), "stage": "draft"}),
        ("time_passes", {"days": 1}),
        ("move_delivery", {"who": "registrar", "i": 0, "j": 5, "days": 50}),
        ("cancel", {"via": "page", "who": "commissioner", "i": 2, "j": 0}),
    )
