"""The återrapportering page in a real browser (issue 20, item 2): on a 390 px phone, chosen
and sent by keyboard only, no console error, no axe violation, no horizontal scroll of the
page, and the Excel download opens."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from .conftest import Console, assert_accessible, login


def test_a_commissioner_takes_out_the_report_on_a_phone_by_keyboard(site, new_page):
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    console = Console(page)
    login(page, site, "per.albertsson")
    # where a commissioner looks for it: the menu, beside the portfolio
    page.goto(site.url("/"))
    assert page.locator('a[href="/aterrapportering/"]').count() >= 1
    page.goto(site.url("/aterrapportering/"))
    assert page.locator("h1").inner_text() == "Återrapportering"
    # at first: Per Albertsson's own report for this year
    assert "Uppdragsgivare: Per Albertsson" in page.locator("#report-heading").inner_text()

    page.locator("#id_period").focus()
    page.keyboard.press("End")  # the last choice: "Egna datum"
    assert page.locator("#id_period").input_value() == "custom"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_start"
    page.keyboard.type("01012025")  # day and month alike: the browser's order does not matter
    for _segment in range(4):  # Tab walks the date field's day, month and year first
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_end":
            break
    assert page.evaluate("document.activeElement.id") == "id_end"
    page.keyboard.type(f"1212{dt.date.today().year}")  # the same in any order of the fields
    page.keyboard.press("Enter")
    page.wait_for_url("**period=custom**")
    heading = page.locator("#report-heading").inner_text()
    assert "2025-01-01" in heading, heading
    assert site.assignment.registration_number in page.locator("#report-summary").inner_text()

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px"
    assert_accessible(page, "återrapportering on a phone")

    with page.expect_download() as download:
        page.locator("#report-xlsx").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert book.sheetnames == ["Uppdrag", "Milstolpar", "Avvikelser", "Beslut"]
    numbers = [row[0] for row in book["Uppdrag"].iter_rows(min_row=2, values_only=True)]
    assert site.assignment.registration_number in numbers
    assert console.errors == [] and console.violations == []
