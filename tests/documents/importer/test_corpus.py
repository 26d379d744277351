"""The corpus (corpus.py): every layout of every document imports to the fields of the
command's contract (`import_uppdragshandling FILE --dry-run --json`) that its plain text
gives, and that plain text to what the document says. Scans add one warning (read by OCR)
and mark every field they gave for review.

Word, plain text and the other writer's PDFs are made in memory (the fast lane); LibreOffice's
PDFs and the scans are made by other programs and read by Tesseract (the slow lane).
"""

import pytest

from documents.importer import read_document
from tests.documents.importer import corpus, expected

ORIGINALS = {
    "seed_004": expected.SEED_004,
    "synthetic": expected.SYNTHETIC,
    "region": expected.REGION,
}
VARIANTS = corpus.variants()
OCR_WARNING = "är skannad och lästes med OCR"


def _contract(data: bytes, filename: str) -> dict:
    # the deadlines of the documents lie after this day: no "already passed" warnings
    import datetime as dt

    return read_document(data, filename, today=dt.date(2025, 1, 1)).as_contract()


def _without_ocr_warning(contract: dict) -> dict:
    return {
        **contract,
        "warnings": [w for w in contract["warnings"] if OCR_WARNING not in w],
    }


@pytest.mark.parametrize("document", list(ORIGINALS))
def test_the_plain_text_of_each_document_gives_what_it_says(document):
    text = corpus.TEXTS[document]()
    assert _contract(text.encode(), f"{document}.txt") == ORIGINALS[document]


def test_the_corpus_has_more_than_thirty_layouts_of_each_of_three_documents():
    for document in ORIGINALS:
        kinds = [v.kind for v in VARIANTS if v.document == document]
        assert len(kinds) >= 30
        assert {"txt", "docx", "pdf-libreoffice", "pdf-writer", "scan"} <= set(kinds)


def _check(variant: corpus.Variant, data: bytes) -> None:
    contract = _contract(data, variant.filename)
    if variant.kind == "scan":
        assert any(OCR_WARNING in w for w in contract["warnings"])
        contract = _without_ocr_warning(contract)
    assert contract == ORIGINALS[variant.document], variant.id


@pytest.mark.parametrize("variant", [v for v in VARIANTS if not v.is_slow], ids=lambda v: v.id)
def test_every_layout_made_here_imports_as_its_plain_text(variant):
    _check(variant, corpus.made_here(variant))


@pytest.mark.slow
@pytest.mark.parametrize("variant", [v for v in VARIANTS if v.is_slow], ids=lambda v: v.id)
def test_every_libreoffice_pdf_and_scan_imports_as_its_plain_text(variant):
    _check(variant, corpus.build(variant))
