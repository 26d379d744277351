"""A PDF's pages as lines, from its words and where they stand (pdfplumber), or for a page
that is only an image (a scan from a diarium) from Tesseract's Swedish model (scans.py): the
same lines either way.

Where the words stand says what a text export would: words further apart than a few
characters are table cells (a tab); a larger vertical gap is a new paragraph (a blank line); a
cell that wraps onto the next lines goes on in its column ("Uppdragsgivare: Anders Kullbratt
och" / "Per Albertsson" beside "Uppdragstagare: Jan Sträng"); and a line set back at the
margin after a list item, where the item's own wrapped lines stand indented under its text,
begins a paragraph of its own: the last working-group bullet does not swallow "Sammanställande
och projektledare: …" below it.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from documents.importer import limits
from documents.importer.text import BULLET, ReaderUnavailable, UnreadableDocument

# A PDF line's words further apart than this many character widths are table cells.
CELL_GAP_CHARS = 2.5
# A vertical gap between two PDF lines larger than this share of a line's height is a
# paragraph break.
PARAGRAPH_GAP = 0.6
# How many lines at the top and at the bottom of a PDF page may be running heads or feet.
EDGE_LINES = 4
# A page's foot or head that ends in its page number ("Dnr RS 2024-05699   Sida 1 av 3"):
# furniture even when the document has a single page, where no repetition gives it away.
PAGE_FOOT = re.compile(
    r"(?:^|\s)(?:sida|sid\.?|page)\s*\d{1,3}(?:\s*(?:av|/|of)\s*\d{1,3})?$", re.I
)
NUMBER_GLYPH = re.compile(r"^(?:\d{1,2}|[a-zA-Z]|[ivx]{1,4})[.)]$")
# Fewer characters than this on a page with an image: the page is a scan.
SCANNED_BELOW = 20


@dataclass
class Page:
    """A page's lines, each with where it begins and, while a list item is open, where the
    item's text stands (so the next page's first line can end it)."""

    lines: list[str]
    lefts: list[float | None] = field(default_factory=list)
    indents: list[float | None] = field(default_factory=list)
    scanned: bool = False


@dataclass
class _Cell:
    x0: float
    x1: float
    text: str


@dataclass
class _Table:
    """The last row read that had several cells, while its cells may still wrap."""

    line: int  # its index in the page's lines
    cells: list[_Cell] = field(default_factory=list)
    right: float = 0.0  # the page's right edge, where the last column ends


def pdf_pages(data: bytes) -> list[Page]:
    """Each page's lines; a scanned page read by OCR (scans.py)."""
    try:
        import pdfplumber
    except ImportError as error:
        raise ReaderUnavailable(
            _("PDF-filer kan inte läsas på den här servern (pdfplumber saknas).")
        ) from error
    from documents.importer import scans

    pages: list[Page] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            limits.check_pages(len(pdf.pages))
            for page in pdf.pages:
                words = page.extract_words()
                scanned = sum(len(w["text"]) for w in words) < SCANNED_BELOW and bool(page.images)
                laid_out = layout(scans.words_of(page) if scanned else words)
                pages.append(Page(*laid_out, scanned=scanned))
                for line in laid_out[0]:
                    limits.count_text(line)
    except (ReaderUnavailable, UnreadableDocument, limits.LimitExceeded, MemoryError):
        raise
    except Exception as error:  # pdfminer raises its own many kinds on a damaged file
        if _out_of_memory(error):  # pdfminer wraps a MemoryError in its own exception
            raise MemoryError from error
        raise UnreadableDocument(_("Filen kunde inte läsas som en PDF.")) from error
    return pages


def _cells(row: list[dict]) -> tuple[list[_Cell], float]:
    chars = sum(len(w["text"]) for w in row) or 1
    char_width = sum(w["x1"] - w["x0"] for w in row) / chars
    cells = [_Cell(row[0]["x0"], row[0]["x1"], row[0]["text"])]
    for before, word in zip(row, row[1:], strict=False):
        if word["x0"] - before["x1"] > CELL_GAP_CHARS * char_width:
            cells.append(_Cell(word["x0"], word["x1"], word["text"]))
        else:
            cells[-1].text += " " + word["text"]
            cells[-1].x1 = word["x1"]
    return cells, char_width


def _starts_item(row: list[dict]) -> float | None:
    """Where an item's text begins when the line starts a list item (a glyph, "1.")."""
    first = row[0]["text"]
    if len(row) > 1 and (BULLET.match(first + " ") or NUMBER_GLYPH.match(first)):
        return row[1]["x0"]
    return None


def _wrapped(last_right: float, cell: _Cell, right: float, char_width: float) -> bool:
    """Whether the line above ended where this line's first word would not have fitted."""
    first_word = cell.text.split(" ", 1)[0]
    width = (cell.x1 - cell.x0) * len(first_word) / max(len(cell.text), 1)
    return last_right + char_width + width >= right - 3 * char_width


def _column_of(table: _Table, cell: _Cell, char_width: float) -> int | None:
    """The column of the row above that a cell of a shorter line stands within."""
    for index, column in enumerate(table.cells):
        end = table.cells[index + 1].x0 if index + 1 < len(table.cells) else table.right
        if column.x0 - char_width <= cell.x0 and cell.x1 <= end + char_width:
            return index
    return None


def _wraps(table: _Table, cells: list[_Cell], char_width: float) -> list[int] | None:
    """The columns a shorter line continues: each of its cells within one column, whose text
    above filled that column (or goes on in lower case)."""
    columns = [_column_of(table, cell, char_width) for cell in cells]
    if None in columns or len(set(columns)) != len(columns):
        return None
    for index, cell in zip(columns, cells, strict=True):
        above = table.cells[index]
        end = table.cells[index + 1].x0 if index + 1 < len(table.cells) else table.right
        first_word = cell.text.split(" ", 1)[0]
        width = (cell.x1 - cell.x0) * len(first_word) / max(len(cell.text), 1)
        filled = above.x1 + char_width + width >= end - 3 * char_width
        if not (filled or cell.text[:1].islower()):
            return None
    return columns


def lines_from_words(words: list[dict]) -> list[str]:
    """One PDF page's words (pdfplumber's dicts: text, x0, x1, top, bottom) as lines."""
    return layout(words)[0]


def layout(words: list[dict]) -> tuple[list[str], list[float | None], list[float | None]]:
    """A page's lines, the left edge of each, and the indent of the list item open there."""
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if rows and abs(word["top"] - rows[-1][0]["top"]) <= 3:
            rows[-1].append(word)
        else:
            rows.append([word])
    right = max((w["x1"] for w in words), default=0.0)
    lines: list[str] = []
    lefts: list[float | None] = []
    indents: list[float | None] = []

    def add(text: str, left: float | None) -> None:
        lines.append(text)
        lefts.append(left)
        indents.append(item_indent)

    previous = None
    last_right = 0.0
    table: _Table | None = None
    item_indent: float | None = None
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        height = max(w["bottom"] - w["top"] for w in row) or 1
        if previous is not None and row[0]["top"] - previous > PARAGRAPH_GAP * height:
            table, item_indent = None, None
            add("", None)
        previous = max(w["bottom"] for w in row)
        cells, char_width = _cells(row)
        starts_item = _starts_item(row)
        if table is not None and starts_item is None and len(cells) < len(table.cells):
            columns = _wraps(table, cells, char_width)
            if columns is not None:
                for index, cell in zip(columns, cells, strict=True):
                    table.cells[index].text += " " + cell.text
                    table.cells[index].x1 = cell.x1
                lines[table.line] = "\t".join(c.text for c in table.cells)
                continue
        if (
            item_indent is not None
            and starts_item is None
            and cells[0].x0 < item_indent - char_width
        ):
            item_indent = None
            add("", None)  # set back at the margin: the list has ended
        if (
            starts_item is None
            and item_indent is not None
            and abs(cells[0].x0 - item_indent) <= char_width
            and lines
            and not _wrapped(last_right, cells[0], right, char_width)
        ):
            # At the item's indent under a line that did not fill its width: an item whose
            # bullet was lost (an image bullet, a scan), not the item above going on.
            cells[0].text = "• " + cells[0].text
            starts_item = item_indent
        if starts_item is not None:
            item_indent = starts_item
        last_right = cells[-1].x1
        add("\t".join(cell.text for cell in cells), cells[0].x0)
        table = _Table(len(lines) - 1, cells, right) if len(cells) > 1 else None
    return lines, lefts, indents


def _has_label(line: str) -> bool:
    from documents.importer.labels import bare_label, cells_of, label_of

    labels = [label_of(cell) or bare_label(cell) for cell in cells_of(line)]
    return any(
        found and (found if isinstance(found, str) else found[0]) in ("date", "registration_number")
        for found in labels
    )


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).casefold())


def drop_page_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Each page's lines without running heads and feet (kept_lines)."""
    return [[page[i] for i in kept] for page, kept in zip(pages, kept_lines(pages), strict=True)]


def kept_lines(pages: list[list[str]]) -> list[list[int]]:
    """Each page's lines that are content, by index: not a line near the top or bottom of a
    page that recurs there on at least half the pages (digits aside, so "Sida 2 av 3" is the
    same line on every page), nor a page number, nor blank lines at a page's top or foot. A
    running head that holds the date or the Dnr (the region's Word header) is kept once."""
    edges = []
    for page in pages:
        filled = [line for line in page if line.strip()]
        edges.append({_furniture_key(line) for line in filled[:EDGE_LINES] + filled[-EDGE_LINES:]})
    counts = Counter(key for keys in edges for key in keys)
    needed = max(2, (len(pages) + 1) // 2)
    furniture = {key for key, count in counts.items() if count >= needed}
    labelled = {
        _furniture_key(line)
        for page in pages
        for line in page
        if _furniture_key(line) in furniture and _has_label(line)
    }
    seen: set[str] = set()
    result: list[list[int]] = []
    for page, keys in zip(pages, edges, strict=True):
        filled = [line for line in page if line.strip()]
        numbered = {
            line for line in filled[:EDGE_LINES] + filled[-EDGE_LINES:] if PAGE_FOOT.search(line)
        }
        kept = []
        for index, line in enumerate(page):
            key = _furniture_key(line)
            if line in numbered:
                continue
            if key in keys and key in furniture:
                if key not in labelled or key in seen:
                    continue
                seen.add(key)  # the Word header's date and Dnr, once
            kept.append(index)
        # The gap above a page's foot is no paragraph break: text goes on on the next page.
        while kept and not page[kept[-1]].strip():
            kept.pop()
        while kept and not page[kept[0]].strip():
            kept.pop(0)
        result.append(kept)
    return result


def document_lines(pages: list[Page]) -> list[tuple[str, int]]:
    """The pages' content lines in order, each with its page (from 1). A list item open at a
    page's foot ends where the next page begins at the margin."""
    lines: list[tuple[str, int]] = []
    open_indent: float | None = None
    for number, (page, kept) in enumerate(
        zip(pages, kept_lines([p.lines for p in pages]), strict=True), start=1
    ):
        if kept and open_indent is not None:
            left = page.lefts[kept[0]] if page.lefts else None
            starts_item = page.indents[kept[0]] is not None if page.indents else False
            if left is not None and not starts_item and left < open_indent - 3:
                lines.append(("", number))
        lines += [(page.lines[i], number) for i in kept]
        open_indent = page.indents[kept[-1]] if kept and page.indents else None
    return lines


def _out_of_memory(error: BaseException | None) -> bool:
    """Whether a MemoryError is among the causes of `error`."""
    seen = 0
    while error is not None and seen < 20:
        if isinstance(error, MemoryError):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False
