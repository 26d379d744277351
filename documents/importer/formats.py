"""An uploaded uppdragshandling's text as lines, whatever its format: a .txt as written
(text.py), a .docx from its XML (word.py), a PDF from where its words stand or, scanned, by
OCR (pdf.py, scans.py); every format cleaned the same way (text.clean_line)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils.translation import gettext as _

from documents.importer import limits
from documents.importer.pdf import document_lines, pdf_pages
from documents.importer.text import (
    EXTENSIONS,
    UnreadableDocument,
    cleaned,
    lines_from_blocks,
    text_lines,
)
from documents.importer.word import docx_blocks


@dataclass
class Extracted:
    """A document's lines, and for a PDF the page of each line (from 1) and the pages that
    were scans read by OCR."""

    lines: list[str]
    pages: list[int | None] = field(default_factory=list)
    scanned_pages: frozenset[int] = frozenset()


def extract_lines(data: bytes, filename: str) -> list[str]:
    """The document's lines, whatever its format; UnreadableDocument says why not."""
    return extract(data, filename).lines


def extract(data: bytes, filename: str) -> Extracted:
    """The document's lines with where they stand (Extracted)."""
    extension = PurePath(filename).suffix.lower().lstrip(".")
    if extension not in EXTENSIONS:
        raise UnreadableDocument(
            _("Filtypen .%(extension)s kan inte läsas in. Använd .docx, .pdf eller .txt.")
            % {"extension": extension or "?"}
        )
    if not data.strip():
        raise UnreadableDocument(_("Filen är tom."))
    scanned: frozenset[int] = frozenset()
    if extension == "txt":
        raw = [(line, None) for line in limits.counted(text_lines(data))]
    elif extension == "docx":
        raw = [(line, None) for line in lines_from_blocks(docx_blocks(data))]
    else:
        pages = pdf_pages(data)
        scanned = frozenset(number for number, page in enumerate(pages, 1) if page.scanned)
        raw = document_lines(pages)
    lines, where = cleaned(raw)
    if not any(lines):
        raise UnreadableDocument(_("Filen innehåller ingen text."))
    return Extracted(lines, where, scanned)
