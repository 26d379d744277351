"""The timeline picture's geometry: bars in date order, overdue marked, today and the deadline."""

import datetime as dt

import pytest
import time_machine
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


def test_today_after_the_schedule_stands_at_the_right_edge_with_an_arrow_out():
    milestone = MilestoneFactory(start=dt.date(2025, 9, 1), due=dt.date(2025, 10, 31))
    picture = timeline.build([milestone], None, dt.date(2030, 1, 1))
    assert picture.deadline is None
    assert (picture.today.edge, picture.today.x) == ("end", picture.chart_right)
    assert picture.today.date == dt.date(2030, 1, 1)
    arrow_xs = [float(point.split(",")[0]) for point in picture.today.arrow.split()]
    assert min(arrow_xs) > picture.chart_right and max(arrow_xs) <= picture.width  # points out
    assert timeline.build([], None, dt.date(2030, 1, 1)) is None


def test_today_before_the_schedule_stands_at_the_left_edge_with_an_arrow_out():
    milestone = MilestoneFactory(start=dt.date(2025, 9, 1), due=dt.date(2025, 10, 31))
    picture = timeline.build([milestone], None, dt.date(2025, 3, 2))
    assert (picture.today.edge, picture.today.x) == ("start", picture.label_width)
    arrow_xs = [float(point.split(",")[0]) for point in picture.today.arrow.split()]
    assert max(arrow_xs) < picture.label_width


def test_today_inside_the_schedule_is_a_line_at_its_date_without_an_arrow():
    milestone = MilestoneFactory(start=dt.date(2025, 9, 1), due=dt.date(2025, 10, 31))
    picture = timeline.build([milestone], None, dt.date(2025, 10, 1))
    assert picture.today.edge == "" and picture.today.arrow == ""
    assert picture.label_width < picture.today.x < picture.chart_right


def test_planned_and_cancelled_differ_in_shape_and_colour():
    assignment = AssignmentFactory()
    planned = MilestoneFactory(assignment=assignment)
    cancelled = MilestoneFactory(assignment=assignment, status=Milestone.Status.CANCELLED)
    picture = timeline.build([planned, cancelled], None, dt.date(2025, 9, 15))
    bars = {bar.milestone.pk: bar for bar in picture.bars}
    assert (bars[planned.pk].fill, bars[cancelled.pk].fill) == (timeline.HOLLOW, timeline.HATCHED)
    assert bars[planned.pk].colour != bars[cancelled.pk].colour
    fills = {entry.label: entry.fill for entry in picture.legend}
    assert fills["Planerad"] == timeline.HOLLOW and fills["Avbruten"] == timeline.HATCHED
    assert list(fills.values()).count(timeline.SOLID) == len(fills) - 2


def test_the_page_draws_the_today_arrow_and_the_hatched_bar(client):
    from tests.factories import UserFactory

    assignment = AssignmentFactory(is_public=True, delivery_due=None)
    MilestoneFactory(assignment=assignment, status=Milestone.Status.CANCELLED)
    with time_machine.travel(dt.datetime(2027, 1, 15, 12, tzinfo=dt.UTC)):
        client.force_login(UserFactory())
        page = client.get(reverse("workflow:assignment", args=[assignment.pk])).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert '<g class="uppdrag-today" data-edge="end">' in svg
    assert "I dag 15 jan 2027" in svg
    assert "<polygon" in svg
    assert 'fill="url(#uppdrag-hatch)"' in svg and '<pattern id="uppdrag-hatch"' in svg


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
