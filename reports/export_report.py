"""The återrapportering (reports/report.py) as Excel and as PDF, in the active language.

Excel: one sheet each for the assignments, their milestones, the deviations and the decisions,
written by exports.xlsx_workbook (header frozen, dates as date cells, text never a formula).
PDF: a board appendix in the house style of export_pdf (A4, Helvetica, "Sida n av N"): the
title, the scope, the period and the day of extraction, a summary table, the deviations, the
decisions, then each assignment's tidplan.
"""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table

from assignments import exports
from documents.export_pdf import FOOTER_Y, MARGIN, grid_table, markup, styles, winansi
from reports.report import Report


def _people(people) -> str:
    return ", ".join(str(p) for p in people)


def _moved_to(row) -> dt.date | None:
    return row.milestone.due if row.moves else None


# -- Excel ---------------------------------------------------------------------------------------


def xlsx(report: Report) -> bytes:
    """The report as an Excel workbook."""
    return exports.xlsx_workbook(
        [
            exports.Sheet(
                _("Uppdrag"),
                [
                    _("Diarienummer"),
                    _("Uppdrag"),
                    _("Status"),
                    _("Utfärdande enhet"),
                    _("Uppdragsgivare"),
                    _("Uppdragstagare"),
                    _("Datum"),
                    _("Slutleverans senast"),
                    _("Datum för beslut"),
                    _("Milstolpar"),
                    _("Försenade milstolpar"),
                    _("Avvikelser"),
                ],
                [
                    [
                        a.assignment.registration_number,
                        a.assignment.title,
                        a.assignment.state_label,
                        a.assignment.issuing_unit.name,
                        _people(a.assignment.commissioners.all()),
                        str(a.assignment.assignee),
                        a.assignment.document_date,
                        a.assignment.delivery_due,
                        _decided_on(a.assignment),
                        len(a.milestones),
                        sum(row.is_late for row in a.milestones),
                        len(a.deviations),
                    ]
                    for a in report.assignments
                ],
                widths=(16, 50, 14, 24, 30, 22, 12, 12, 12, 10, 10, 10),
            ),
            exports.Sheet(
                _("Milstolpar"),
                [
                    _("Diarienummer"),
                    _("Aktivitet"),
                    _("Typ"),
                    _("Status"),
                    _("Start"),
                    _("Klar senast enligt tidplanen"),
                    _("Flyttad till"),
                    _("Antal flyttningar"),
                    _("Klar"),
                    _("Dagar sen"),
                ],
                [
                    [
                        a.assignment.registration_number,
                        row.milestone.title,
                        row.milestone.get_kind_display(),
                        row.milestone.status_label,
                        row.milestone.start,
                        row.registered_due,
                        _moved_to(row),
                        len(row.moves),
                        row.done_on,
                        row.late_days or None,
                    ]
                    for a in report.assignments
                    for row in a.milestones
                ],
                widths=(16, 50, 20, 12, 12, 14, 12, 10, 12, 10),
            ),
            exports.Sheet(
                _("Avvikelser"),
                [
                    _("Diarienummer"),
                    _("Uppdrag"),
                    _("Avvikelse"),
                    _("Gäller"),
                    _("Datum"),
                    _("Uppgift"),
                    _("Orsak eller kommentar"),
                    _("Av"),
                ],
                [
                    [
                        d.assignment.registration_number,
                        d.assignment.title,
                        d.kind_label,
                        d.what,
                        d.on,
                        d.detail,
                        d.reason,
                        d.by,
                    ]
                    for d in report.deviations
                ],
                widths=(16, 40, 22, 40, 12, 36, 50, 22),
            ),
            exports.Sheet(
                _("Beslut"),
                [
                    _("Diarienummer"),
                    _("Uppdrag"),
                    _("Datum"),
                    _("Beslutsfattare"),
                    _("Beslut"),
                    _("Paragraf"),
                    _("Kommentar"),
                ],
                [
                    [
                        d.assignment.registration_number,
                        d.assignment.title,
                        d.on,
                        d.decision_maker,
                        d.outcome,
                        d.paragraph,
                        d.comment,
                    ]
                    for d in report.decisions
                ],
                widths=(16, 40, 12, 30, 36, 10, 50),
            ),
        ]
    )


def _decided_on(assignment) -> dt.date | None:
    decision = getattr(assignment, "decision", None)
    return decision.decided_on if decision else None


# -- PDF -----------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _table(header, rows, widths, house) -> Table:
    return grid_table(
        [_text(h) for h in header], [[_text(c) for c in r] for r in rows], widths, house
    )


def _columns(width: float, *shares: float) -> list[float]:
    return [width * share for share in shares]


def _story(report: Report, width: float) -> list:
    house = styles()
    cell = house["cell"].clone("ReportCell", fontSize=8.5, leading=10.5)
    house = {
        **house,
        "cell": cell,
        "cell_head": house["cell_head"].clone("ReportHead", fontSize=8.5, leading=10.5),
    }
    story: list = [Paragraph(markup(_("Återrapportering")), house["title"]), Spacer(1, 3 * mm)]
    facts = [
        (_("Omfattning"), report.scope.label),
        (_("Period"), f"{report.start.isoformat()} – {report.end.isoformat()}"),
        (_("Uttaget"), report.extracted_on.isoformat()),
        (
            _("Innehåll"),
            _("%(assignments)d uppdrag, %(deviations)d avvikelser, %(decisions)d beslut")
            % {
                "assignments": len(report.assignments),
                "deviations": len(report.deviations),
                "decisions": len(report.decisions),
            },
        ),
    ]
    for label, value in facts:
        story.append(Paragraph(f"<b>{markup(label)}:</b> {markup(value)}", house["body"]))

    def section(title: str, flowable) -> None:
        story.append(KeepTogether([Paragraph(markup(title), house["heading"]), flowable]))

    if not report.assignments:
        story.append(
            Paragraph(markup(_("Inga uppdrag i omfattningen under perioden.")), house["body"])
        )
        return story
    section(
        _("Sammanställning"),
        _table(
            [_("Dnr"), _("Uppdrag"), _("Status"), _("Slutleverans"), _("Avvikelser")],
            [
                [
                    a.assignment.registration_number,
                    a.assignment.title,
                    a.assignment.state_label,
                    a.assignment.delivery_due,
                    len(a.deviations),
                ]
                for a in report.assignments
            ],
            _columns(width, 0.17, 0.41, 0.13, 0.16, 0.13),
            house,
        ),
    )
    deviations = report.deviations
    section(
        _("Avvikelser"),
        _table(
            [_("Dnr"), _("Avvikelse"), _("Gäller"), _("Datum"), _("Uppgift, orsak")],
            [
                [
                    d.assignment.registration_number,
                    d.kind_label,
                    d.what,
                    d.on,
                    "\n".join(part for part in (d.detail, d.reason, d.by) if part),
                ]
                for d in deviations
            ],
            _columns(width, 0.17, 0.16, 0.24, 0.13, 0.30),
            house,
        )
        if deviations
        else Paragraph(markup(_("Inga avvikelser under perioden.")), house["body"]),
    )
    decisions = report.decisions
    section(
        _("Beslut"),
        _table(
            [_("Dnr"), _("Datum"), _("Beslutsfattare"), _("Beslut")],
            [
                [
                    d.assignment.registration_number,
                    d.on,
                    d.decision_maker,
                    "\n".join(p for p in (d.outcome, d.paragraph, d.comment) if p),
                ]
                for d in decisions
            ],
            _columns(width, 0.17, 0.13, 0.25, 0.45),
            house,
        )
        if decisions
        else Paragraph(markup(_("Inga beslut under perioden.")), house["body"]),
    )
    story.append(Paragraph(markup(_("Uppdragen")), house["heading"]))
    for a in report.assignments:
        assignment = a.assignment
        head = [
            Paragraph(
                markup(f"{assignment.registration_number} {assignment.title}"), house["strong"]
            ),
            Paragraph(
                markup(
                    _(
                        "Status: %(state)s. Uppdragstagare: %(assignee)s. "
                        "Slutleverans senast: %(due)s."
                    )
                    % {
                        "state": assignment.state_label,
                        "assignee": assignment.assignee,
                        "due": _text(assignment.delivery_due) or "–",
                    }
                ),
                house["body"],
            ),
        ]
        if a.milestones:
            head.append(
                _table(
                    [
                        _("Aktivitet"),
                        _("Status"),
                        _("Klar senast enligt tidplanen"),
                        _("Flyttad till"),
                        _("Dagar sen"),
                    ],
                    [
                        [
                            row.milestone.title,
                            row.milestone.status_label,
                            row.registered_due,
                            _moved_to(row),
                            row.late_days or "",
                        ]
                        for row in a.milestones
                    ],
                    _columns(width, 0.46, 0.14, 0.15, 0.13, 0.12),
                    house,
                )
            )
        story.append(KeepTogether(head))
        story.append(Spacer(1, 3 * mm))
    return story


def _build(report: Report, total_pages: int | None) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    title = _("Återrapportering")
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=winansi(f"{title}: {report.scope.label}"),
        subject=title,
        creator="Uppdrag",
    )
    pages = [0]
    footer = winansi(
        f"{title} · {report.scope.label} · {report.start.isoformat()} – {report.end.isoformat()}"
    )

    def draw_footer(canvas, doc):
        number = canvas.getPageNumber()
        pages[0] = max(pages[0], number)
        page_text = (
            _("Sida %(number)d av %(total)d") % {"number": number, "total": total_pages}
            if total_pages
            else _("Sida %(number)d") % {"number": number}
        )
        canvas.saveState()
        canvas.setFont("Helvetica", 8.5)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawString(MARGIN, FOOTER_Y, footer[:110])
        canvas.drawRightString(A4[0] - MARGIN, FOOTER_Y, winansi(page_text))
        canvas.restoreState()

    pdf.build(_story(report, A4[0] - 2 * MARGIN), onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue(), pages[0]


def pdf(report: Report) -> bytes:
    """The report as PDF bytes: A4, a board appendix, "Sida n av N" on every page."""
    # Twice: the first pass counts the pages that the second prints in "Sida n av N".
    _first, total = _build(report, None)
    content, _pages = _build(report, total)
    return content
