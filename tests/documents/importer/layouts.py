"""Layouts of one uppdragshandling, the ways offices vary them, built from its plain text: the
header's date and Dnr as lines, in a small two-column table at the top, in the Word header
part or in a text box; labels with or without their colon; lists as bullets, numbered, Word's
own numbering on plain paragraphs, or at the second level; two sections in another order. The
text of each layout is the same document, so it must import to the same fields.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from documents.importer.labels import bare_label, cells_of, label_of
from documents.importer.parse import parse_text
from documents.importer.sections import heading_of
from documents.importer.text import clean_lines, text_lines
from tests.uppdragshandlingar import blocks_from_text

HEADERS = ("lines", "table", "word_header", "text_box")
LISTS = ("bullet", "number", "numbering", "level2")
# The header's fields a layout moves, and how offices spell their labels.
MOVED = ("date", "registration_number", "commissioners", "assignee")
SPELLINGS = {
    "colon": {
        "date": "Datum:",
        "registration_number": "Diarienummer:",
        "commissioners": "Uppdragsgivare:",
        "assignee": "Uppdragstagare:",
    },
    "bare": {
        "date": "Datum",
        "registration_number": "Dnr",
        "commissioners": "Uppdragsgivare",
        "assignee": "Uppdragstagare",
    },
}
MARK = "@@"
BOXED = ("date", "registration_number")
SWAPPED = ("communication", "costs")  # two sections every document has, in the other order


@dataclass(frozen=True)
class Layout:
    header: str = "lines"
    lists: str = "bullet"
    labels: str = "colon"
    order: str = "document"

    @property
    def name(self) -> str:
        return f"{self.header}-{self.lists}-{self.labels}-{self.order}"


def word_layouts() -> list[Layout]:
    """Every header with every kind of list; label spellings and section orders taking turns."""
    return [
        Layout(header, lists, ("colon", "bare")[i % 2], ("document", "moved")[(i // 2) % 2])
        for i, (header, lists) in enumerate((h, li) for h in HEADERS for li in LISTS)
    ]


def text_layouts() -> list[Layout]:
    return [Layout(labels="bare"), Layout(order="moved"), Layout(labels="bare", order="moved")]


# -- the document's parts --------------------------------------------------------------------


def header_fields(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The moved header fields as written ((field, value) in the document's order) and the
    text's lines, each line that held some of them replaced by a MARK naming them."""
    lines = clean_lines(text_lines(text.encode()))
    parsed = parse_text(lines)
    holding = {
        found.line
        for found in [
            parsed.date,
            parsed.registration_number,
            *parsed.commissioners[:1],
            parsed.assignee,
        ]
        if found is not None
    }
    fields: list[tuple[str, str]] = []
    for index in sorted(holding):
        cells = cells_of(lines[index])
        keys = []
        for position, cell in enumerate(cells):
            key, value = label_of(cell) or (bare_label(cell), "")
            if key not in MOVED:
                continue
            if not value and position + 1 < len(cells):
                value = cells[position + 1]
            fields.append((key, value))
            keys.append(key)
        lines[index] = MARK + ",".join(keys)
    return fields, lines


def _placed(lines: list[str], rendered: dict[str, list[str]]) -> list[str]:
    """The lines with each MARK replaced by the rendering of the fields it names."""
    result: list[str] = []
    for line in lines:
        if line.startswith(MARK):
            for key in line[len(MARK) :].split(","):
                result += rendered.get(key, [])
            result.append("")
        else:
            result.append(line)
    return result


def _reordered(lines: list[str]) -> list[str]:
    """The text with the two SWAPPED sections trading places."""
    spans: dict[str, tuple[int, int]] = {}
    starts = [(i, heading_of(line)) for i, line in enumerate(lines)]
    headings = [(i, found[0]) for i, found in starts if found and not found[1]]
    for position, (index, key) in enumerate(headings):
        end = headings[position + 1][0] if position + 1 < len(headings) else len(lines)
        spans.setdefault(key, (index, end))
    (a0, a1), (b0, b1) = sorted(spans[key] for key in SWAPPED)
    return lines[:a0] + lines[b0:b1] + lines[a1:b0] + lines[a0:a1] + lines[b1:]


def layout_text(text: str, layout: Layout) -> str:
    """The plain text in a layout (its header as lines: the other headers need Word)."""
    fields, lines = header_fields(text)
    if layout.order == "moved":
        lines = _reordered(lines)
    rendered = {
        key: _as_lines([(SPELLINGS[layout.labels][key], value)], layout) for key, value in fields
    }
    return "\n".join(_placed(lines, rendered)) + "\n"


# -- Word -------------------------------------------------------------------------------------


def docx_of(text: str, layout: Layout) -> bytes:
    """The document as Word writes it in `layout`."""
    fields, lines = header_fields(text)
    if layout.order == "moved":
        lines = _reordered(lines)
    rows = [(SPELLINGS[layout.labels][key], value) for key, value in fields]
    # A Word header or a text box holds the date and the Dnr; the parties stay in the body.
    boxed = [row for row, (key, _v) in zip(rows, fields, strict=True) if key in BOXED]
    rendered = {key: _as_lines([row], layout) for row, (key, _v) in zip(rows, fields, strict=True)}
    if layout.header == "table":
        rendered = {}
    elif layout.header != "lines":
        rendered = {key: value for key, value in rendered.items() if key not in BOXED}
    lines = _placed(lines, rendered)
    document = docx.Document()
    if layout.header == "table":
        _table(document, rows)
    elif layout.header == "word_header":
        header = document.sections[0].header
        header.is_linked_to_previous = False
        header.paragraphs[0].text = "Västra Götalandsregionen"
        _table(header, boxed, width=document.sections[0].page_width // 2)
    for kind, content in blocks_from_text("\n".join(lines)):
        if kind == "heading":
            document.add_heading(content, level=2)
        elif kind == "bullet":
            _item(document, content, layout.lists)
        elif kind == "rows":
            _table(document, content)
        else:
            document.add_paragraph(content)
    if layout.header == "text_box":
        _text_box(document.paragraphs[0], [f"{label} {value}" for label, value in boxed])
    document.sections[0].footer.paragraphs[0].text = "Regionens Hus, 462 80 Vänersborg"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _as_lines(rows: list[tuple[str, str]], layout: Layout) -> list[str]:
    if layout.labels == "colon":
        return [f"{label} {value}" for label, value in rows]
    return [part for label, value in rows for part in (label, value)]


def _table(container, rows, width=None) -> None:
    columns = max(len(row) for row in rows)
    table = (
        container.add_table(rows=0, cols=columns)
        if width is None
        else container.add_table(rows=0, cols=columns, width=width)
    )
    for cells in rows:
        row = table.add_row()
        for cell, value in zip(row.cells, cells, strict=False):
            cell.text = value


def _item(document, text: str, lists: str) -> None:
    if lists == "bullet":
        document.add_paragraph(text, style="List Bullet")
    elif lists == "number":
        document.add_paragraph(text, style="List Number")
    elif lists == "level2":
        document.add_paragraph(text, style="List Bullet 2")
    else:  # Word's numbering on a plain paragraph, as pasted from another document
        paragraph = document.add_paragraph(text)
        number = document.styles["List Number"].element.find(qn("w:pPr") + "/" + qn("w:numPr"))
        paragraph.paragraph_format.element.get_or_add_pPr().append(copy.deepcopy(number))


def _text_box(anchor, lines: list[str]) -> None:
    """A text box (VML, as Word keeps it for every reader) anchored at the paragraph, in the
    top right corner of the page above the text, where the template keeps date and Dnr."""
    paragraphs = "".join(
        f"<w:p><w:r><w:t xml:space='preserve'>{line}</w:t></w:r></w:p>" for line in lines
    )
    run = parse_xml(
        f"<w:r {nsdecls('w')} xmlns:v='urn:schemas-microsoft-com:vml'><w:pict><v:shape "
        "style='position:absolute;margin-left:330pt;margin-top:24pt;width:220pt;height:40pt;"
        "mso-position-horizontal-relative:page;mso-position-vertical-relative:page' "
        "stroked='f'>"
        f"<v:textbox><w:txbxContent>{paragraphs}</w:txbxContent></v:textbox>"
        "</v:shape></w:pict></w:r>"
    )
    anchor.paragraph_format.element.append(run)
