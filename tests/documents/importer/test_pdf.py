"""A PDF's lines from where its words stand (documents/importer/pdf.py): a table cell that
wraps goes on in its column, a list ends where a line is set back at the margin (on the same
page or the next), and a running head holding the date and the Dnr is kept once."""

from documents.importer.pdf import Page, document_lines, drop_page_furniture, lines_from_words


def _words(*runs, size=10.0):
    """(text, x0, top) runs as pdfplumber's words, 5 points a character."""
    words = []
    for text, x0, top in runs:
        for word in text.split(" "):
            right = x0 + 5.0 * len(word)
            words.append({"text": word, "x0": x0, "x1": right, "top": top, "bottom": top + size})
            x0 += 5.0 * len(word) + 5.0
    return words


def test_a_wrapped_table_cell_goes_on_in_its_column():
    words = _words(
        ("Uppdragsgivare:", 56, 100),
        ("Uppdragstagare:", 150, 100),
        ("Jan Sträng", 260, 100),
        ("Anders Kullbratt", 56, 112),
        ("och Per", 56, 124),
        ("Albertsson", 56, 136),
    )
    assert lines_from_words(words) == [
        "Uppdragsgivare: Anders Kullbratt och Per Albertsson\tUppdragstagare:\tJan Sträng"
    ]


def test_a_short_line_under_a_table_row_that_did_not_wrap_is_a_line_of_its_own():
    words = _words(("Upphandling", 56, 100), ("Nov 2026", 400, 100), ("Tidplan", 56, 112))
    assert lines_from_words(words) == ["Upphandling\tNov 2026", "Tidplan"]


def test_a_line_set_back_at_the_margin_ends_the_list_item_above_it():
    # issue 28: the last working-group bullet swallowed the project lead's line below it
    # (main: one row "Lena Holm, verksamhetsutvecklare … Projektledare: Sofia Bergström").
    words = _words(
        ("•", 62, 100),
        ("Lena Holm, verksamhetsutvecklare Vårdcentralen", 80, 100),
        ("Norr", 80, 112),
        ("Projektledare: Sofia Bergström", 56, 124),
    )
    assert lines_from_words(words) == [
        "•\tLena Holm, verksamhetsutvecklare Vårdcentralen Norr",
        "",
        "Projektledare: Sofia Bergström",
    ]


def test_a_list_item_at_a_pages_foot_ends_where_the_next_page_begins_at_the_margin():
    first = _words(("•", 62, 700), ("Lena Holm, IT-arkitekt", 80, 700))
    second = _words(("Projektledare: Sofia Bergström", 56, 72))
    pages = [
        Page(*_laid_out(first)),
        Page(*_laid_out(second)),
    ]
    assert [line for line, _page in document_lines(pages)] == [
        "•\tLena Holm, IT-arkitekt",
        "",
        "Projektledare: Sofia Bergström",
    ]


def _laid_out(words):
    from documents.importer.pdf import layout

    return layout(words)


def test_a_running_head_with_the_date_and_the_dnr_is_kept_once():
    pages = [
        ["Datum\t2025-08-12", "Uppdragshandling", "Text"],
        ["Datum\t2025-08-12", "Mer text"],
        ["Datum\t2025-08-12", "Sista"],
    ]
    assert drop_page_furniture(pages) == [
        ["Datum\t2025-08-12", "Uppdragshandling", "Text"],
        ["Mer text"],
        ["Sista"],
    ]
