"""The registry's reads that several parts share: "my milestones" (the start page, the digest,
the reminders) and the latest delivery."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from assignments import selectors
from assignments.models import Assignment, Delivery, Milestone
from reminders.deadlines import plan_for_milestone
from reminders.digest import digest_items
from reminders.models import Reminder
from tests.factories import AssignmentFactory, MilestoneFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestones():
    """A person's milestones and others', all due within the start page's horizon."""
    me, other = UserFactory(username="me"), UserFactory(username="other")
    today = dt.date.today()
    soon = {"start": today, "due": today + dt.timedelta(days=5)}
    mine = AssignmentFactory(assignee=me)
    theirs = AssignmentFactory(assignee=other)
    draft = AssignmentFactory(assignee=me, state=Assignment.State.DRAFT)
    delivered = AssignmentFactory(assignee=me, state=Assignment.State.DELIVERED)
    return {
        "me": me,
        "other": other,
        # mine: as assignee (whoever is responsible) or as the responsible person
        "as_assignee": MilestoneFactory(assignment=mine, title="Egen", **soon),
        "as_assignee_other_responsible": MilestoneFactory(
            assignment=mine, responsible=other, title="Annans ansvar", **soon
        ),
        "as_responsible": MilestoneFactory(
            assignment=theirs, responsible=me, title="Mitt ansvar", **soon
        ),
        # not mine: closed, not worked on (not adopted yet, delivered), someone else's
        "done": MilestoneFactory(
            assignment=mine, status=Milestone.Status.DONE, title="Klar", **soon
        ),
        "draft": MilestoneFactory(assignment=draft, title="Utkast", **soon),
        "delivered": MilestoneFactory(assignment=delivered, title="Levererad", **soon),
        "someone_elses": MilestoneFactory(assignment=theirs, title="Annans", **soon),
    }


MINE = {"as_assignee", "as_assignee_other_responsible", "as_responsible"}


def test_my_milestones_are_the_assignees_and_the_responsible_persons_while_work_runs(
    milestones,
):
    found = set(selectors.milestones_of(milestones["me"]))
    assert found == {milestones[name] for name in MINE}


def test_milestone_people_are_those_whose_milestones_list_it(milestones):
    people = [milestones["me"], milestones["other"]]
    for name in [*MINE, "someone_elses"]:
        milestone = milestones[name]
        listed_for = [p.pk for p in people if milestone in set(selectors.milestones_of(p))]
        assert sorted(selectors.milestone_people(milestone)) == sorted(listed_for), name
    shared = milestones["as_assignee_other_responsible"]
    assert selectors.milestone_people(shared) == [milestones["me"].pk, milestones["other"].pk]


def test_start_page_digest_and_reminders_name_the_same_milestones(client, milestones):
    """One rule: the start page lists exactly the milestones the digest sums up and the
    reminders go out for (the start page used to leave out the assignee's milestones that
    someone else answers for, and to list those of drafts, which nobody is reminded of)."""
    me = milestones["me"]
    expected = {milestones[name].pk for name in MINE}

    client.force_login(me)
    page = client.get(reverse("home")).content.decode()
    section = page.split('id="my-milestones"', 1)[1].split("</table>", 1)[0]
    on_page = {int(pk) for pk in re.findall(r"#milestone-(\d+)", section)}

    items = digest_items(me, dt.date.today())
    in_digest = {
        int(item.url.rsplit("-", 1)[1])
        for item in items["overdue"] + items["upcoming"]
        if "#milestone-" in item.url
    }
    # planning is the services' explicit call when they save a milestone; the factories don't
    for milestone in Milestone.objects.all():
        plan_for_milestone(milestone)
    reminded = set(
        Reminder.objects.filter(recipient=me, milestone__isnull=False).values_list(
            "milestone_id", flat=True
        )
    )
    assert on_page == expected
    assert in_digest == expected
    assert reminded == expected


def test_latest_delivery_is_the_highest_number(db):
    assignment = AssignmentFactory()
    assert selectors.latest_delivery(assignment) is None
    for number in (2, 1, 3):
        Delivery.objects.create(
            assignment=assignment,
            number=number,
            summary=f"Version {number}",
            submitted_by=assignment.assignee,
        )
    assert selectors.latest_delivery(assignment).number == 3


# -- what a person follows from a distribution list (issue 17, 6) ---------------------------------


def test_followed_are_the_distribution_lists_assignments_no_other_list_shows(db):
    from assignments.models import Distribution
    from tests.factories import DistributionFactory, WorkingGroupMemberFactory

    me = UserFactory()
    for_information = AssignmentFactory(title="För kännedom")
    for_execution_only = AssignmentFactory(title="För genomförande")
    in_my_group = AssignmentFactory(title="I min arbetsgrupp")
    commissioned = AssignmentFactory(title="Beställt", commissioners=[me])
    superseded = AssignmentFactory(title="Ersatt", state=Assignment.State.SUPERSEDED)
    not_listed = AssignmentFactory(title="Inte på listan")
    WorkingGroupMemberFactory(assignment=in_my_group, person=me)
    for assignment in (for_information, commissioned, superseded):
        DistributionFactory(assignment=assignment, person=me)
    for assignment in (for_execution_only, in_my_group):
        DistributionFactory(
            assignment=assignment, person=me, purpose=Distribution.Purpose.EXECUTION
        )
    DistributionFactory(assignment=not_listed)

    assert set(selectors.followed_by(me)) == {for_information, for_execution_only}
    listed_for = {a.title: a.listed_for for a in selectors.first_followed(me, 10)}
    assert listed_for == {"För kännedom": "För kännedom", "För genomförande": "För genomförande"}


def test_a_followed_assignments_next_deadline_and_decision(db, django_assert_num_queries):
    from assignments.models import Decision
    from tests.factories import DistributionFactory

    me = UserFactory()
    due = dt.date(2025, 12, 1)
    milestone_first = AssignmentFactory(title="Milstolpe först", delivery_due=due)
    MilestoneFactory(
        assignment=milestone_first, title="Klar", due=dt.date(2025, 9, 1), status="done"
    )
    MilestoneFactory(assignment=milestone_first, title="Seminarier", due=dt.date(2025, 10, 31))
    MilestoneFactory(assignment=milestone_first, title="Senare", due=dt.date(2025, 11, 30))
    delivery_first = AssignmentFactory(title="Leverans först", delivery_due=due)
    MilestoneFactory(assignment=delivery_first, due=dt.date(2026, 3, 31))
    decided = AssignmentFactory(title="Beslutat", state=Assignment.State.DECIDED)
    MilestoneFactory(assignment=decided, due=dt.date(2025, 10, 31))
    delivery = Delivery.objects.create(
        assignment=decided, number=1, summary="Slutrapport", submitted_by=decided.assignee
    )
    Decision.objects.create(
        assignment=decided,
        delivery=delivery,
        decided_on=dt.date(2025, 12, 3),
        paragraph_reference="§ 12",
    )
    for assignment in (milestone_first, delivery_first, decided):
        DistributionFactory(assignment=assignment, person=me)

    rows = {a.title: a for a in selectors.first_followed(me, 10, today=dt.date(2025, 9, 15))}
    assert rows["Milstolpe först"].next_deadline == selectors.Deadline(
        "Seminarier", dt.date(2025, 10, 31)
    )
    assert rows["Leverans först"].next_deadline == selectors.Deadline("Slutleverans", due)
    assert rows["Beslutat"].next_deadline is None  # nothing more is due
    decision = rows["Beslutat"].decision
    assert (decision.decided_on, decision.paragraph_reference) == (dt.date(2025, 12, 3), "§ 12")
    with django_assert_num_queries(0), pytest.raises(Decision.DoesNotExist):
        rows["Milstolpe först"].decision  # noqa: B018 (loaded as none, not asked again)


def test_a_followed_assignments_next_deadline_is_never_past(db):
    """Issue 29, item 9: "Nästa tidpunkt: 31 aug 2025" for a date long past is not next."""
    from tests.factories import DistributionFactory

    me = UserFactory()
    assignment = AssignmentFactory(title="Pågår", delivery_due=dt.date(2025, 12, 1))
    MilestoneFactory(assignment=assignment, title="Seminarier", due=dt.date(2025, 10, 31))
    MilestoneFactory(assignment=assignment, title="Senare", due=dt.date(2025, 11, 20))
    DistributionFactory(assignment=assignment, person=me)

    def next_on(day):
        return selectors.first_followed(me, 10, today=day)[0].next_deadline

    assert next_on(dt.date(2025, 11, 5)) == selectors.Deadline("Senare", dt.date(2025, 11, 20))
    assert next_on(dt.date(2025, 11, 25)) == selectors.Deadline(
        "Slutleverans", dt.date(2025, 12, 1)
    )
    assert next_on(dt.date(2025, 12, 2)) is None
