"""assignments.permissions, the task rules: a person's Standing and the task rules that read it."""

import pytest

from assignments import permissions as roles
from assignments import permissions as task_rules
from assignments.models import User
from tests.factories import UserFactory
from workflow import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(seed004, people):
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    services.submit_delivery(assignment=seed004, actor=people.jan_strang, summary="Förslag")
    return seed004


def approval_task(assignment, decision_maker):
    return next(
        t
        for t in services.open_tasks(assignment)
        if t.flow_task.name == "approve" and t.data["decision_maker"] == decision_maker.pk
    )


def test_standings_in_one_query_agree_with_the_role_predicates(seed004, django_assert_num_queries):
    people = User.objects.order_by("pk")
    with django_assert_num_queries(1):
        found = task_rules.standings(seed004, people)
    assert len(found) == people.count() > 10
    for person, standing in found:
        assert standing == task_rules.standing(person, seed004)
        assert standing.is_assignee == roles.is_assignee(person, seed004)
        assert standing.is_project_lead == (seed004.project_lead_id == person.pk)
        assert standing.works == roles.is_working_group_member(person, seed004)
        assert standing.decides == roles.is_decision_maker(person, seed004)
        assert standing.commissions == roles.is_commissioner(person, seed004)
        assert standing.adopts == roles.can_adopt_assignment(person, seed004)
        assert standing.is_registrar == roles.is_registrar(person)


def test_the_people_involved_are_everyone_who_may_hold_the_adoption_or_the_work(seed004, people):
    """The assignment page offers the adoption and the work only to the people involved in the
    assignment, not to the whole region: nobody the rules would let hold them is left out."""
    UserFactory.create_batch(5)  # people with no role at all
    everyone = User.objects.order_by("pk")
    adopt = services.open_tasks(seed004).get()
    services.adopt_assignment(assignment=seed004, actor=people.anders_kullbratt)
    work = services.open_tasks(seed004).get()
    involved = task_rules.standings(seed004, task_rules.involved(seed004).order_by("pk"))
    assert len(involved) < everyone.count()
    for task in (adopt, work):
        allowed = [
            p for p, s in task_rules.standings(seed004, everyone) if task_rules.may_hold(task, s)
        ]
        assert allowed
        assert [p for p, s in involved if task_rules.may_hold(task, s)] == allowed


def test_the_people_involved_include_those_named_and_everyone_on_the_document(seed004):
    outsider = UserFactory()
    involved = set(task_rules.involved(seed004, also=[outsider.pk]))
    assert outsider in involved
    assert {
        seed004.assignee,
        *seed004.commissioners.all(),
        *seed004.decision_makers.all(),
    } <= involved
    assert {m.person for m in seed004.working_group.filter(is_active=True)} <= involved


def test_a_decision_maker_of_record_in_the_working_group_still_decides(delivered, people):
    """Seed 004 names Anders Kullbratt in the working group and as a decision-maker."""
    anders = task_rules.standing(people.anders_kullbratt, delivered)
    assert anders.works and anders.decides
    assert task_rules.may_answer(approval_task(delivered, people.anders_kullbratt), anders)


def test_a_decision_maker_who_is_also_the_assignee_neither_answers_nor_delegates(delivered, people):
    """Issue #25, 2: the delivering side never picks who decides."""
    jan = people.jan_strang
    delivered.decision_makers.add(jan)
    task = approval_task(delivered, people.per_albertsson)
    task.data = {"decision_maker": jan.pk}  # as if the split had made it Jan's
    me = task_rules.standing(jan, delivered)
    assert not task_rules.may_answer(task, me)
    assert not task_rules.may_hand_on(task, me)
    outsider = UserFactory()
    assert not task_rules.may_hand_to(task, me, task_rules.standing(outsider, delivered))
    task.data = {**task.data, "stand_in": outsider.pk}
    assert not task_rules.may_hold(task, task_rules.standing(outsider, delivered))


def test_a_stand_in_is_never_another_decision_maker(delivered, people):
    per, anders = people.per_albertsson, people.anders_kullbratt
    task = approval_task(delivered, per)
    me, other = task_rules.standing(per, delivered), task_rules.standing(anders, delivered)
    assert not task_rules.may_hand_to(task, me, other)
    task.data = {**task.data, "stand_in": anders.pk}
    task.owner = anders
    assert not task_rules.may_answer(task, other)


def test_anonymous_and_inactive_people_hold_nothing(delivered, people):
    task = approval_task(delivered, people.per_albertsson)
    assert not task_rules.may_hold(task, task_rules.NOBODY)
    assert not task_rules.may_hand_on(task, task_rules.NOBODY)
    per = people.per_albertsson
    per.is_active = False
    per.save()
    assert not task_rules.may_answer(task, task_rules.standing(per, delivered))


def test_a_stand_in_not_recorded_on_the_task_holds_nothing(delivered, people):
    task = approval_task(delivered, people.per_albertsson)
    outsider = UserFactory()
    task.owner = outsider
    assert not task_rules.may_run(task, task_rules.standing(outsider, delivered))
    task.data = {**task.data, "stand_in": outsider.pk}
    assert task_rules.may_run(task, task_rules.standing(outsider, delivered))


def test_the_adoption_may_be_taken_by_every_commissioner_and_run_only_once_taken(seed004, people):
    """Issue #17, 7: the adoption waits for any commissioner (or the regional director), not
    for the first one by id; viewflow's queue, the start page and the rules agree on who."""
    from workflow.selectors import queued_for

    UserFactory.create_batch(3)
    task = services.open_tasks(seed004).get()
    assert task.owner_id is None
    everyone = task_rules.standings(seed004, User.objects.order_by("pk"))
    may_take = {p.username for p, s in everyone if task_rules.may_take(task, s)}
    assert may_take == {"anders.kullbratt", "per.albertsson", "regiondirektor"}
    assert {p.username for p, s in everyone if task_rules.may_run(task, s)} == set()
    for person, standing in everyone:
        assert (task in queued_for(person)) == task_rules.may_take(task, standing), person
        assert task_rules.may_take(task, standing) == roles.can_adopt_assignment(person, seed004)
    # once taken, its holder runs it and nobody takes it any more
    task.flow_task.activation_class(task).assign(people.per_albertsson)
    everyone = task_rules.standings(seed004, User.objects.order_by("pk"))
    assert {p.username for p, s in everyone if task_rules.may_run(task, s)} == {"per.albertsson"}
    assert not any(task_rules.may_take(task, s) for _p, s in everyone)
