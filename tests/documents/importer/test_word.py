"""A Word document read as the office writes it (documents/importer/word.py): the date and the
Dnr in a table at the top, in the page header or in a text box; lists by style or by Word's
own numbering at any level; side headings; content controls; the footer read for labels only."""

import io

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from documents.importer import read_document
from documents.importer.formats import extract_lines
from tests import uppdragshandlingar as documents
from tests.documents.importer import expected, layouts

HEADER = ("registration_number", "date", "issuing_unit", "title", "commissioners", "assignee")


def _saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _header_of(data: bytes, name="004.docx") -> dict:
    contract = read_document(data, name).as_contract()
    return {key: contract[key] for key in HEADER}


SEED_HEADER = {key: expected.SEED_004[key] for key in HEADER}


def test_a_header_table_of_label_and_value_cells_gives_the_date_and_the_dnr():
    # issue 28: "Datum" | "2025-08-12" in a table at the top came out as no date, no Dnr and
    # the issuing unit "Datum" (main: registration_number None, date None).
    data = layouts.docx_of(documents.seed_004_text(), layouts.Layout(header="table"))
    assert "Datum:\t2025-08-12" in extract_lines(data, "004.docx")
    assert _header_of(data) == SEED_HEADER


def test_labels_without_their_colon_in_a_header_table():
    layout = layouts.Layout(header="table", labels="bare")
    data = layouts.docx_of(documents.seed_004_text(), layout)
    assert "Dnr\tRS 2024-05699" in extract_lines(data, "004.docx")
    assert _header_of(data) == SEED_HEADER


def test_the_word_header_part_is_read_before_the_body():
    data = layouts.docx_of(documents.seed_004_text(), layouts.Layout(header="word_header"))
    lines = extract_lines(data, "004.docx")
    assert lines[:4] == [
        "Västra Götalandsregionen",
        "",
        "Datum:\t2025-08-12",
        "Diarienummer:\tRS 2024-05699",
    ]
    assert _header_of(data) == SEED_HEADER


def test_a_text_box_is_read_where_it_is_anchored_and_once():
    data = layouts.docx_of(documents.seed_004_text(), layouts.Layout(header="text_box"))
    lines = extract_lines(data, "004.docx")
    assert lines.count("Datum: 2025-08-12") == 1
    assert lines.index("Datum: 2025-08-12") < lines.index("Uppdragshandling")
    assert _header_of(data) == SEED_HEADER


@pytest.mark.parametrize("lists", layouts.LISTS)
def test_list_items_by_style_or_by_word_numbering_at_any_level(lists):
    data = layouts.docx_of(documents.seed_004_text(), layouts.Layout(lists=lists))
    parsed = read_document(data, "004.docx")
    assert [m.name for m in parsed.working_group] == [
        m["name"] for m in expected.SEED_004["working_group"]
    ]
    assert parsed.project_lead.name == "Jan Sträng"
    assert len(parsed.scope) == 3


def test_the_footer_gives_its_labels_and_not_its_address():
    word = docx.Document(io.BytesIO(documents.docx_bytes(documents.synthetic_text())))
    footer = word.sections[0].footer
    footer.paragraphs[0].text = "Regionens Hus, 462 80 Vänersborg"
    footer.add_paragraph("Dnr RJL 2026/0999")
    lines = extract_lines(_saved(word), "footer.docx")
    assert "Dnr RJL 2026/0999" in lines[:3]
    assert not any("Vänersborg" in line for line in lines)


def test_a_side_heading_table_and_a_content_control_read_as_headings_and_text():
    word = docx.Document()
    word.add_paragraph("Uppdragshandling")
    control = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p><w:r><w:t>Dnr RS 2026-00003</w:t></w:r>"
        "</w:p></w:sdtContent></w:sdt>"
    )
    word.add_paragraph("Uppdragsgivare: Karin Lindqvist").paragraph_format.element.addprevious(
        control
    )
    word.add_paragraph("Uppdragstagare: Mats Öberg")
    table = word.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Kommunikation"
    table.cell(0, 1).text = "Via chefsnätverket."
    lines = extract_lines(_saved(word), "side.docx")
    assert "Dnr RS 2026-00003" in lines
    assert lines[-3:] == ["Kommunikation", "", "Via chefsnätverket."]
    parsed = read_document(_saved(word), "side.docx")
    assert parsed.registration_number.value == "RS 2026-00003"
    assert parsed.communication.value == "Via chefsnätverket."


def test_a_file_that_is_no_word_document_is_refused_with_a_reason():
    from documents.importer.text import UnreadableDocument

    with pytest.raises(UnreadableDocument, match="Word-dokument"):
        extract_lines(b"PK\x03\x04 not a zip at all", "trasig.docx")
