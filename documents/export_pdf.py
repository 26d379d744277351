"""The regenerated uppdragshandling as PDF, with reportlab's Platypus.

reportlab is pure Python and the PDF uses the PDF standard's own Helvetica (WinAnsi encoding),
which every PDF reader has: no font file, no system library, nothing for `make run` to install.
WinAnsi holds Swedish and the other Western European letters, the en dash, typographic quotes
and §; a letter outside it (ę, ş) is written without its accent, anything else as "?", so a
name is never silently turned into other letters (the .docx keeps every character).

Every value comes from users and Paragraph parses markup, so every value is escaped before it
becomes a Paragraph: a title "<b>x</b>" or "<link href=…>" prints as those characters.
"""

from __future__ import annotations

import io
import unicodedata
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from documents import export_document as content

CONTENT_TYPE = "application/pdf"
MARGIN = 22 * mm
FOOTER_Y = 12 * mm
# A real bullet, from the Symbol font: Helvetica's "•" sits at a WinAnsi code that text
# extraction (and so the importer, a screen reader, copy and paste) cannot read; Symbol's
# reads back as "•".
BULLET = "•"
BULLET_FONT = "Symbol"
# A heading starts a new page unless this much room is left below it: a heading is never left
# alone at the foot of a page, even before a table too long to move whole.
ROOM_UNDER_HEADING = 40 * mm
ONE_PAGE = 200 * mm  # a table shorter than this fits on a fresh page


# Letters that Unicode does not write as a base letter and an accent.
UNACCENTED = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ħ": "h", "Ħ": "H"})


def _encodable(character: str) -> bool:
    try:
        character.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def winansi(text: str) -> str:
    """The text in the letters Helvetica has (WinAnsi): a letter outside it loses its accent
    (ę → e, ł → l), anything else becomes "?"."""
    result = []
    for character in text.translate(UNACCENTED):
        if _encodable(character):
            result.append(character)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", character) if not unicodedata.combining(c)
        )
        result.append(base if base and all(_encodable(c) for c in base) else "?")
    return "".join(result)


def markup(text: str) -> str:
    """User text as Paragraph markup that shows exactly that text: escaped, line breaks kept."""
    return escape(winansi(text)).replace("\n", "<br/>")


def styles() -> dict[str, ParagraphStyle]:
    """The house styles of our PDFs (the uppdragshandling, the återrapportering)."""
    sample = getSampleStyleSheet()
    body = ParagraphStyle(
        "UppdragBody",
        parent=sample["Normal"],
        fontName="Helvetica",
        fontSize=10.5,
        leading=14,
        spaceAfter=5,
        alignment=TA_LEFT,
    )
    return {
        "title": ParagraphStyle(
            "UppdragTitle", parent=body, fontName="Helvetica-Bold", fontSize=18, leading=22
        ),
        "heading": ParagraphStyle(
            "UppdragHeading",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=13,
            leading=16,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "body": body,
        "strong": ParagraphStyle("UppdragStrong", parent=body, fontName="Helvetica-Bold"),
        "cell": ParagraphStyle("UppdragCell", parent=body, spaceAfter=0),
        "cell_head": ParagraphStyle(
            "UppdragCellHead", parent=body, fontName="Helvetica-Bold", spaceAfter=0
        ),
    }


def grid_table(header, rows, widths, styles) -> Table:
    """A table in the house style: a grey grid, a shaded header repeated on each page, each
    cell a paragraph (it wraps), text escaped for reportlab's markup."""
    data = [[Paragraph(markup(h), styles["cell_head"]) for h in header]]
    data += [[Paragraph(markup(cell), styles["cell"]) for cell in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _story(document: content.ExportedDocument, width: float) -> list:
    house = styles()
    story: list = []
    pending_heading = None
    for block in document.blocks:
        if isinstance(block, content.Heading):
            style = house["title"] if block.level == 0 else house["heading"]
            flowable = Paragraph(markup(block.text), style)
            if block.level == 0:
                story.append(flowable)
            else:
                story.append(CondPageBreak(ROOM_UNDER_HEADING))
                pending_heading = flowable  # kept with what follows it
            continue
        if isinstance(block, content.Text):
            flowable = Paragraph(
                markup(block.text), house["strong"] if block.emphasis else house["body"]
            )
        elif isinstance(block, content.Field):
            flowable = Paragraph(
                f"<b>{markup(block.label)}</b>{escape(block.separator)}{markup(block.value)}",
                house["body"],
            )
        elif isinstance(block, content.Bullets):
            flowable = ListFlowable(
                [ListItem(Paragraph(markup(item), house["body"])) for item in block.items],
                bulletType="bullet",
                start=BULLET,
                leftIndent=14,
                bulletFontName=BULLET_FONT,
            )
        else:
            # moved whole to the next page when it fits on one; a longer one starts where it
            # is (under its heading) and repeats its header on each page
            widths = [width * 0.7, width * 0.3]
            flowable = grid_table(block.header, block.rows, widths, house)
            if flowable.wrap(width, A4[1])[1] < ONE_PAGE:
                flowable = KeepTogether([flowable])
        if pending_heading is not None:
            story.append(KeepTogether([pending_heading, flowable]))
            pending_heading = None
        else:
            story.append(flowable)
    if pending_heading is not None:
        story.append(pending_heading)
    story.append(Spacer(1, 4 * mm))
    return story


def _build(document: content.ExportedDocument, total_pages: int | None) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=winansi(f"Uppdragshandling {document.registration_number} {document.title}"),
        subject="Uppdragshandling",
        author=winansi(document.issuing_unit),
        creator="Uppdrag",
        lang="sv-SE",
    )
    pages = [0]
    footer = winansi(document.footer)

    def draw_footer(canvas, doc):
        number = canvas.getPageNumber()
        pages[0] = max(pages[0], number)
        page_text = f"Sida {number} av {total_pages}" if total_pages else f"Sida {number}"
        canvas.saveState()
        canvas.setFont("Helvetica", 8.5)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawString(MARGIN, FOOTER_Y, footer)
        canvas.drawRightString(A4[0] - MARGIN, FOOTER_Y, page_text)
        canvas.restoreState()

    pdf.build(
        _story(document, A4[0] - 2 * MARGIN), onFirstPage=draw_footer, onLaterPages=draw_footer
    )
    return buffer.getvalue(), pages[0]


def render(document: content.ExportedDocument) -> bytes:
    """The document as PDF bytes: A4, footer "Dnr … / Sida n av N" on every page."""
    # Twice: the first pass counts the pages that the second prints in "Sida n av N".
    _first, total = _build(document, None)
    pdf, _pages = _build(document, total)
    return pdf
