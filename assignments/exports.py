"""Spreadsheet exports (CSV and Excel) whose text a spreadsheet shows and never runs.

Excel, LibreOffice and Google Sheets read a cell that begins with "=", "+", "-", "@", a tab or a
carriage return as a formula (OWASP: CSV injection), so a title or a comment typed by one
person could run on the machine of whoever opens the export. CSV has no cell types: such text
gets a leading apostrophe, which the spreadsheets take as "this is text"; and since a
spreadsheet may split a semicolon-separated file on commas instead, so does every part of a
cell between commas ("Info,=2+5" is written "Info,'=2+5"). XLSX has them: text is
a string cell, which is never evaluated, and the ones that look like formulas are also marked
quote-prefixed so that Excel keeps them text when someone edits the cell. Numbers and dates are
not text and are written as they are, so a negative number keeps its sign.

Every export goes through csv_response(), xlsx_response() or, for a workbook of several
sheets (the återrapportering), xlsx_workbook().
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _starts_like_formula(text: str) -> bool:
    return text.lstrip(" ").startswith(FORMULA_LEADS)


def looks_like_formula(value: Any) -> bool:
    """Whether a spreadsheet would read this text, or any part of it between commas (one that
    splits the file on commas makes a cell of each), as a formula."""
    return isinstance(value, str) and any(_starts_like_formula(p) for p in value.split(","))


def csv_value(value: Any) -> Any:
    """The value as a CSV cell: each comma-separated part that looks like a formula gets a
    leading apostrophe, so the text is text however a spreadsheet splits the line."""
    if not looks_like_formula(value):
        return value
    return ",".join("'" + p if _starts_like_formula(p) else p for p in value.split(","))


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(
    filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A semicolon-separated UTF-8 CSV download of header and rows, named filename.csv."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")  # Excel reads UTF-8 (å, ä, ö) only with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow([csv_value(v) for v in header])
    writer.writerows([csv_value(v) for v in row] for row in rows)
    return _attachment(response, f"{filename}.csv")


def _xlsx_cell(sheet, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl makes a formula of any text that starts with "="; a string cell is shown.
        cell.data_type = "s"
        cell.quotePrefix = looks_like_formula(value)
    return cell


@dataclass
class Sheet:
    """One sheet of a workbook: its title, its header row and its rows."""

    title: str
    header: Sequence[Any]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = ()  # column widths in characters, for a sheet people read


def xlsx_workbook(sheets: Iterable[Sheet]) -> bytes:
    """An Excel workbook of the sheets, each with its header row frozen: text as string cells
    (never a formula), dates and numbers as they are, so a date is a date cell."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:31])  # Excel's limit for a sheet's name
        sheet.freeze_panes = "A2"
        for number, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = width
        sheet.append([_xlsx_cell(sheet, v) for v in spec.header])
        for row in spec.rows:
            sheet.append([_xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename: str, sheet_title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """An Excel workbook download of header and rows on one sheet, named filename.xlsx."""
    content = xlsx_workbook([Sheet(sheet_title, header, rows)])
    return _attachment(HttpResponse(content, content_type=XLSX_CONTENT_TYPE), f"{filename}.xlsx")
