"""The timeline picture's geometry: bars in date order, overdue marked, today and the deadline."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from assignments import timeline
from assignments.models import Milestone
from tests.factories import AssignmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


def test_bars_follow_the_dates_and_late_open_milestones_are_overdue():
    assignment = AssignmentFactory(delivery_due=dt.date(2025, 12, 1))
    early = MilestoneFactory(
        assignment=assignment, start=dt.date(2025, 6, 1), due=dt.date(2025, 8, 31)
    )
    late_done = MilestoneFactory(
        assignment=assignment,
        start=dt.date(2025, 9, 1),
        due=dt.date(2025, 10, 31),
        status=Milestone.Status.DONE,
    )
    later = MilestoneFactory(
        assignment=assignment, start=dt.date(2025, 11, 1), due=dt.date(2026, 6, 30)
    )
    with translation.override("sv"):
        picture = timeline.build(
            [early, late_done, later], assignment.delivery_due, dt.date(2025, 11, 14)
        )
    bars = {bar.milestone.pk: bar for bar in picture.bars}
    assert bars[early.pk].x < bars[late_done.pk].x < bars[later.pk].x
    assert bars[early.pk].overdue and not bars[late_done.pk].overdue and not bars[later.pk].overdue
    assert bars[later.pk].y > bars[late_done.pk].y > bars[early.pk].y
    # today lies between the second bar's end and the deadline; the deadline before the last end
    assert bars[late_done.pk].x + bars[late_done.pk].width < picture.today.x < picture.deadline.x
    assert picture.deadline.x < bars[later.pk].x + bars[later.pk].width
    assert picture.ticks[0].label == "jun 25"  # months as Swedes abbreviate them
    assert all(picture.label_width <= bar.x <= picture.chart_right for bar in picture.bars)


def test_today_outside_the_schedule_draws_no_today_line():
    milestone = MilestoneFactory(start=dt.date(2025, 9, 1), due=dt.date(2025, 10, 31))
    picture = timeline.build([milestone], None, dt.date(2030, 1, 1))
    assert picture.today is None and picture.deadline is None
    assert timeline.build([], None, dt.date(2030, 1, 1)) is None


def test_svg_numbers_are_not_localised(client, settings):
    """Swedish writes 342,5; SVG needs 342.5."""
    milestone = MilestoneFactory(start=dt.date(2025, 9, 3), due=dt.date(2025, 10, 17))
    assignment = milestone.assignment
    assignment.is_public = True
    assignment.save()
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    page = client.get(reverse("workflow:assignment", args=[assignment.pk])).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert '<rect x="' in svg
    assert "," not in svg.split('<rect x="')[1].split('"')[0]
