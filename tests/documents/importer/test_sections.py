"""Headings in any case, numbering, colon or order, and letterhead left out
(documents/importer/sections.py)."""

import pytest

from documents.importer.sections import heading_of, split_sections


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("Tidplan", "timeline"),
        ("TIDPLAN", "timeline"),
        ("Tidplan:", "timeline"),
        ("4. Tidplan", "timeline"),
        ("4.1 Tidsplan", "timeline"),
        ("## Tidplan och milstolpar", "timeline"),
        ("**Kommunikation**", "communication"),
        ("1. Bakgrund", "description"),
        ("Uppdragsbeskrivning", "description"),
        ("Uppdraget innefattar följande:", "scope"),
        ("Uppdraget omfattar:", "scope"),
        ("Uppdraget ska:", "requirements"),
        ("Arbetsorganisation", "working_group"),
        ("Arbetsgruppen utgörs av följande personer:", "working_group"),
        ("Samband och gränsdragning till andra uppdrag och pågående arbete", "relations"),
        ("Kostnader och finansiering", "costs"),
        ("Form för beslut när uppdraget är klart", "decision_form"),
        ("Uppdraget skickas till", "distribution"),
        ("Sändlista", "distribution"),
        ("För genomförande:", "execution"),
        ("För kännedom:", "information"),
        ("III. Kommunikation", "communication"),
    ],
)
def test_a_heading_is_known_however_it_is_written(line, key):
    assert heading_of(line) == (key, "")


def test_a_heading_with_its_text_on_the_same_line():
    assert heading_of("Kommunikation: sker via chefsnätverket.") == (
        "communication",
        "sker via chefsnätverket.",
    )


@pytest.mark.parametrize(
    "line",
    [
        "Kommunikation sker via gruppen Samordningsgrupp för vårdinformationsmiljö.",
        "Uppdraget ska redovisas till styrelsen senast i juni, och ingen annan gång än då.",
        "- Tidplan",
        "Aktivitet\tTidplan",
        "Uppdrag: Gemensam plattform",
        "Datum för beslut: ÅÅÅÅ-MM-DD",
    ],
)
def test_a_sentence_a_list_item_or_a_table_row_is_no_heading(line):
    assert heading_of(line) is None


def test_sections_in_any_order_and_the_header_before_them():
    layout = split_sections(
        ["Uppdrag: X", "", "Tidplan", "Rad", "", "1. Bakgrund", "Text", "Tidplan", "Mer"]
    )
    assert layout.header == [(0, "Uppdrag: X"), (1, "")]
    assert [t for _i, t in layout.sections["description"].lines] == ["Text"]
    # a heading seen again continues its section
    assert [t for _i, t in layout.sections["timeline"].lines] == ["Rad", "", "Mer"]


def test_a_letterhead_address_block_inside_a_section_is_dropped():
    lines = [
        "Uppdraget innefattar följande:",
        "",
        "Postadress:",
        "Regionens Hus",
        "462 80 Vänersborg",
        "",
        "Besöksadress:",
        "Residenset, Torget",
        "Vänersborg",
        "",
        "Telefon:",
        "010-441 00 00",
        "E-post:",
        "regionstyrelsen@vqregion.se",
        "",
        "Webbplats:",
        "www.vqregion.se",
        "",
        "- Ta fram förslag.",
    ]
    layout = split_sections(lines)
    kept = [t for i, t in layout.sections["scope"].lines if t and i not in layout.dropped]
    assert kept == ["- Ta fram förslag."]


def test_an_address_block_stops_at_a_heading():
    layout = split_sections(["Telefon:", "010-441 00 00", "Tidplan", "Rad"])
    assert "timeline" in layout.sections
    assert layout.dropped == {0, 1}
