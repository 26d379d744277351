"""A scanned uppdragshandling (documents/importer/scans.py): a PDF of page images only, as a
diarium keeps them, read by Tesseract's Swedish model; every field it gave is marked for
review with its page, for the review page to show that page beside it."""

import datetime as dt
import io

import pdfplumber
import pytest

from documents.importer import read_document
from documents.importer.scans import page_image
from tests import uppdragshandlingar as documents
from tests.documents.importer import corpus, expected

BEFORE = dt.date(2025, 1, 1)


@pytest.fixture(scope="module")
def scanned_seed_004():
    """Seed 004 saved by Word in the header-table layout, exported to PDF by LibreOffice and
    scanned at 300 dpi (the corpus's): page images, no text."""
    data = corpus.build(corpus.Variant("seed_004", "scan", "300dpi"))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert all(not page.extract_words() and page.images for page in pdf.pages)
    return data, read_document(data, "skannad.pdf", today=BEFORE)


@pytest.mark.slow
def test_a_scanned_seed_004_imports_with_every_field_right_or_flagged(scanned_seed_004):
    _data, parsed = scanned_seed_004
    contract = parsed.as_contract()
    fields = {
        "registration_number": parsed.registration_number,
        "date": parsed.date,
        "title": parsed.title,
        "issuing_unit": parsed.issuing_unit,
        "supersedes": parsed.supersedes,
        "delivery_due": parsed.delivery_due,
    }
    for name, found in fields.items():
        assert contract[name] == expected.SEED_004[name] or found.uncertain, name
        page = parsed.line_pages[found.line]
        assert found.uncertain and f"Läst med OCR från sida {page}" in found.reason, name
    people = [person for _field, person in parsed.people()]
    assert people and all(p.uncertain and "Läst med OCR från sida" in p.reason for p in people)
    wrong = [
        k for k in expected.SEED_004 if k != "warnings" and contract[k] != expected.SEED_004[k]
    ]
    assert wrong == []  # at 300 dpi every field is read right, and still flagged


@pytest.mark.slow
def test_a_scan_says_which_pages_it_read_by_ocr_and_shows_each_page(scanned_seed_004):
    data, parsed = scanned_seed_004
    assert parsed.scanned_pages == frozenset({1, 2, 3, 4})
    assert "Sidan 1, 2, 3, 4 är skannad och lästes med OCR: jämför varje fält med sidbilden." in [
        w.message for w in parsed.warnings
    ]
    assert page_image(data, 2).startswith(b"\x89PNG")
    with pytest.raises(IndexError):
        page_image(data, 5)


def test_a_pdf_with_text_is_not_read_by_ocr():
    parsed = read_document(documents.pdf_bytes(documents.synthetic_text()), "a.pdf", today=BEFORE)
    assert parsed.scanned_pages == frozenset()
    assert not parsed.registration_number.uncertain
