"""Import of uppdragshandlingar (.docx, .pdf, .txt): the document's text as lines (formats.py:
a .txt by text.py, a .docx from its XML by word.py, a PDF from where its words stand by pdf.py,
a scanned page by OCR in scans.py), its sections (sections.py) and fields (parse.py) with the
line each came from, Swedish periods as dates (periods.py), written names matched to accounts
(people.py), and the draft saved from them (drafts.py). Parsing saves nothing; only
drafts.create_draft writes."""

from __future__ import annotations

import datetime as dt

from documents.importer.parse import parse_text
from documents.importer.result import ParsedDocument
from documents.importer.text import (
    EXTENSIONS,
    NotAnAssignmentDocument,
    ReaderUnavailable,
    UnreadableDocument,
)

__all__ = [
    "EXTENSIONS",
    "NotAnAssignmentDocument",
    "ParsedDocument",
    "ReaderUnavailable",
    "UnreadableDocument",
    "read_document",
]


def read_document(data: bytes, filename: str, *, today: dt.date | None = None) -> ParsedDocument:
    """The fields of the uppdragshandling in `data` (named `filename`, whose extension says
    its format). Deadlines before `today` are warned about: the assignment is registered
    mid-flight. NotAnAssignmentDocument (or UnreadableDocument) says why a file is refused."""
    from documents.importer.checks import flag_scanned
    from documents.importer.formats import extract

    extracted = extract(data, filename)
    document = parse_text(extracted.lines, today=today)
    document.line_pages = extracted.pages
    document.scanned_pages = extracted.scanned_pages
    flag_scanned(document)
    return document
