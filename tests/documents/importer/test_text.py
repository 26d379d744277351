"""A document's text as lines (documents/importer/text.py): what is on a page but not in
the document is left out, and every format ends as the same kind of lines."""

import pytest

from documents.importer.formats import extract_lines
from documents.importer.pdf import drop_page_furniture, lines_from_words
from documents.importer.text import (
    Block,
    UnreadableDocument,
    clean_lines,
    lines_from_blocks,
)


@pytest.mark.parametrize(
    "line",
    [
        "• Kartlägga verktygen",
        "\uf0b7 Kartlägga verktygen",  # Symbol's bullet, as a PDF extracts it
        "\uf0a7\tKartlägga verktygen",  # Wingdings' square, then a tab
        "▪ Kartlägga verktygen",
        "– Kartlägga verktygen",
        "- Kartlägga verktygen",
        "* Kartlägga verktygen",
        "o Kartlägga verktygen",  # Word's second level in Courier
        "(cid:183) Kartlägga verktygen",  # a glyph pdfminer cannot map
        "   ●   Kartlägga verktygen",
    ],
)
def test_a_bullet_glyph_becomes_one_list_marker(line):
    assert clean_lines([line]) == ["- Kartlägga verktygen"]


def test_a_dash_inside_a_line_or_a_word_starting_with_o_is_text():
    assert clean_lines(["Juni – aug 2025", "Omar Haddad"]) == ["Juni – aug 2025", "Omar Haddad"]


@pytest.mark.parametrize(
    "line", ["3", "Sida 2 av 5", "sida 2", "2 (5)", "2/5", "- 4 -", "Page 3 of 7"]
)
def test_page_numbers_are_left_out(line):
    assert clean_lines(["Tidplan", line, "Text"]) == ["Tidplan", "Text"]


def test_a_text_exports_bold_marks_split_cells_and_its_table_rule_goes():
    lines = clean_lines(
        [
            "Västra Götalandsregionen**Koncernkontoret**",
            "Uppdragsgivare: Anders Kullbratt**Uppdragstagare:** Jan Sträng",
            "---\t--------------------",
        ]
    )
    assert lines == [
        "Västra Götalandsregionen\tKoncernkontoret",
        "Uppdragsgivare: Anders Kullbratt\tUppdragstagare:\tJan Sträng",
    ]


def test_blank_runs_become_one_blank_line():
    assert clean_lines(["", "a", "", "", " ", "b", ""]) == ["a", "", "b"]


def test_word_list_paragraphs_get_a_marker_and_table_rows_a_tab_between_cells():
    blocks = [
        Block(text="Uppdraget ska:", style="Normal"),
        Block(text="Samordnas med upphandlingen.", style="List Bullet"),
        Block(text="Redovisa kostnader.", style="List Paragraph"),
        Block(cells=("Aktivitet", "Tidplan")),
        Block(cells=("Upphandling", "Nov 2026 – feb 2027")),
        Block(text="Rad ett\nrad två", style="Normal"),
    ]
    assert clean_lines(lines_from_blocks(blocks)) == [
        "Uppdraget ska:",
        "",
        "- Samordnas med upphandlingen.",
        "",
        "- Redovisa kostnader.",
        "",
        "Aktivitet\tTidplan",
        "Upphandling\tNov 2026 – feb 2027",
        "Rad ett",
        "rad två",
    ]


def _word(text, x0, top, size=10.0):
    return {"text": text, "x0": x0, "x1": x0 + 5.0 * len(text), "top": top, "bottom": top + size}


def test_pdf_words_make_lines_with_tabs_between_columns_and_blanks_between_paragraphs():
    words = [
        _word("Upphandling", 56, 100),
        _word("Nov", 400, 100.5),
        _word("2026", 420, 100),
        _word("Tidplan", 56, 112),
        _word("Nästa", 56, 140),
        _word("stycke", 86, 140),
    ]
    assert lines_from_words(words) == ["Upphandling\tNov 2026", "Tidplan", "", "Nästa stycke"]


def test_running_heads_feet_and_page_numbers_of_a_pdf_are_left_out():
    pages = [
        ["Uppdragshandling", "Text ett", "Region Exempelland | Koncernkontoret", f"Sida {n} av 3"]
        for n in (1, 2, 3)
    ]
    pages[1][1] = "Text två"
    pages[2][1] = "Text tre"
    assert sum(drop_page_furniture(pages), []) == ["Text ett", "Text två", "Text tre"]


def test_a_line_repeated_on_one_page_only_is_kept():
    pages = [["Rubrik", "Text"], ["Annan text", "Mer"], ["Tredje", "Sista"]]
    assert sum(drop_page_furniture(pages), []) == [
        "Rubrik",
        "Text",
        "Annan text",
        "Mer",
        "Tredje",
        "Sista",
    ]


def test_a_text_file_is_read_as_utf8_or_windows_encoding():
    assert extract_lines("Datum 2025-08-12\r\nUppdrag: Åtgärd\n".encode("cp1252"), "a.txt") == [
        "Datum 2025-08-12",
        "Uppdrag: Åtgärd",
    ]
    assert extract_lines("\ufeffUppdrag: Åtgärd".encode(), "a.TXT") == ["Uppdrag: Åtgärd"]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"Uppdrag", "a.odt", "Filtypen .odt"),
        (b"Uppdrag", "utan-filandelse", "Filtypen .?"),
        (b"", "a.txt", "tom"),
        (b"  \n\n", "a.txt", "tom"),
        (b"\x00\x01\x02binary", "a.txt", "ingen textfil"),
    ],
)
def test_a_file_of_no_kind_we_read_is_refused_with_a_reason(data, name, message):
    with pytest.raises(UnreadableDocument, match=message.replace("?", r"\?")):
        extract_lines(data, name)
