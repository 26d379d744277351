"""The soak's timeline as a PNG (bench/soak.py): reminders falling due and delivered per
minute, each reminder's lateness, /healthz's answers, and the faults across all three. Drawn
with Pillow, which the project already has (reportlab's renderPM needs a backend it lacks).

Not a benchmark: `make bench` skips files starting with _.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 640
LEFT, RIGHT = 70, 20
COLOURS = {
    "kill": (230, 120, 0),
    "redis": (200, 0, 0),
    "postgres": (120, 0, 160),
    "smtp_451": (0, 120, 200),
    "smtp_drop": (0, 160, 120),
}


def plot(result: dict, path: Path) -> None:
    line = result["timeline"]
    t0 = line["t0"]
    events = [*line["due"], *line["delivered"], *(t for t, _ in line["health"])]
    span = max(max(events, default=t0) - t0, 1.0)
    start = -0.02 * span
    end = span * 1.02
    font = ImageFont.load_default(size=13)
    small = ImageFont.load_default(size=11)
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image, "RGBA")
    in_minutes = span > 300
    unit = 60.0 if in_minutes else 1.0

    def x(at: float) -> float:
        return LEFT + (at - t0 - start) / (end - start) * (WIDTH - LEFT - RIGHT)

    panels = {"counts": (40, 300), "late": (330, 560), "health": (580, 600)}
    # the faults first, behind everything
    for _label, kind, began, ended in line["faults"]:
        colour = COLOURS[kind]
        left, right = x(began), max(x(ended or began), x(began) + 2)
        draw.rectangle([left, 40, right, 600], fill=(*colour, 50))
        draw.line([left, 40, left, 600], fill=(*colour, 200), width=1)
    # panel 1: per bin, due (grey) and delivered (blue)
    top, bottom = panels["counts"]
    bin_seconds = 60.0 if in_minutes else 2.0
    bins = int(span / bin_seconds) + 1
    due = [0] * bins
    delivered = [0] * bins
    for at in line["due"]:
        due[min(bins - 1, max(0, int((at - t0) / bin_seconds)))] += 1
    for at in line["delivered"]:
        delivered[min(bins - 1, max(0, int((at - t0) / bin_seconds)))] += 1
    peak = max([*due, *delivered, 1])
    for i in range(bins):
        left, right = x(t0 + i * bin_seconds), x(t0 + (i + 1) * bin_seconds)
        middle = (left + right) / 2
        height = (bottom - top) / peak
        draw.rectangle([left, bottom - due[i] * height, middle, bottom], fill=(170, 170, 170))
        draw.rectangle([middle, bottom - delivered[i] * height, right, bottom], fill=(30, 90, 200))
    draw.text(
        (LEFT, top - 18),
        f"falling due (grey) and delivered (blue) per "
        f"{'minute' if in_minutes else '2 s'}, peak {peak}",
        fill="black",
        font=font,
    )
    # panel 2: lateness of each reminder against its due time
    top, bottom = panels["late"]
    lates = [late for _due, late in line["late"]]
    ceiling = max([*lates, 660.0 if in_minutes else 10.0])
    for due_at, late in line["late"]:
        px, py = x(due_at), bottom - max(late, 0) / ceiling * (bottom - top)
        draw.rectangle([px - 1, py - 1, px + 1, py + 1], fill=(30, 90, 200))
    if in_minutes:
        bar = bottom - 600 / ceiling * (bottom - top)
        draw.line([LEFT, bar, WIDTH - RIGHT, bar], fill=(200, 0, 0), width=1)
        draw.text((WIDTH - RIGHT - 150, bar - 15), "due + 10 min", fill=(200, 0, 0), font=small)
    draw.text(
        (LEFT, top - 18),
        f"lateness of each reminder (delivered - due), up to "
        f"{ceiling / unit:.0f} {'min' if in_minutes else 's'}",
        fill="black",
        font=font,
    )
    for fraction in (0, 0.5, 1):
        y = bottom - fraction * (bottom - top)
        draw.text((8, y - 7), f"{fraction * ceiling / unit:.0f}", fill="black", font=small)
    # strip: /healthz
    top, bottom = panels["health"]
    previous = None
    for at, status in line["health"]:
        if previous is not None:
            colour = (40, 170, 60) if previous[1] == 200 else (220, 30, 30)
            if previous[1] == 0:
                colour = (120, 120, 120)
            draw.rectangle([x(previous[0]), top, x(at), bottom], fill=colour)
        previous = (at, status)
    draw.text((8, top + 3), "/healthz", fill="black", font=small)
    # the time axis
    step = (10 if span > 1800 else 1) * 60 if in_minutes else 5
    tick = 0.0
    while tick <= span:
        draw.line([x(t0 + tick), 600, x(t0 + tick), 606], fill="black")
        draw.text((x(t0 + tick) - 8, 608), f"{tick / unit:.0f}", fill="black", font=small)
        tick += step
    draw.text(
        (WIDTH / 2 - 60, 622), "minutes" if in_minutes else "seconds", fill="black", font=font
    )
    # the legend of the faults
    legend_x = LEFT
    for kind, name in (
        ("kill", "worker SIGKILL"),
        ("redis", "Redis restart"),
        ("smtp_451", "sink 451"),
        ("smtp_drop", "dropped in DATA"),
        ("postgres", "PostgreSQL restart"),
    ):
        draw.rectangle([legend_x, 8, legend_x + 12, 20], fill=COLOURS[kind])
        draw.text((legend_x + 16, 7), name, fill="black", font=font)
        legend_x += 170
    image.save(path, optimize=True)
