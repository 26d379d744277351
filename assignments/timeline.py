"""The timeline picture of an assignment: a Gantt chart of its milestones, computed here and
drawn as SVG by a template, so it works without JavaScript.

Geometry only; words (titles, status, dates) are in the template and in the milestone table,
which is the picture's text equivalent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import dateformat, formats

from .models import Milestone

WIDTH = 960
LABEL_WIDTH = 300
ROW_HEIGHT = 30
TOP = 34
BAR_HEIGHT = 16

# Fill colours with at least 3:1 contrast against white (WCAG 1.4.11, non-text contrast).
# Colour is never the only signal (WCAG 1.4.1): every bar also carries its status in words,
# a planned bar is drawn hollow (not begun) and a cancelled one hatched (struck out), so the
# two differ in shape as well as in colour.
STATUS_COLOURS = {
    Milestone.Status.PLANNED: "#5f6b7a",
    Milestone.Status.IN_PROGRESS: "#00457c",
    Milestone.Status.DONE: "#2e7d32",
    Milestone.Status.AT_RISK: "#a14f00",
    Milestone.Status.BLOCKED: "#b00020",
    Milestone.Status.CANCELLED: "#6b4e71",
}
HOLLOW, HATCHED, SOLID = "hollow", "hatched", "solid"
STATUS_FILLS = {Milestone.Status.PLANNED: HOLLOW, Milestone.Status.CANCELLED: HATCHED}
ARROW = 8  # the today marker's arrow, when today lies outside the schedule


@dataclass
class Bar:
    milestone: Milestone
    y: int
    x: float
    width: float
    colour: str
    overdue: bool
    label: str
    fill: str = SOLID

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 3

    @property
    def left_pct(self) -> float:
        """Where the bar starts, in per cent of the months drawn (the phone's list)."""
        return round((self.x - LABEL_WIDTH) * 100 / (WIDTH - 10 - LABEL_WIDTH), 1)

    @property
    def width_pct(self) -> float:
        return max(round(self.width * 100 / (WIDTH - 10 - LABEL_WIDTH), 1), 1.0)


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Marker:
    """A vertical line at a date. `edge` is "start" or "end" when the date lies before or
    after the drawn months: the line then stands at that edge, with an arrow pointing out."""

    x: float
    date: dt.date
    edge: str = ""
    pct: float = 0
    label_x: float = 0
    anchor: str = "start"
    arrow: str = ""


@dataclass
class LegendEntry:
    label: str
    colour: str
    fill: str


@dataclass
class Timeline:
    width: int
    height: int
    label_width: int
    chart_right: int
    bars: list[Bar]
    ticks: list[Tick]
    today: Marker | None
    deadline: Marker | None
    legend: list[LegendEntry]


def _months(first: dt.date, last: dt.date):
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def build(milestones: list[Milestone], deadline: dt.date | None, today: dt.date) -> Timeline | None:
    if not milestones:
        return None
    dates = [m.start for m in milestones] + [m.due for m in milestones]
    if deadline:
        dates.append(deadline)
    first = min(dates).replace(day=1)
    last_month = max(dates).replace(day=1)
    last = (last_month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    span = max((last - first).days, 1)
    chart_right = WIDTH - 10
    scale = (chart_right - LABEL_WIDTH) / span

    def x_of(day: dt.date) -> float:
        return round(LABEL_WIDTH + (day - first).days * scale, 1)

    bars = []
    for row, milestone in enumerate(milestones):
        x = x_of(milestone.start)
        end = x_of(milestone.due + dt.timedelta(days=1))
        title = milestone.title
        bars.append(
            Bar(
                milestone=milestone,
                y=TOP + row * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2,
                x=x,
                width=max(end - x, 3),
                colour=STATUS_COLOURS.get(milestone.status, "#5f6b7a"),
                overdue=milestone.is_overdue(today),
                label=title if len(title) <= 42 else title[:40].rstrip() + "…",
                fill=STATUS_FILLS.get(milestone.status, SOLID),
            )
        )
    ticks = [
        Tick(
            x=x_of(month),
            label=dateformat.format(
                month, formats.get_format("YEAR_MONTH_FORMAT").replace("Y", "y")
            ),
        )
        for month in _months(first, last)
    ]
    height = TOP + len(milestones) * ROW_HEIGHT + 12
    return Timeline(
        width=WIDTH,
        height=height,
        label_width=LABEL_WIDTH,
        chart_right=chart_right,
        bars=bars,
        ticks=ticks[:-1] if len(ticks) > 1 else ticks,
        today=_today_marker(today, first, last, x_of, chart_right),
        deadline=Marker(x=x_of(deadline + dt.timedelta(days=1)), date=deadline)
        if deadline
        else None,
        legend=[
            LegendEntry(label, STATUS_COLOURS[value], STATUS_FILLS.get(value, SOLID))
            for value, label in Milestone.Status.choices
        ],
    )


def _today_marker(today: dt.date, first: dt.date, last: dt.date, x_of, chart_right) -> Marker:
    """Today's line where it falls, or at the edge it lies beyond, with an arrow that way."""
    top = 20
    if today < first:
        x = LABEL_WIDTH
        arrow = f"{x - 2},{top} {x - 2 - ARROW},{top + 4} {x - 2},{top + 8}"
        return Marker(x, today, edge="start", label_x=x + 4, anchor="start", arrow=arrow)
    if today >= last:
        x = chart_right
        arrow = f"{x + 2},{top} {x + 2 + ARROW},{top + 4} {x + 2},{top + 8}"
        return Marker(x, today, edge="end", label_x=x - 4, anchor="end", arrow=arrow, pct=100)
    x = x_of(today)
    pct = round((x - LABEL_WIDTH) * 100 / (chart_right - LABEL_WIDTH), 1)
    # near the right edge the label goes to the left of the line
    if x > chart_right - 60:
        return Marker(x, today, label_x=x - 4, anchor="end", pct=pct)
    return Marker(x, today, label_x=x + 4, anchor="start", pct=pct)
