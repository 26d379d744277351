"""The regenerated uppdragshandling as a Word document (.docx), with python-docx, so the office
can keep working on it in Word.

Word's own structure, not look-alikes: the headings are Word headings ("Rubrik 1" in a Swedish
Word, so the navigation pane and a screen reader find them), lists use the "List Bullet" style,
the tidplan is a Word table with a header row. Text goes in as text: python-docx writes it as
XML character data, so nothing a user typed is ever read as markup.
"""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Pt

from documents import export_document as content

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _paragraph_with_breaks(paragraph, text: str, *, bold: bool = False) -> None:
    """Add text to a paragraph; a line break inside a field stays a line break in Word."""
    for number, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        run.bold = bold or None
        if number < len(text.split("\n")) - 1:
            run.add_break()


def _table(doc, block: content.Table) -> None:
    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = doc.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for row in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            _paragraph_with_breaks(cell.paragraphs[0], text)


def render(document: content.ExportedDocument) -> bytes:
    """The document as .docx bytes: Swedish, its Dnr in the footer."""
    doc = Document()
    properties = doc.core_properties
    properties.title = f"Uppdragshandling {document.registration_number} {document.title}"
    properties.subject = "Uppdragshandling"
    properties.author = document.issuing_unit
    properties.last_modified_by = "Uppdrag"
    properties.language = "sv-SE"
    properties.comments = ""
    doc.styles["Normal"].font.size = Pt(11)
    doc.sections[0].footer.paragraphs[0].text = document.footer

    for block in document.blocks:
        if isinstance(block, content.Heading):
            doc.add_heading(block.text, level=block.level)
        elif isinstance(block, content.Text):
            _paragraph_with_breaks(doc.add_paragraph(), block.text, bold=block.emphasis)
        elif isinstance(block, content.Field):
            paragraph = doc.add_paragraph()
            paragraph.add_run(block.label).bold = True
            _paragraph_with_breaks(paragraph, block.separator + block.value)
        elif isinstance(block, content.Bullets):
            for item in block.items:
                _paragraph_with_breaks(doc.add_paragraph(style="List Bullet"), item)
        else:
            _table(doc, block)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
