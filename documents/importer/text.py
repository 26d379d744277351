"""The text of an uploaded uppdragshandling, as lines in reading order, from .txt, .docx or .pdf.

What is on the page but not in the document is left out here: a PDF's running headers, footers
and page numbers (lines repeated at the top or bottom of the pages), bullet glyphs (•, , ▪, –
and the private-use code points of Symbol and Wingdings fonts) become one "- " marker. A Word
document is read by word.py (its page header first, its footer only for labels). Letterhead
addresses are recognised later, where headings are known (sections.py). Every format ends as
the same kind of lines: a blank line between paragraphs, "- " before a list item, a tab
between the cells of a table row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

EXTENSIONS = ("docx", "pdf", "txt")

# A glyph at the start of a line that only marks a list item. "o" is Word's second-level bullet
# in Courier; the private-use range holds Symbol's  and Wingdings' , ; pdfminer writes
# a glyph it cannot map as "(cid:183)".
BULLET = re.compile(
    r"^\s*(?:[•●○◦▪■□▫►▸‣⁃∙·➢➤✓✔*\-–—]|\(cid:\d+\)|[\uf000-\uf0ff]|o(?=\s))(?:\s+|$)"
)
# Word list styles, as python-docx names them (and as a Swedish Word may write them).
LIST_STYLE = re.compile(r"^(?:list(?! continue)|liststycke|punktlista|numrerad lista)", re.I)
PAGE_NUMBER = re.compile(
    r"^(?:(?:sida|sid|s\.|page)\s*)?[-–]?\s*\d{1,3}\s*[-–]?\s*(?:(?:av|/|of)\s*\d{1,3}|\(\d{1,3}\))?$",
    re.I,
)


class NotAnAssignmentDocument(Exception):
    """The file is no uppdragshandling the importer can read (the command's exit code 2)."""


class UnreadableDocument(NotAnAssignmentDocument):
    """The file cannot be read as the kind it says it is (or is of no kind we read)."""


class ReaderUnavailable(Exception):
    """The library that reads this kind of file is not installed on this server."""


@dataclass(frozen=True)
class Block:
    """A paragraph (with its Word style name) or a table row (its cells), in body order."""

    text: str = ""
    style: str = ""
    cells: tuple[str, ...] | None = None
    is_item: bool = False  # Word's numbering on the paragraph, whatever its style


# -- plain text ---------------------------------------------------------------------------------


def text_lines(data: bytes) -> list[str]:
    """A text file's lines: UTF-8 (with or without BOM), else Windows' Western encoding."""
    if b"\x00" in data:
        raise UnreadableDocument(_("Filen är ingen textfil."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.splitlines()


# -- Word ---------------------------------------------------------------------------------------


def lines_from_blocks(blocks: Iterable[Block]) -> list[str]:
    """Word's paragraphs and table rows as lines: list paragraphs get "- ", cells a tab."""
    lines: list[str] = []
    for block in blocks:
        if block.cells is not None:
            lines.append("\t".join(" ".join(cell.split()) for cell in block.cells))
            continue
        parts = block.text.split("\n")
        if (block.is_item or LIST_STYLE.match(block.style)) and block.text.strip():
            parts[0] = "- " + parts[0].lstrip()
        lines.extend(parts)
        lines.append("")
    return lines


# -- every format -------------------------------------------------------------------------------


def clean_line(line: str) -> str:
    """One line with its bullet glyph as "- ", Markdown bold as a cell break, no odd spaces."""
    line = line.replace("\u00a0", " ").replace("\u202f", " ").replace("\u200b", "")
    line = line.replace("\r", "").rstrip()
    # A Markdown-ish export marks bold runs with ** ("Västra Götalandsregionen**Koncernkontoret**"):
    # a bold run in a letterhead or a label is a cell of its own.
    line = re.sub(r"\s*\*\*\s*", "\t", line).strip("\t ") if "**" in line else line
    line = re.sub(r"^#{1,6}\s+", "", line)
    # A list's number set close to its text in a PDF ("10.Mikael Ek"): the number apart.
    line = re.sub(r"^(\s*\d{1,2}[.)])(?=[A-ZÅÄÖ])", r"\1 ", line)
    if BULLET.match(line) and not re.match(r"^\s*-{3,}", line):
        rest = BULLET.sub("", line, count=1).strip()
        return f"- {rest}" if rest else ""
    return line.strip(" ")


def clean_lines(lines: Iterable[str]) -> list[str]:
    """Every line cleaned (clean_line), page numbers dropped, blank runs made one."""
    return cleaned([(line, None) for line in lines])[0]


def cleaned(lines: list[tuple[str, int | None]]) -> tuple[list[str], list[int | None]]:
    cleaned: list[str] = []
    pages: list[int | None] = []
    for line, page in lines:
        line = clean_line(line)
        if PAGE_NUMBER.match(line.strip()) and line.strip():
            continue
        if re.fullmatch(r"[-–—_=\s\t|]{3,}", line):  # a table's rule in a text export
            continue
        if not line.strip() and (not cleaned or not cleaned[-1].strip()):
            continue
        cleaned.append(line)
        pages.append(page)
    while cleaned and not cleaned[-1].strip():
        cleaned.pop()
        pages.pop()
    return cleaned, pages
