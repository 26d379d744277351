"""The uppdragshandling as a Word document: read back with python-docx, it has Word's own
headings, "List Bullet" lists and the tidplan as a table, and a user's markup stays text."""

import pytest

from assignments import demo_data
from documents import export_document, export_docx
from tests.export_helpers import (
    decided_assignment,
    in_order,
    seed_004_in_document_order,
    seed_004_timeline,
    word,
    word_paragraphs,
)

pytestmark = pytest.mark.django_db


def _word(assignment):
    return word(export_docx.render(export_document.build(assignment)))


def test_the_headings_are_words_own_title_and_heading_1(demo):
    document = _word(demo)
    assert word_paragraphs(document, "Title") == ["Uppdragshandling"]
    assert word_paragraphs(document, "Heading 1") == [
        "Uppdragsbeskrivning",
        "Arbetsorganisation",
        "Samband och gränsdragning till andra uppdrag och pågående arbete",
        "Kommunikation",
        "Tidplan",
        "Kostnader och finansiering",
        "Form för beslut när uppdraget är klart",
        "Uppdraget skickas till",
    ]


def test_every_list_is_a_list_bullet_list(demo):
    seed = demo_data.SEED_004
    people = {u: f"{f} {last}" for u, (f, last, _t, _u) in demo_data.PEOPLE.items()}
    assert word_paragraphs(_word(demo), "List Bullet") == [
        *seed["scope"],
        *seed["requirements"],
        *[f"{people[u]}, {role}" for u, role in seed["working_group"]],
        *[text for _k, text, _g, _r in seed["relations"]],
        *[f"{people[u]} {note}".strip() for _p, u, note in seed["distribution"]],
    ]


def test_the_timeline_is_a_word_table_with_a_header_row(demo):
    (table,) = _word(demo).tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Aktivitet", "Tidplan"]
    assert rows[1:] == seed_004_timeline()
    assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs)


def test_every_field_of_seed_004_is_in_the_document_in_order(demo):
    text = " ".join(" ".join(p.text.split()) for p in _word(demo).paragraphs)
    assert in_order(text, seed_004_in_document_order()) == []


def test_the_footer_gives_the_dnr_and_the_properties_say_what_it_is(demo):
    document = _word(demo)
    assert document.sections[0].footer.paragraphs[0].text == "Dnr RS 2024-05699"
    assert document.core_properties.language == "sv-SE"
    assert document.core_properties.title.startswith("Uppdragshandling RS 2024-05699")


def test_markup_and_every_letter_come_out_as_typed(demo):
    typed = '<w:p>Łódź & <b>fet</b> "citat" → 中</w:p>'
    demo.title = typed
    demo.save(update_fields=["title"])
    member = demo.working_group.order_by("position").first()
    member.role = typed
    member.save(update_fields=["role"])
    document = _word(demo)
    texts = [p.text for p in document.paragraphs]
    assert f"Uppdrag: {typed}" in texts
    assert f"Anders Kullbratt, {typed}" in word_paragraphs(document, "List Bullet")


def test_the_decided_assignment_gives_its_decision_date_and_paragraph(demo):
    texts = [p.text for p in _word(decided_assignment()).paragraphs]
    assert "Datum för beslut: 2025-10-14" in texts
    assert "Paragraf: § 12" in texts
