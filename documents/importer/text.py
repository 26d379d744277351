"""The text of an uploaded uppdragshandling, as lines in reading order, from .txt, .docx or .pdf.

What is on the page but not in the document is left out here: a PDF's running headers, footers
and page numbers (lines repeated at the top or bottom of the pages), bullet glyphs (•, , ▪, –
and the private-use code points of Symbol and Wingdings fonts) become one "- " marker, and a
Word document's headers and footers are never read. Letterhead addresses are recognised later,
where headings are known (sections.py). Every format ends as the same kind of lines: a blank
line between paragraphs, "- " before a list item, a tab between the cells of a table row.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _

from documents.importer import limits

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
# A page's foot or head that ends in its page number ("Dnr RS 2024-05699   Sida 1 av 3"): furniture
# even when the document has a single page, where no repetition gives it away.
PAGE_FOOT = re.compile(
    r"(?:^|\s)(?:sida|sid\.?|page)\s*\d{1,3}(?:\s*(?:av|/|of)\s*\d{1,3})?$", re.I
)
# A PDF line's words further apart than this many character widths are table cells.
CELL_GAP_CHARS = 2.5
# A vertical gap between two PDF lines larger than this share of a line's height is a
# paragraph break.
PARAGRAPH_GAP = 0.6
# How many lines at the top and at the bottom of a PDF page may be running heads or feet.
EDGE_LINES = 4


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


def extract_lines(data: bytes, filename: str) -> list[str]:
    """The document's lines, whatever its format; UnreadableDocument says why not."""
    extension = PurePath(filename).suffix.lower().lstrip(".")
    if extension not in EXTENSIONS:
        raise UnreadableDocument(
            _("Filtypen .%(extension)s kan inte läsas in. Använd .docx, .pdf eller .txt.")
            % {"extension": extension or "?"}
        )
    if not data.strip():
        raise UnreadableDocument(_("Filen är tom."))
    if extension == "txt":
        raw = list(limits.counted(text_lines(data)))
    elif extension == "docx":
        raw = lines_from_blocks(_docx_blocks(data))
    else:
        raw = drop_page_furniture(_pdf_pages(data))
    lines = clean_lines(raw)
    if not any(lines):
        raise UnreadableDocument(_("Filen innehåller ingen text."))
    return lines


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


def _docx_blocks(data: bytes) -> list[Block]:
    try:
        import docx
        from docx.table import Table
    except ImportError as error:
        raise ReaderUnavailable(
            _("Word-filer kan inte läsas på den här servern (python-docx saknas).")
        ) from error
    limits.check_archive(data)
    try:
        document = docx.Document(io.BytesIO(data))
        return list(limits.counted(_container_blocks(document, Table), _block_text))
    except (limits.LimitExceeded, MemoryError):
        raise
    except Exception as error:  # a corrupt or foreign zip fails anywhere inside python-docx
        raise UnreadableDocument(
            _("Filen kunde inte läsas som ett Word-dokument (.docx).")
        ) from error


def _container_blocks(container, table_class) -> Iterator[Block]:
    """Paragraphs and table rows of the body (or of a cell) in the order Word shows them."""
    for item in container.iter_inner_content():
        if isinstance(item, table_class):
            for row in item.rows:
                cells = row.cells
                texts = _distinct_cells([cell.text for cell in cells])
                if len(texts) == 1:
                    # A one-column layout table holds body text: read it as paragraphs.
                    yield from _container_blocks(cells[0], table_class)
                else:
                    yield Block(cells=tuple(texts))
        else:
            style = item.style.name if item.style is not None else ""
            yield Block(text=item.text, style=style or "")


def _block_text(block: Block) -> str:
    return block.text if block.cells is None else "\t".join(block.cells)


def _distinct_cells(texts: list[str]) -> list[str]:
    """A merged cell is listed once per grid column it spans: keep it once."""
    kept: list[str] = []
    for text in texts:
        if not kept or text != kept[-1]:
            kept.append(text)
    return kept


def lines_from_blocks(blocks: Iterable[Block]) -> list[str]:
    """Word's paragraphs and table rows as lines: list paragraphs get "- ", cells a tab."""
    lines: list[str] = []
    for block in blocks:
        if block.cells is not None:
            lines.append("\t".join(" ".join(cell.split()) for cell in block.cells))
            continue
        parts = block.text.split("\n")
        if LIST_STYLE.match(block.style) and block.text.strip():
            parts[0] = "- " + parts[0].lstrip()
        lines.extend(parts)
        lines.append("")
    return lines


# -- PDF ----------------------------------------------------------------------------------------


def _pdf_pages(data: bytes) -> list[list[str]]:
    try:
        import pdfplumber
    except ImportError as error:
        raise ReaderUnavailable(
            _("PDF-filer kan inte läsas på den här servern (pdfplumber saknas).")
        ) from error
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            limits.check_pages(len(pdf.pages))
            return [
                list(limits.counted(lines_from_words(page.extract_words()))) for page in pdf.pages
            ]
    except (limits.LimitExceeded, MemoryError):
        raise
    except Exception as error:  # pdfminer raises its own many kinds on a damaged file
        raise UnreadableDocument(_("Filen kunde inte läsas som en PDF.")) from error


def lines_from_words(words: list[dict]) -> list[str]:
    """One PDF page's words (pdfplumber's dicts: text, x0, x1, top, bottom) as lines.

    Words on the same baseline make a line; a gap wider than a few characters between two
    words is a cell boundary (a tab), and a larger vertical gap is a paragraph break (a blank
    line), so tables and paragraphs read as they do from Word or a text file.
    """
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if rows and abs(word["top"] - rows[-1][0]["top"]) <= 3:
            rows[-1].append(word)
        else:
            rows.append([word])
    lines: list[str] = []
    previous = None
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        height = max(w["bottom"] - w["top"] for w in row) or 1
        if previous is not None and row[0]["top"] - previous > PARAGRAPH_GAP * height:
            lines.append("")
        previous = max(w["bottom"] for w in row)
        chars = sum(len(w["text"]) for w in row) or 1
        char_width = sum(w["x1"] - w["x0"] for w in row) / chars
        text = row[0]["text"]
        for before, word in zip(row, row[1:], strict=False):
            gap = word["x0"] - before["x1"]
            text += ("\t" if gap > CELL_GAP_CHARS * char_width else " ") + word["text"]
        lines.append(text)
    return lines


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).casefold())


def drop_page_furniture(pages: list[list[str]]) -> list[str]:
    """The pages' lines without running heads and feet: a line near the top or bottom of a
    page that recurs there on at least half the pages (digits aside, so "Sida 2 av 3" is the
    same line on every page), and page numbers."""
    edges = []
    for page in pages:
        filled = [line for line in page if line.strip()]
        edges.append({_furniture_key(line) for line in filled[:EDGE_LINES] + filled[-EDGE_LINES:]})
    counts = Counter(key for keys in edges for key in keys)
    needed = max(2, (len(pages) + 1) // 2)
    furniture = {key for key, count in counts.items() if count >= needed}
    lines: list[str] = []
    for page, keys in zip(pages, edges, strict=True):
        filled = [line for line in page if line.strip()]
        numbered = {
            line for line in filled[:EDGE_LINES] + filled[-EDGE_LINES:] if PAGE_FOOT.search(line)
        }
        kept = [
            line
            for line in page
            if line not in numbered
            and not (_furniture_key(line) in keys and _furniture_key(line) in furniture)
        ]
        # The gap above a page's foot is no paragraph break: text goes on on the next page.
        while kept and not kept[-1].strip():
            kept.pop()
        while kept and not kept[0].strip():
            kept.pop(0)
        lines.extend(kept)
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
    if BULLET.match(line) and not re.match(r"^\s*-{3,}", line):
        rest = BULLET.sub("", line, count=1).strip()
        return f"- {rest}" if rest else ""
    return line.strip(" ")


def clean_lines(lines: Iterable[str]) -> list[str]:
    """Every line cleaned (clean_line), page numbers dropped, blank runs made one."""
    cleaned: list[str] = []
    for line in lines:
        line = clean_line(line)
        if PAGE_NUMBER.match(line.strip()) and line.strip():
            continue
        if re.fullmatch(r"[-–—_=\s\t|]{3,}", line):  # a table's rule in a text export
            continue
        if not line.strip() and (not cleaned or not cleaned[-1].strip()):
            continue
        cleaned.append(line)
    while cleaned and not cleaned[-1].strip():
        cleaned.pop()
    return cleaned
