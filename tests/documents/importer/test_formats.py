"""Seed 004 and the synthetic uppdragshandling as Word documents and PDFs built in the test
(tests/uppdragshandlingar.py) give every field, as their text does (text.py's readers)."""

import datetime as dt
import io

import docx
import pdfplumber
import pytest

from documents.importer import read_document
from documents.importer.formats import extract_lines
from tests import uppdragshandlingar as documents
from tests.documents.importer import expected

BEFORE = dt.date(2025, 1, 1)
SEED_004 = (
    documents.seed_004_text,
    expected.SEED_004,
    expected.SEED_004_TEXTS,
    expected.SEED_004_LISTS,
)
SYNTHETIC = (
    documents.synthetic_text,
    expected.SYNTHETIC,
    expected.SYNTHETIC_TEXTS,
    expected.SYNTHETIC_LISTS,
)
BUILDS = {
    "docx": lambda text, _glyph: documents.docx_bytes(text),
    "pdf": lambda text, glyph: documents.pdf_bytes(text, bullet=glyph),
}


@pytest.mark.parametrize("extension", ["docx", "pdf"])
@pytest.mark.parametrize(
    ("document", "glyph"), [(SEED_004, "•"), (SYNTHETIC, "–")], ids=["seed_004", "synthetic"]
)
def test_every_field_from_a_word_document_and_a_pdf(extension, document, glyph):
    text, contract, texts, lists = document
    data = BUILDS[extension](text(), glyph)
    parsed = read_document(data, f"uppdragshandling.{extension}", today=BEFORE)
    assert parsed.as_contract() == contract
    assert expected.texts_of(parsed) == texts
    assert expected.lists_of(parsed) == lists


def test_the_word_document_has_real_bullet_lists_a_timeline_table_and_a_footer():
    data = documents.docx_bytes(documents.seed_004_text())
    word = docx.Document(io.BytesIO(data))
    bullets = [p for p in word.paragraphs if p.style.name == "List Bullet"]
    assert len(bullets) == 31  # 3 + 3 + 8 + 4 + 9 + 4 items
    timeline = [t for t in word.tables if t.rows[0].cells[0].text == "Aktivitet"]
    assert [row.cells[1].text for row in timeline[0].rows] == [
        "Tidplan",
        "Juni – aug 2025",
        "Sep – okt 2025",
        "Nov 2025",
        "Jan – juni 2026",
    ]
    lines = extract_lines(data, "004.docx")
    assert (
        "Resurssättning av arbetsgrupper/ansvariga samt etablering av metod.\tJuni – aug 2025"
        in (lines)
    )
    assert not any("Sida 1" in line for line in lines)  # the footer is not content


def test_the_pdf_has_a_footer_on_every_page_and_bullet_glyphs_which_are_not_content():
    data = documents.pdf_bytes(documents.seed_004_text())
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
    assert len(pages) == 3
    assert all(f"Sida {n} av 3" in text for n, text in enumerate(pages, start=1))
    assert sum(text.count("•") for text in pages) == 31
    lines = extract_lines(data, "004.pdf")
    assert not any("Sida" in line or "•" in line for line in lines)
    assert "Västra Götalandsregionen" not in lines  # the running foot
    # the activity wraps in its column and goes on there, beside its period
    assert "Sammanställning av material, framtagande av förslag till organisering\tNov 2025" in (
        lines
    )


def test_a_word_document_laid_out_in_a_one_column_table_reads_as_its_text():
    word = docx.Document()
    layout = word.add_table(rows=1, cols=1).rows[0].cells[0]
    layout.paragraphs[0].text = "Uppdragshandling"
    for text in [
        "Dnr RS 2026-00001",
        "Uppdragsgivare: Karin Lindqvist",
        "Uppdragstagare: Mats Öberg",
    ]:
        layout.add_paragraph(text)
    layout.add_paragraph("Tidplan", style="Heading 2")
    layout.add_paragraph("Förstudie\tJan – feb 2026")
    merged = word.add_table(rows=1, cols=3).rows[0]
    merged.cells[0].merge(merged.cells[1]).text = "Remiss"
    merged.cells[2].text = "Mars 2026"
    out = io.BytesIO()
    word.save(out)
    lines = extract_lines(out.getvalue(), "layout.docx")
    assert "Förstudie\tJan – feb 2026" in lines
    assert "Remiss\tMars 2026" in lines  # a merged cell once
    parsed = read_document(out.getvalue(), "layout.docx")
    assert [(r.title, r.period.label) for r in parsed.milestones] == [
        ("Förstudie", "Jan – feb 2026"),
        ("Remiss", "Mars 2026"),
    ]
