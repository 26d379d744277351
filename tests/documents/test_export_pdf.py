"""The uppdragshandling as PDF: read back with pdfplumber, it says every field of seed 004 in
the document's order, its tidplan as a table, the Dnr and page in the footer; Swedish text
renders and a user's markup stays text."""

import datetime as dt

import pytest

from documents import export_document, export_pdf
from tests.export_helpers import (
    decided_assignment,
    in_order,
    pdf_links,
    pdf_pages,
    pdf_tables,
    pdf_text,
    seed_004_in_document_order,
    seed_004_timeline,
)

pytestmark = pytest.mark.django_db

MARKUP = (
    '<b>fet</b> <font color="red">röd</font> & <link href="https://evil.example">klick</link>'
    ' <a href="javascript:alert(1)">x</a> <img src="bild.png"/> <br/> &amp; </para>'
)


def _pdf(assignment) -> bytes:
    return export_pdf.render(export_document.build(assignment))


def test_every_field_of_seed_004_is_in_the_pdf_in_the_documents_order(demo):
    assert in_order(pdf_text(_pdf(demo)), seed_004_in_document_order()) == []


def test_the_timeline_is_a_table_of_activity_and_period(demo):
    rows = pdf_tables(_pdf(demo))
    assert rows[0] == ["Aktivitet", "Tidplan"]
    assert [row for row in rows if row != ["Aktivitet", "Tidplan"]] == seed_004_timeline()


def test_every_page_has_the_dnr_and_its_number_of_all_in_the_footer(demo):
    pages = pdf_pages(_pdf(demo))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert text.splitlines()[-1] == f"Dnr RS 2024-05699 Sida {number} av {len(pages)}"


def test_swedish_letters_dashes_quotes_and_the_paragraph_sign_render(demo):
    demo.title = "Åtgärder för ökad tillgänglighet – ”Vård i tid” enligt § 3"
    demo.save(update_fields=["title"])
    assert f"Uppdrag: {demo.title}" in pdf_text(_pdf(demo))


def test_a_letter_helvetica_lacks_loses_its_accent_instead_of_becoming_another(demo):
    demo.title = "Samverkan med Łódź och Gdańsk → Kraków"
    demo.save(update_fields=["title"])
    assert "Uppdrag: Samverkan med Lódz och Gdansk ? Kraków" in pdf_text(_pdf(demo))


def test_markup_in_a_title_and_a_role_comes_out_as_the_characters_typed(demo):
    demo.title = MARKUP
    demo.save(update_fields=["title"])
    member = demo.working_group.order_by("position").first()
    member.role = MARKUP
    member.save(update_fields=["role"])
    pdf = _pdf(demo)
    text = pdf_text(pdf)
    assert f"Uppdrag: {MARKUP}" in text
    assert f"Anders Kullbratt, {MARKUP}" in text
    assert pdf_links(pdf) == []  # no <link> or <a> became a link


def test_the_decided_assignment_gives_its_decision_date_and_paragraph(demo):
    text = pdf_text(_pdf(decided_assignment()))
    assert in_order(text, ["Datum för beslut: 2025-10-14", "Paragraf: § 12"]) == []
    assert "ÅÅÅÅ-MM-DD" not in text


@pytest.mark.parametrize(
    ("text", "shown"),
    [("Järnström – §", "Järnström – §"), ("Wałęsa", "Walesa"), ("→ 中", "? ?")],
)
def test_winansi_keeps_what_helvetica_has_and_never_another_letter(text, shown):
    assert export_pdf.winansi(text) == shown


def test_markup_escapes_every_special_character():
    assert export_pdf.markup('<b>&"x"\n') == '&lt;b&gt;&amp;"x"<br/>'


# -- issue 29, item 7: real bullets, a heading kept with what follows it --------------------


def _long_document(paragraphs: int) -> export_document.ExportedDocument:
    """`paragraphs` paragraphs, then "Tidplan" over a table longer than a page, then a list."""
    document = export_document.ExportedDocument(
        registration_number="RS 2024-05699",
        title="Uppdrag",
        document_date=dt.date(2025, 8, 12),
        issuing_unit="Koncernkontoret",
    )
    document.blocks += [
        export_document.Text(f"Stycke {i}. " + "Text som fyller sidan. " * 12)
        for i in range(paragraphs)
    ]
    rows = tuple((f"Aktivitet {j}", "Sep – okt 2025") for j in range(60))
    document.blocks += [
        export_document.Heading("Tidplan"),
        export_document.Table(("Aktivitet", "Tidplan"), rows),
        export_document.Heading("Uppdraget ska"),
        export_document.Bullets(("Beskriva nuläget", "Föreslå en organisation")),
    ]
    return document


def test_a_list_has_real_bullets():
    text = pdf_text(export_pdf.render(_long_document(1)))
    assert "• Beskriva nuläget • Föreslå en organisation" in text


def test_a_heading_is_never_alone_at_the_foot_of_a_page():
    # wherever the heading falls, from high on a page to its foot
    for paragraphs in range(6, 22, 3):
        for page in pdf_pages(export_pdf.render(_long_document(paragraphs))):
            lines = [line for line in page.splitlines() if line.strip() and "Dnr " not in line]
            assert lines[-1] not in ("Tidplan", "Uppdraget ska"), (paragraphs, lines[-3:])
