"""The calendar address on "Inställningar" in a real browser (issue 20, 1): created, shown once,
read by a calendar program over HTTP with no login, renewed so the old address is dead; the
section usable on a 390 px phone."""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlsplit

import icalendar

from .conftest import Console, assert_accessible, login


def as_a_calendar_program(site, address: str) -> tuple[int, bytes]:
    """GET the address's path from the live server as a calendar program does: plain HTTP, no
    cookies, no login."""
    request = urllib.request.Request(  # noqa: S310 - the live server's http address
        site.url(urlsplit(address).path), headers={"User-Agent": "Microsoft Outlook"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - our server
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_a_calendar_address_is_created_read_without_login_and_renewed(site, new_page):
    console = Console(new_page())
    page = console.page
    login(page, site, "jan.strang")
    page.goto(site.url("/installningar/"))
    section = page.locator("#calendar-feed")
    assert section.get_by_role("heading", name="Kalender").is_visible()
    assert "Prenumerera från webben" in section.inner_text()
    page.get_by_role("button", name="Skapa kalenderadress").click()
    page.wait_for_selector("#calendar-feed-https")
    assert_accessible(page, "the new calendar address")
    address = page.input_value("#calendar-feed-https")
    assert urlsplit(address).path.startswith("/kalender/cal_")
    webcal = page.get_by_role("link", name="Öppna adressen i datorns eller telefonens kalender")
    assert webcal.get_attribute("href") == "webcal://" + address.split("://", 1)[1]

    status, body = as_a_calendar_program(site, address)
    assert status == 200
    ical = icalendar.Calendar.from_ical(body)
    summaries = [str(event["SUMMARY"]) for event in ical.walk("VEVENT")]
    # seed 004 is Jan's to carry out: its open milestones and its final delivery
    assert "Slutleverans: " + site.assignment.title + " (RS 2024-05699)" in summaries
    assert [s for s in summaries if s.startswith("Milstolpe: ") and "(RS 2024-05699)" in s]

    page.get_by_role("link", name="Tillbaka till inställningarna").click()
    page.wait_for_selector("#calendar-feed-current")
    assert urlsplit(address).path not in page.content()  # shown once, never again
    assert_accessible(page, "settings with a calendar address")
    page.get_by_role("button", name="Förnya kalenderadressen").click()
    page.wait_for_selector("#calendar-feed-https")
    renewed = page.input_value("#calendar-feed-https")
    assert renewed != address
    assert as_a_calendar_program(site, address)[0] == 404
    assert as_a_calendar_program(site, renewed)[0] == 200
    assert console.errors == [] and console.violations == []


def test_the_calendar_section_fits_a_phone(site, browser):
    context = browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        login(page, site, "erica.sandberg")
        page.goto(site.url("/installningar/"))
        page.locator("#calendar-feed").scroll_into_view_if_needed()
        assert_accessible(page, "settings at 390 px")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_role("button", name="Skapa kalenderadress").click()
        page.wait_for_selector("#calendar-feed-https")
        assert_accessible(page, "the new calendar address at 390 px")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
