"""An uppdragshandling's text → its fields (documents/importer/parse.py and the modules it
reads with), for the kind of document: seed 004, a synthetic document of the same kind, and
the ways such documents differ."""

import datetime as dt

import pytest

from documents.importer import NotAnAssignmentDocument, read_document
from documents.importer.parse import parse_text
from tests import uppdragshandlingar as documents
from tests.documents.importer import expected

# Before every deadline of both documents: nothing is reported as passed.
BEFORE = dt.date(2025, 1, 1)


def parsed(text: str, today=BEFORE):
    return read_document(text.encode(), "uppdragshandling.txt", today=today)


def lines(*text: str):
    return parse_text(list(text), today=BEFORE)


HEADER = [
    "Uppdragshandling",
    "Dnr RS 2026-00001",
    "Datum 2026-01-10",
    "Region Exempelland",
    "Enheten för digitalisering",
    "Uppdrag: Ett uppdrag",
    "Uppdragsgivare: Karin Lindqvist",
    "Uppdragstagare: Sofia Bergström",
]


def test_seed_004_from_its_text_gives_every_field_of_the_contract():
    assert parsed(documents.seed_004_text()).as_contract() == expected.SEED_004


def test_seed_004_from_its_text_gives_every_other_field():
    document = parsed(documents.seed_004_text())
    assert expected.texts_of(document) == expected.SEED_004_TEXTS
    assert expected.lists_of(document) == expected.SEED_004_LISTS


def test_the_synthetic_document_gives_every_field():
    document = parsed(documents.synthetic_text())
    assert document.as_contract() == expected.SYNTHETIC
    assert expected.texts_of(document) == expected.SYNTHETIC_TEXTS
    assert expected.lists_of(document) == expected.SYNTHETIC_LISTS


def test_each_field_knows_its_source_line_and_whether_it_is_uncertain():
    document = parsed(documents.synthetic_text())
    assert document.lines[document.registration_number.line] == "Dnr: RJL 2026/0412"
    autumn = document.milestones[1]
    assert "Hösten 2026" in document.lines[autumn.line]
    assert autumn.uncertain and not document.milestones[0].uncertain
    assert document.lines[document.execution[0].line] == "- Sofia Bergström"


def test_a_name_spelled_two_ways_marks_the_rarer_spelling_uncertain():
    document = parsed(documents.seed_004_text())
    ander = document.decision_makers[0]
    assert (ander.name, ander.uncertain) == ("Ander Kullbratt", True)
    assert "Anders Kullbratt" in ander.reason
    assert not document.commissioners[0].uncertain


def test_deadlines_passed_before_the_import_are_named():
    document = parsed(documents.seed_004_text(), today=dt.date(2025, 11, 1))
    passed = [w.message for w in document.warnings if w.field in ("milestones", "delivery_due")]
    assert passed == [
        "”Resurssättning av arbetsgrupper/ansvariga samt etablering a…” (Juni – aug 2025) "
        "skulle vara klar 2025-08-31, före registreringen: ange om den är klar.",
        "”Genomförande av seminarier och övriga aktiviteter (inkl. fö…” (Sep – okt 2025) "
        "skulle vara klar 2025-10-31, före registreringen: ange om den är klar.",
    ]


@pytest.mark.parametrize("path", documents.NOT_ASSIGNMENTS, ids=lambda p: p.name)
def test_other_public_documents_are_no_uppdragshandling(path):
    with pytest.raises(NotAnAssignmentDocument, match="inte ut som en uppdragshandling"):
        read_document(path.read_bytes(), path.name)


def test_a_text_without_parties_is_no_uppdragshandling():
    with pytest.raises(NotAnAssignmentDocument):
        lines("Uppdragshandling", "Tidplan", "Upphandling\tNov 2026", "Dnr RS 2026-00001")


def test_missing_sections_are_warnings_not_errors():
    document = lines(*HEADER)
    assert document.registration_number.value == "RS 2026-00001"
    assert document.issuing_unit.value == "Enheten för digitalisering"
    assert {w.field for w in document.warnings} == {
        "decision_makers",
        "milestones",
        "delivery_due",
        "distribution",
    }
    contract = document.as_contract()
    assert (contract["milestones"], contract["supersedes"], contract["working_group"]) == (
        [],
        None,
        [],
    )


def test_labels_in_cells_on_one_line_or_with_the_value_on_the_next_line():
    document = lines(
        "Uppdragshandling",
        "Datum: 12 augusti 2025\tDiarienummer: RS 2024-05699",
        "Uppdragsgivare: Anders Kullbratt och Per Albertsson Uppdragstagare: Jan Sträng",
        "Uppdrag:",
        "Ett uppdrag över",
        "två rader",
        "",
        "Tidplan",
        "Upphandling\tNov 2026",
    )
    contract = document.as_contract()
    assert (contract["date"], contract["registration_number"]) == ("2025-08-12", "RS 2024-05699")
    assert contract["commissioners"] == ["Anders Kullbratt", "Per Albertsson"]
    assert contract["assignee"] == "Jan Sträng"
    assert contract["title"] == "Ett uppdrag över två rader"


def test_timeline_rows_however_they_are_laid_out():
    document = lines(
        *HEADER,
        "Tidplan",
        "",
        "AKTIVITET     TIDPLAN",
        "Förstudie     Jan – feb 2026",
        "Mars 2026\tRemiss",
        "- Workshop med verksamheterna v. 12–14 2026",
        "Genomförande av seminarier och övriga aktiviteter (inkl.\tSep – okt 2026",
        "förankring och facklig dialog).",
        "Uppföljning\tLöpande",
        "Implementering   Nov 2026 – feb 2027",
        "",
        "Slutrapport lämnas senast 2027-03-31.",
    )
    rows = [
        (r["title"], r["period_label"], r["start"], r["due"], r["needs_review"])
        for r in document.as_contract()["milestones"]
    ]
    assert rows == [
        ("Förstudie", "Jan – feb 2026", "2026-01-01", "2026-02-28", False),
        ("Remiss", "Mars 2026", "2026-03-01", "2026-03-31", False),
        ("Workshop med verksamheterna", "v. 12–14 2026", "2026-03-16", "2026-04-05", False),
        (
            "Genomförande av seminarier och övriga aktiviteter (inkl. förankring och facklig "
            "dialog).",
            "Sep – okt 2026",
            "2026-09-01",
            "2026-10-31",
            False,
        ),
        ("Uppföljning", "Löpande", None, None, True),
        ("Implementering", "Nov 2026 – feb 2027", "2026-11-01", "2027-02-28", False),
    ]
    assert document.delivery_due.value == dt.date(2027, 3, 31)
    assert document.schedule_note.value == "Slutrapport lämnas senast 2027-03-31."


def test_a_period_without_a_year_follows_the_row_above_and_asks_for_review():
    document = lines(*HEADER, "Tidplan", "Förstudie\tNov 2026", "Remiss\tJan – feb")
    remiss = document.milestones[1].period
    assert (remiss.start, remiss.due, remiss.needs_review) == (
        dt.date(2027, 1, 1),
        dt.date(2027, 2, 28),
        True,
    )


def test_a_working_group_as_a_table_and_a_role_before_a_name():
    document = lines(
        *HEADER,
        "Arbetsgrupp",
        "Namn\tRoll",
        "Mats Öberg\tIT-arkitekt",
        "Lena Holm\tverksamhetsutvecklare",
        "",
        "Ordförande: Karin Lindqvist",
        "",
        "Gruppen träffas varannan vecka.",
    )
    assert [(p.name, p.role) for p in document.working_group] == [
        ("Mats Öberg", "IT-arkitekt"),
        ("Lena Holm", "verksamhetsutvecklare"),
        ("Karin Lindqvist", "Ordförande"),
    ]
    assert document.working_group_note.value == "Gruppen träffas varannan vecka."


def test_a_distribution_list_on_one_line_and_without_bullets():
    document = lines(
        *HEADER,
        "Uppdraget skickas till",
        "För genomförande: Mats Öberg, Lena Holm",
        "För kännedom:",
        "Petra Nyberg för distribution till cheferna",
        "Läkemedelskommitténs ordförande",
    )
    contract = document.as_contract()["distribution"]
    assert contract == {
        "execution": [{"name": "Mats Öberg", "note": ""}, {"name": "Lena Holm", "note": ""}],
        "information": [
            {"name": "Petra Nyberg", "note": "för distribution till cheferna"},
            {"name": "Läkemedelskommitténs ordförande", "note": ""},
        ],
    }


def test_a_superseded_document_named_in_the_header():
    document = lines(
        *HEADER,
        "Denna uppdragshandling ersätter uppdragshandlingen ”Förstudie om vårdmöten” "
        "daterad 12 mars 2025.",
    )
    assert document.as_contract()["supersedes"] == {
        "title": "Förstudie om vårdmöten",
        "date": "2025-03-12",
    }


def _reordered(text: str) -> str:
    """The document with its sections in reverse order and its headings in capitals, without
    their numbers."""
    from documents.importer.sections import NUMBERING, heading_of

    header, sections = [], []
    for line in text.splitlines():
        found = heading_of(line.strip())
        if found and found[0] not in ("execution", "information"):
            sections.append([NUMBERING.sub("", line.strip()).upper()])
        elif sections:
            sections[-1].append(line)
        else:
            header.append(line)
    return "\n".join(header + [line for section in reversed(sections) for line in section])


@pytest.mark.parametrize("text", [documents.seed_004_text, documents.synthetic_text])
def test_sections_in_another_order_and_headings_in_capitals_give_the_same_fields(text):
    original = parsed(text()).as_contract()
    reordered = parsed(_reordered(text())).as_contract()
    assert reordered == original
    assert reordered["milestones"] and reordered["distribution"]["execution"]
