"""The uppdragshandling regenerated from live data: seed 004's order and wording, the live
timeline, the decision once made, text made safe for any format."""

import datetime as dt

import pytest

from documents import export_document
from documents.export_document import Bullets, Field, Heading, Table, Text
from tests.export_helpers import decided_assignment
from workflow import services

pytestmark = pytest.mark.django_db


def _blocks(assignment, kind):
    return [b for b in export_document.build(assignment).blocks if isinstance(b, kind)]


def test_the_headings_are_seed_004s_in_its_order(demo):
    assert [h.text for h in _blocks(demo, Heading)] == [
        "Uppdragshandling",
        "Uppdragsbeskrivning",
        "Arbetsorganisation",
        "Samband och gränsdragning till andra uppdrag och pågående arbete",
        "Kommunikation",
        "Tidplan",
        "Kostnader och finansiering",
        "Form för beslut när uppdraget är klart",
        "Uppdraget skickas till",
    ]


def test_people_are_named_in_the_order_they_were_registered_as_the_document_does(demo):
    fields = {f.label: f.value for f in _blocks(demo, Field)}
    assert fields["Uppdragsgivare"] == "Anders Kullbratt och Per Albertsson"
    assert fields["Beslutsfattare"] == "Anders Kullbratt och Per Albertsson"
    assert fields["Uppdragstagare"] == "Jan Sträng"
    assert fields["Projektledare"] == "Jan Sträng"
    assert fields["Datum för beslut"] == export_document.DECISION_DATE_PLACEHOLDER


def test_the_timeline_is_a_table_of_activity_and_period_as_written(demo):
    (table,) = _blocks(demo, Table)
    assert table.header == ("Aktivitet", "Tidplan")
    assert [row[1] for row in table.rows] == [
        "Juni – aug 2025",
        "Sep – okt 2025",
        "Nov 2025",
        "Jan – juni 2026",
    ]


def test_a_moved_due_date_is_written_from_the_milestones_dates_as_they_are_now(demo, client):
    from assignments.models import User

    jan = User.objects.get(username="jan.strang")
    compilation = demo.milestones.get(kind="compilation")
    services.move_milestone_due(
        milestone=compilation, actor=jan, new_due=dt.date(2026, 1, 31), reason="Remissen dröjde."
    )
    (table,) = _blocks(demo, Table)
    assert table.rows[2] == (compilation.title, "Nov 2025 – jan 2026")
    assert table.rows[1][1] == "Sep – okt 2025"  # the others as the document wrote them


@pytest.mark.parametrize(
    ("start", "due", "text"),
    [
        (dt.date(2025, 11, 1), dt.date(2025, 11, 30), "Nov 2025"),
        (dt.date(2025, 6, 1), dt.date(2025, 8, 31), "Juni – aug 2025"),
        (dt.date(2025, 11, 1), dt.date(2026, 2, 28), "Nov 2025 – feb 2026"),
        (dt.date(2026, 3, 1), dt.date(2026, 4, 30), "Mars – april 2026"),
        (dt.date(2025, 11, 3), dt.date(2026, 1, 15), "2025-11-03 – 2026-01-15"),
    ],
)
def test_a_period_is_written_as_a_tidplan_writes_it(start, due, text):
    assert export_document.period_text(start, due) == text


def test_once_decided_the_document_gives_the_decision_date_and_paragraph(demo):
    decided = decided_assignment(paragraph="12")
    fields = {f.label: f.value for f in _blocks(decided, Field)}
    assert fields["Datum för beslut"] == "2025-10-14"
    assert fields["Paragraf"] == "§ 12"


def test_a_final_delivery_date_the_note_does_not_give_is_written_on_its_own_line(demo):
    demo.delivery_due = dt.date(2026, 2, 27)
    demo.save(update_fields=["delivery_due"])
    blocks = export_document.build(demo).blocks
    due = next(b for b in blocks if isinstance(b, Field) and b.label == "Slutleverans senast")
    assert due.value == "2026-02-27"
    assert blocks.index(due) < blocks.index(next(b for b in blocks if isinstance(b, Table)))


def test_control_characters_are_dropped_and_line_breaks_kept(demo):
    demo.title = "Rubrik\x07 med\x1b styrtecken"  # PostgreSQL stores no NUL: forms refuse it
    demo.communication = "Rad ett\r\nrad två\n\nNytt stycke"
    demo.save(update_fields=["title", "communication"])
    document = export_document.build(demo)
    assert document.title == "Rubrik med styrtecken"
    texts = [b.text for b in document.blocks if isinstance(b, Text)]
    assert "Rad ett\nrad två" in texts and "Nytt stycke" in texts


def test_the_file_name_is_ascii_and_tells_versions_apart(demo):
    demo.registration_number = "RÖ 2024/05699"
    assert export_document.build(demo).filename_stem == (
        "uppdragshandling-RS-2024-05699-2025-08-12"  # the saved row, not the unsaved change
    )
    document = export_document.ExportedDocument(
        registration_number="RÖ 2024/05699",
        title="x",
        document_date=dt.date(2025, 8, 12),
        issuing_unit="Koncernkontoret",
    )
    assert document.filename_stem == "uppdragshandling-RO-2024-05699-2025-08-12"


def test_every_list_of_the_seed_is_a_list(demo):
    lists = _blocks(demo, Bullets)
    assert [len(b.items) for b in lists] == [3, 3, 8, 4, 9, 4]
