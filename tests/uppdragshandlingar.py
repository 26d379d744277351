"""Uppdragshandlingar for the importer's tests, built in the test from a document's text: the
text itself (.txt), a Word document (.docx, python-docx: headings, real "List Bullet"
paragraphs, tables for the letterhead and the tidplan, a footer) and a PDF (written here:
several pages, a footer with the page number on each, bullet glyphs, table columns, wrapped
lines)."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from documents.importer.sections import heading_of
from tests import sample_files as documents

# Copies of shared/seeds/004_d47a9a34d9c1e760.txt (the real uppdragshandling) and of seeds 002
# and 003 (a group catalogue and a minutes extract: documents that are no uppdragshandling),
# byte for byte, beside a synthetic uppdragshandling of the same kind.
FILES = Path(__file__).resolve().parent / "documents" / "importer"
SEED_004 = FILES / "seed_004.txt"
NOT_ASSIGNMENTS = [FILES / "seed_002.txt", FILES / "seed_003.txt"]
SYNTHETIC = FILES / "synthetic.txt"


def seed_004_text() -> str:
    return SEED_004.read_text(encoding="utf-8")


def synthetic_text() -> str:
    return SYNTHETIC.read_text(encoding="utf-8")


def blocks_from_text(text: str) -> list[tuple[str, object]]:
    """The text as ("heading" | "paragraph" | "bullet", text) and ("rows", [cells, …]): a line
    "- …" is a list item, a line with tabs (or a text export's ** bold marks) a table row,
    consecutive rows one table."""
    blocks: list[tuple[str, object]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or set(line) <= set("-\t "):
            continue
        if "\t" in line or "**" in line or "    " in line:
            separator = "**" if "**" in line else ("\t" if "\t" in line else "    ")
            cells = [cell.strip() for cell in line.split(separator) if cell.strip()]
            if blocks and blocks[-1][0] == "rows" and len(blocks[-1][1][-1]) == len(cells):
                blocks[-1][1].append(cells)
            else:
                blocks.append(("rows", [cells]))
        elif line.startswith("- "):
            blocks.append(("bullet", line[2:]))
        elif heading_of(line) is not None and not heading_of(line)[1]:
            blocks.append(("heading", line))
        else:
            blocks.append(("paragraph", line))
    return blocks


def docx_bytes(text: str) -> bytes:
    """A Word document of the text, as the office writes one."""
    import docx

    document = docx.Document()
    document.sections[0].footer.paragraphs[0].text = "Regionens Hus, 462 80 Vänersborg · Sida 1"
    for kind, content in blocks_from_text(text):
        if kind == "heading":
            document.add_heading(content, level=2)
        elif kind == "bullet":
            document.add_paragraph(content, style="List Bullet")
        elif kind == "rows":
            table = document.add_table(rows=0, cols=len(content[0]))
            for cells in content:
                row = table.add_row()
                for cell, value in zip(row.cells, cells, strict=True):
                    cell.text = value
        else:
            document.add_paragraph(content)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- PDF ---------------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = 595, 842
LEFT, TOP, BOTTOM = 56, 790, 80
SIZE, LEADING, PARAGRAPH_SPACE = 10, 13, 9
CHAR = 6.0  # a generous Helvetica character width at 10 pt, to place columns apart


def _pdf_lines(text: str, bullet: str) -> list[list[tuple[float, str]] | None]:
    """Each printed line as (x, text) runs; None is a paragraph's extra space."""
    printed: list[list[tuple[float, str]] | None] = []
    for kind, content in blocks_from_text(text):
        if kind in ("heading", "paragraph"):
            printed.append(None)
            printed.extend([(LEFT, part)] for part in textwrap.wrap(content, 90))
        elif kind == "bullet":
            parts = textwrap.wrap(content, 80)
            printed.append([(LEFT + 6, bullet), (LEFT + 24, parts[0])])
            printed.extend([[(LEFT + 24, part)] for part in parts[1:]])
        else:
            printed.append(None)
            for cells in content:
                if len(cells) == 2:  # the tidplan: the activity wraps in its column
                    parts = textwrap.wrap(cells[0], 55)
                    printed.append([(LEFT, parts[0]), (380, cells[1])])
                    printed.extend([[(LEFT, part)] for part in parts[1:]])
                    continue
                runs, x = [], LEFT
                for cell in cells:
                    runs.append((x, cell))
                    x += CHAR * len(cell) + 30
                printed.append(runs)
    return printed


def _escaped(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def pdf_bytes(text: str, *, bullet: str = "•", footer: str = "Västra Götalandsregionen") -> bytes:
    """A PDF of the text in Helvetica (WinAnsi, so å, ä, ö, – and • print), as many A4 pages
    as it needs, each with `footer` and "Sida n av m" at its foot."""
    pages: list[list[tuple[float, float, str]]] = [[]]
    y = TOP
    for line in _pdf_lines(text, bullet):
        if line is None:
            y -= PARAGRAPH_SPACE
            continue
        if y < BOTTOM:
            pages.append([])
            y = TOP
        pages[-1].extend((x, y, run) for x, run in line)
        y -= LEADING
    count = len(pages)
    streams = []
    for number, runs in enumerate(pages, start=1):
        runs = [*runs, (LEFT, 40, footer), (470, 40, f"Sida {number} av {count}")]
        body = b"".join(
            b"BT /F1 %d Tf %.1f %.1f Td (%s) Tj ET\n" % (SIZE, x, y, _escaped(run))
            for x, y, run in runs
        )
        streams.append(body)
    # objects: 1 catalog, 2 pages, 3 font, then page and content per page
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, stream in enumerate(streams):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Contents {5 + 2 * i} 0 R /Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%sendstream" % (len(stream), stream))
    return documents.pdf_file(objects)
