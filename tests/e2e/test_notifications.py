"""What a person sees of the events of the process (issue #17, 7 and 12): the settings page's
choices, by keyboard, on a phone and on a laptop; a notification in the language the reader
switches to."""

from __future__ import annotations

import re

from assignments.models import User
from reminders import preferences
from workflow import services

from .conftest import ARTIFACTS, assert_accessible, login

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def _person(username: str) -> User:
    return User.objects.get(username=username)


def test_a_person_turns_off_decision_mails_by_keyboard_on_the_settings_page(site, new_page):
    page = new_page()
    login(page, site, "jan.strang")
    for size in (PHONE, LAPTOP):
        page.set_viewport_size(size)
        page.goto(site.url("/installningar/"))
        assert_accessible(page, f"settings at {size['width']} px")
        # the choices fit the screen: the page never scrolls sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"settings-{size['width']}.png"), full_page=True)
    row = page.locator("#choice-decided")
    assert "Ett uppdrag du följer eller arbetar med är beslutat" in row.inner_text()
    assert "Skickas alltid" in page.locator("#choice-escalation").inner_text()
    by_email = page.get_by_role(
        "checkbox", name="Ett uppdrag du följer eller arbetar med är beslutat, via e-post"
    )
    assert by_email.is_checked()
    by_email.focus()
    page.keyboard.press("Space")
    assert not by_email.is_checked()
    page.get_by_role("button", name="Spara").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".uppdrag-messages")
    assert preferences.choices_of(_person("jan.strang"))["decided"] == (True, False)
    assert not page.get_by_role(
        "checkbox", name="Ett uppdrag du följer eller arbetar med är beslutat, via e-post"
    ).is_checked()


def test_a_notification_reads_in_the_language_the_reader_switches_to(site, new_page):
    services.submit_delivery(
        assignment=site.assignment, actor=_person("jan.strang"), summary="Förslag"
    )  # written while everyone reads Swedish
    page = new_page()
    login(page, site, "per.albertsson")
    page.click("#notification-bell")
    item = page.locator("#notifications li").first
    assert f"Väntar på ditt beslut: {site.assignment.title}" in item.inner_text()
    assert "Lämnad av Jan Sträng." in item.inner_text()
    page.get_by_role("button", name="In English").click()
    page.wait_for_url(re.compile("/notiser/"))
    item = page.locator("#notifications li").first
    assert f"Awaiting your decision: {site.assignment.title}" in item.inner_text()
    assert "Submitted by Jan Sträng." in item.inner_text()
    page.goto(site.url("/"))
    assert "Awaiting your decision" in page.locator("#unread-notifications").inner_text()
