"""A Word document (.docx) as blocks in the order a reader meets them, read from its XML (the
zip's parts, with the standard library): the page header first (the region's template puts
the date and the Dnr there, often in a small table), then the body: paragraphs, text boxes
where they are anchored, content controls, table rows, and a two-column table whose left
column holds the headings ("Tidplan" | the timeline) as a heading and its text. The footer is
read only for its labels ("Dnr RS 2024-05699"): its address and page number are not content.

A list item is a paragraph of a list style or one with Word's numbering (`w:numPr`, on the
paragraph or its style) at any level; both become "- " items, as a bullet glyph does in a PDF.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _
from lxml import etree

from documents.importer import limits
from documents.importer.labels import cells_of, label_of
from documents.importer.sections import heading_of
from documents.importer.text import LIST_STYLE, Block, UnreadableDocument

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
# What holds no text of the paragraph it stands in: a text box's own body (read as blocks of
# its own), the copy of a shape for old readers, deleted text, a field's code.
NOT_TEXT = {f"{W}txbxContent", FALLBACK, f"{W}del", f"{W}delText", f"{W}instrText", f"{W}pPr"}
# No entities, no DTD, no network: a document's XML is read as data only.
PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
# A part bigger than this is no uppdragshandling (a zip bomb's part is refused unread).
MAX_PART = 50 * 1024 * 1024


def _text(block: Block) -> str:
    return block.text if block.cells is None else "\t".join(block.cells)


def docx_blocks(data: bytes) -> list[Block]:
    """The blocks of a .docx file; UnreadableDocument when it is none."""
    limits.check_archive(data)
    try:
        return list(limits.counted(_Reader(zipfile.ZipFile(io.BytesIO(data))).blocks(), _text))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError, OSError) as error:
        raise UnreadableDocument(
            _("Filen kunde inte läsas som ett Word-dokument (.docx).")
        ) from error


class _Reader:
    def __init__(self, package: zipfile.ZipFile):
        self.package = package
        self.styles: dict[str, str] = {}
        self.numbered_styles: set[str] = set()
        if "word/styles.xml" in package.namelist():
            for style in self._xml("word/styles.xml").iter(f"{W}style"):
                style_id = style.get(f"{W}styleId", "")
                name = style.find(f"{W}name")
                self.styles[style_id] = name.get(f"{W}val", "") if name is not None else ""
                if style.find(f"{W}pPr/{W}numPr/{W}numId") is not None:
                    self.numbered_styles.add(style_id)

    def _xml(self, name: str) -> etree._Element:
        if self.package.getinfo(name).file_size > MAX_PART:
            raise ValueError(name)
        return etree.fromstring(self.package.read(name), PARSER)

    def blocks(self) -> list[Block]:
        body = self._xml("word/document.xml").find(f"{W}body")
        if body is None:
            raise ValueError("no body")
        targets = self._relationship_targets("word/document.xml")
        headers: list[Block] = []
        footers: list[Block] = []
        for reference in body.iter():
            if reference.tag not in (f"{W}headerReference", f"{W}footerReference"):
                continue
            target = targets.get(reference.get(f"{R}id", ""))
            if target is None or target not in self.package.namelist():
                continue
            found = list(self.walk(self._xml(target)))
            if reference.tag == f"{W}headerReference":
                headers += [block for block in found if block not in headers]
                continue
            for block in found:
                text = "\t".join(block.cells) if block.cells is not None else block.text
                if any(label_of(cell) for cell in cells_of(text)) and block not in footers:
                    footers.append(block)
        if headers or footers:
            headers.append(Block())
        return headers + footers + list(self.walk(body))

    def _relationship_targets(self, part: str) -> dict[str, str]:
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        if rels not in self.package.namelist():
            return {}
        return {
            rel.get("Id", ""): posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
            for rel in self._xml(rels).iter(RELATIONSHIP)
        }

    def walk(self, container) -> Iterator[Block]:
        """The blocks of a body, a header, a text box or a table cell, in Word's order."""
        for child in container:
            if child.tag == f"{W}p":
                for box in _text_boxes(child):
                    yield from self.walk(box)
                    yield Block()
                yield self._paragraph(child)
            elif child.tag == f"{W}tbl":
                yield from self._table(child)
            elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
                yield from self.walk(child)

    def _paragraph(self, paragraph) -> Block:
        style_id = paragraph.find(f"{W}pPr/{W}pStyle")
        style_id = style_id.get(f"{W}val", "") if style_id is not None else ""
        style = self.styles.get(style_id, style_id)
        number = paragraph.find(f"{W}pPr/{W}numPr/{W}numId")
        if number is not None:
            numbered = number.get(f"{W}val", "0") != "0"
        else:
            numbered = style_id in self.numbered_styles
        is_item = numbered or bool(LIST_STYLE.match(style))
        return Block(text="".join(_texts(paragraph)), style=style, is_item=is_item)

    def _table(self, table) -> Iterator[Block]:
        for row in table.findall(f"{W}tr"):
            cells = [cell for cell in row if cell.tag == f"{W}tc"]
            texts = [
                "\n".join(b.text for b in self.walk(cell) if b.cells is None) for cell in cells
            ]
            filled = [(cell, text) for cell, text in zip(cells, texts, strict=True) if text.strip()]
            if len(filled) <= 1:
                # A one-column layout table holds body text: read it as paragraphs.
                for cell, _text in filled:
                    yield from self.walk(cell)
                continue
            first = " ".join(filled[0][1].split())
            heading = heading_of(first)
            if heading is not None and not heading[1] and len(filled) == 2:
                # A side heading: "Kommunikation" | its text, lists and tables.
                yield Block(text=first)
                yield Block()
                yield from self.walk(filled[1][0])
                continue
            yield Block(cells=tuple(text for _cell, text in filled))


def _text_boxes(paragraph) -> Iterator[etree._Element]:
    """The bodies of the text boxes anchored in a paragraph (not the VML copy for old
    readers)."""

    def search(element):
        for child in element:
            if child.tag == FALLBACK:
                continue
            if child.tag == f"{W}txbxContent":
                yield child
            else:
                yield from search(child)

    yield from search(paragraph)


def _texts(element) -> Iterator[str]:
    for child in element:
        if child.tag in NOT_TEXT:
            continue
        if child.tag == f"{W}t":
            yield child.text or ""
        elif child.tag in (f"{W}tab", f"{W}ptab"):
            yield "\t"
        elif child.tag in (f"{W}br", f"{W}cr"):
            yield "\n"
        elif child.tag == f"{W}noBreakHyphen":
            yield "-"
        else:
            yield from _texts(child)
