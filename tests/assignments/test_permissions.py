from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import Group as AuthGroup

from assignments import permissions
from assignments.models import Assignment, Distribution, User
from tests.factories import (
    AssignmentFactory,
    DistributionFactory,
    MilestoneFactory,
    UserFactory,
    WorkingGroupMemberFactory,
)
from tests.seeding import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    commissioner, reader, member, assignee = (UserFactory() for _ in range(4))
    assignment = AssignmentFactory(
        assignee=assignee, commissioners=[commissioner], decision_makers=[commissioner]
    )
    WorkingGroupMemberFactory(assignment=assignment, person=member)
    DistributionFactory(assignment=assignment, person=reader, purpose="information")
    return assignment, commissioner, reader, member, assignee


def test_information_reader_may_read_but_not_update(case):
    assignment, _, reader, _, _ = case
    milestone = MilestoneFactory(assignment=assignment, responsible=reader)
    assert reader.has_perm("assignments.view_assignment", assignment)
    assert not reader.has_perm("assignments.change_milestone", milestone)
    assert not permissions.may_decide_in_person(permissions.standing(reader, assignment))


def test_member_updates_only_milestones_they_answer_for(case):
    assignment, _, _, member, _ = case
    own = MilestoneFactory(assignment=assignment, responsible=member)
    other = MilestoneFactory(assignment=assignment)
    assert permissions.can_update_milestone(member, own)
    assert not permissions.can_update_milestone(member, other)


def test_assignee_updates_every_milestone_and_submits(case):
    assignment, _, _, _, assignee = case
    assert permissions.can_update_milestone(assignee, MilestoneFactory(assignment=assignment))
    assert assignee.has_perm("assignments.submit_delivery", assignment)


def test_member_of_one_assignment_has_nothing_on_another(case):
    _, commissioner, reader, member, _ = case
    other = AssignmentFactory()
    for person in (commissioner, reader, member):
        assert not person.has_perm("assignments.view_assignment", other)
        assert other not in permissions.visible_assignments(person)
    assert not permissions.can_update_milestone(member, MilestoneFactory(assignment=other))


def test_working_group_member_cannot_decide(case):
    assignment, commissioner, _, member, _ = case
    assert not permissions.may_decide_in_person(permissions.standing(member, assignment))
    assert permissions.may_decide_in_person(permissions.standing(commissioner, assignment))


def test_there_is_no_second_rule_for_who_decides(case):
    """The approval rule is the task rules' (may_decide_in_person, may_hold_approval); the old
    "decide_assignment" permission said every decision-maker, the project lead too."""
    assignment, commissioner, *_ = case
    assert not commissioner.has_perm("assignments.decide_assignment", assignment)
    assert not hasattr(permissions, "can_decide")


def test_execution_list_counts_as_working_group(case):
    assignment = case[0]
    executor = UserFactory()
    DistributionFactory(
        assignment=assignment, person=executor, purpose=Distribution.Purpose.EXECUTION
    )
    assert permissions.is_working_group_member(executor, assignment)


def test_public_assignment_is_readable_by_any_logged_in_person():
    assignment = AssignmentFactory(is_public=True)
    outsider = UserFactory()
    assert outsider.has_perm("assignments.view_assignment", assignment)
    assert not AnonymousUser().has_perm("assignments.view_assignment", assignment)


def test_registrar_sees_everything(case):
    registrar = UserFactory()
    registrar.groups.add(AuthGroup.objects.create(name=permissions.REGISTRAR_GROUP))
    AssignmentFactory()
    assert permissions.visible_assignments(registrar).count() == 2


def test_visible_assignments_has_no_duplicates(case):
    assignment, commissioner, *_ = case
    WorkingGroupMemberFactory(assignment=assignment, person=commissioner)
    assert list(permissions.visible_assignments(commissioner)) == [assignment]


def test_regional_director_may_adopt(case):
    assignment = case[0]
    director = UserFactory()
    director.groups.add(AuthGroup.objects.create(name=permissions.REGIONAL_DIRECTOR_GROUP))
    assert director.has_perm("assignments.adopt_assignment", assignment)
    assert not UserFactory().has_perm("assignments.adopt_assignment", assignment)


def test_a_stand_in_holding_a_task_reads_the_assignment_and_the_filter_agrees(db):

    from workflow import services

    load_demo("--draft", "--seed-only")
    seed004 = Assignment.objects.get(registration_number="RS 2024-05699", state="draft")
    people = SimpleNamespace(**{u.username.replace(".", "_"): u for u in User.objects.all()})
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    delivery = services.submit_delivery(
        assignment=seed004, actor=people.jan_strang, summary="Förslag"
    )
    per, stand_in, outsider = people.per_albertsson, UserFactory(), UserFactory()
    assert not permissions.can_view_assignment(stand_in, seed004)
    task = next(t for t in services.open_tasks(seed004) if t.data.get("decision_maker") == per.pk)
    services.reassign_task(task=task, actor=per, new_owner=stand_in, reason="Semester")
    services.approve_delivery(delivery=delivery, decided_by=stand_in)  # and after answering
    for person in User.objects.all():
        readable = {
            a for a in Assignment.objects.all() if permissions.can_view_assignment(person, a)
        }
        assert set(permissions.visible_assignments(person)) == readable, person
    assert permissions.can_view_assignment(stand_in, seed004)
    assert not permissions.can_view_assignment(outsider, seed004)


def test_the_visibility_rule_and_the_queryset_filter_agree_for_every_demo_user(db):
    """can_view_assignment (asked of one assignment) and visible_assignments (the lists' filter)
    are two statements of one rule: for every person and assignment of the demo, in every state
    it holds, they agree."""

    load_demo()
    assignments = list(Assignment.objects.order_by("pk"))
    people = list(User.objects.order_by("pk"))
    assert len(assignments) >= 7 and len(people) > 10
    disagree = []
    for person in people:
        listed = set(permissions.visible_assignments(person).values_list("pk", flat=True))
        for assignment in assignments:
            if permissions.can_view_assignment(person, assignment) != (assignment.pk in listed):
                disagree.append((person.username, assignment.registration_number))
    assert disagree == []
