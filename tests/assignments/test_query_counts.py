"""The everyday pages run a fixed number of queries: the same with 5 and with 50 rows, ≤ 20.

Each page is measured twice in the same test, after growing the data from 5 to 50; the
first measurement is the number the second must equal.
"""

import datetime as dt

import pytest
from django.urls import reverse
from notifications.signals import notify

from assignments.models import Assignment, Milestone
from tests.factories import (
    AssignmentFactory,
    DistributionFactory,
    MilestoneFactory,
    UserFactory,
    WorkingGroupMemberFactory,
)
from workflow import services

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20


def _assignments(person, commissioner, n):
    for _i in range(n):
        assignment = AssignmentFactory(assignee=person, state=Assignment.State.DRAFT)
        assignment.commissioners.add(commissioner, person)
        assignment.decision_makers.add(commissioner)
        WorkingGroupMemberFactory(assignment=assignment)
        DistributionFactory(assignment=assignment)
        MilestoneFactory(assignment=assignment, responsible=person, due=dt.date.today())
        services.start_process(assignment=assignment)
        # adopted: the person's milestones run and their work task waits for them
        services.adopt_assignment(assignment=assignment, actor=commissioner)
        notify.send(commissioner, recipient=person, verb="Påminnelse", target=assignment)


def _count(client, url, assert_max_num_queries) -> int:
    client.get(url)  # warm per-process caches (content types, templates)
    with assert_max_num_queries(MAX_QUERIES) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    if url == reverse("home"):  # every list of the start page has rows
        page = response.content.decode()
        for list_id in ("my-tasks", "my-milestones", "uppdrag-assignment-list"):
            assert list_id in page, list_id
    return len(queries)


@pytest.fixture
def person():
    return UserFactory(username="jan.test")


@pytest.mark.parametrize("page", ["home", "portfolio"])
def test_start_page_and_portfolio_queries_do_not_grow(
    client, person, page, django_assert_max_num_queries
):
    commissioner = UserFactory()
    client.force_login(person)
    url = reverse(page)
    _assignments(person, commissioner, 5)
    few = _count(client, url, django_assert_max_num_queries)
    _assignments(person, commissioner, 45)
    assert Assignment.objects.count() == 50
    many = _count(client, url, django_assert_max_num_queries)
    assert many == few
    if page == "portfolio":
        export = client.get(url + "?format=csv")
        assert export.content.decode("utf-8-sig").count("\n") == 51  # header + 50


def test_assignment_page_queries_do_not_grow_with_milestones(
    client, person, django_assert_max_num_queries
):
    commissioner = UserFactory()
    assignment = AssignmentFactory(assignee=person, state=Assignment.State.DRAFT)
    assignment.commissioners.add(commissioner)
    assignment.decision_makers.add(commissioner)
    services.start_process(assignment=assignment)
    services.adopt_assignment(assignment=assignment, actor=commissioner)
    url = reverse("workflow:assignment", args=[assignment.pk])
    client.force_login(person)

    def grow(n):
        for _i in range(n):
            milestone = MilestoneFactory(assignment=assignment, responsible=person)
            WorkingGroupMemberFactory(assignment=assignment)
            DistributionFactory(assignment=assignment)
            services_change(milestone)

    def services_change(milestone):
        from workflow.services import change_milestone_status

        change_milestone_status(
            milestone=milestone,
            actor=person,
            to_status=Milestone.Status.IN_PROGRESS,
            comment="Igång",
        )

    grow(5)
    few = _count(client, url, django_assert_max_num_queries)
    grow(45)
    assert assignment.milestones.count() == 50
    many = _count(client, url, django_assert_max_num_queries)
    assert many == few


def test_a_readers_start_page_queries_do_not_grow_with_what_she_follows(
    client, person, django_assert_max_num_queries
):
    """Issue 17, 6: the assignments a "för kännedom" reader follows, each with its next
    deadline and its decision, in a fixed number of queries."""
    from assignments.models import Decision, Delivery

    def follow(n):
        for i in range(n):
            assignment = AssignmentFactory(
                state=Assignment.State.DECIDED if i % 2 else Assignment.State.IN_PROGRESS
            )
            MilestoneFactory(assignment=assignment)
            DistributionFactory(assignment=assignment, person=person)
            if i % 2:
                delivery = Delivery.objects.create(
                    assignment=assignment, number=1, summary="x", submitted_by=assignment.assignee
                )
                Decision.objects.create(
                    assignment=assignment, delivery=delivery, decided_on=dt.date(2025, 12, 3)
                )

    def count() -> int:
        client.get(reverse("home"))  # warm per-process caches
        with django_assert_max_num_queries(MAX_QUERIES) as queries:
            page = client.get(reverse("home")).content.decode()
        followed = page.split('id="followed"', 1)[1].split("</ul>", 1)[0]
        assert followed.count("<li>") == min(Assignment.objects.count(), 25)
        return len(queries)

    client.force_login(person)
    follow(5)
    few = count()
    follow(45)
    assert count() == few
